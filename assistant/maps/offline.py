"""The offline drafter: a complete journey map from the evidence digest alone, no LLM.

Every data-based item cites records of the digest with quotes cut verbatim from their text;
what the data cannot speak to (the owning department, KPIs without figures, goals nobody voiced)
is kept, marked `basis="assumption"`, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property

from assistant.analysis.digest import Digest, StageDigest, ThemeDigest
from assistant.analysis.lexical_terms import content_stems
from assistant.analysis.sentences import split_sentences
from assistant.analysis.stages import KPIDef, StageDef, StageSet
from assistant.evidence.figures import SCORE_ROLES, Figure, figures_of
from assistant.funnels.models import FunnelResult
from assistant.funnels.workspace import TableFunnel, funnel_for, funnel_line
from assistant.maps.models import (
    KPI,
    Emotion,
    Frequency,
    JourneyMap,
    Opportunity,
    PainPoint,
    Persona,
    SourceSummary,
    Stage,
)
from assistant.maps.store import map_id_for
from assistant.models import Citation, Claim
from assistant.profiling.models import ROLE_MEANING

MIN_PAIN_COUNT = 3
MIN_PAIN_SHARE = 0.03
MAX_PAIN_POINTS = 5
MAX_OPPORTUNITIES = 3
MIN_EMOTION_RECORDS = 5
MIN_CHANNEL_COUNT = 2
FIGURE_KPI_MIN_SHARED = 4  # shared content words (header double) for a rating or NPS figure to measure a KPI

CHANNEL_NAMES = {
    "web": "Website",
    "app": "Mobile app",
    "email": "E-mail",
    "phone": "Phone",
    "chat": "Live chat",
    "store": "Physical store",
    "social": "Social media",
    "ads": "Advertising",
    "delivery": "Courier / delivery",
    "sms": "Text messages",
}
# First-person verbs that describe what customers do, grouped into readable actions.
ACTIONS: dict[str, tuple[str, re.Pattern[str]]] = {
    key: (label, re.compile(pattern, re.IGNORECASE))
    for key, label, pattern in (
        ("browse", "Browse and compare products", r"\b(brows\w*|compar\w*|look(ed|ing)? at|search\w*)\b"),
        ("order", "Place an order", r"\b(order(ed)?|bought|buy(ing)?|purchas\w*)\b"),
        ("pay", "Try to pay", r"\b(pa(y|id|ying)|card|checkout|check out)\b"),
        ("contact", "Contact customer service", r"\b(call(ed)?|rang|email(ed)?|chat(ted)?|contact\w*)\b"),
        ("track", "Track the delivery", r"\b(track\w*|wait(ed|ing)? for)\b"),
        ("return", "Return or exchange items", r"\b(return\w*|exchang\w*|sent (it )?back)\b"),
        (
            "assemble",
            "Assemble and use the product",
            r"\b(assembl\w*|put (it )?together|built|use[ds]?|using|wash\w*)\b",
        ),
        (
            "account",
            "Create an account or log in",
            r"\b(account|log(ged)? ?in|sign(ed)? up|register\w*|password)\b",
        ),
        ("promo", "Apply a discount code", r"\b(code|voucher|discount|promo\w*)\b"),
        ("recommend", "Recommend or reorder", r"\b(recommend\w*|reorder\w*|again|told (my )?friends)\b"),
        ("points", "Collect loyalty points", r"\b(points|rewards?|membership|plus)\b"),
    )
}
EMOTION_LABELS = ((0.45, "delighted"), (0.15, "pleased"), (-0.15, "neutral"), (-0.45, "frustrated"))


def emotion_label(score: float) -> str:
    """Name an emotion score: delighted, pleased, neutral, frustrated or angry."""
    for floor, label in EMOTION_LABELS:
        if score >= floor:
            return label
    return "angry"


def quote_of(record_id: str, text: str, pattern: re.Pattern[str] | None = None) -> Citation:
    """Cite a record by its first sentence (matching `pattern` when given); always verbatim."""
    sentences = split_sentences(record_id, text)
    if pattern is not None:
        sentences = [s for s in sentences if pattern.search(s.text)] or sentences
    quote = sentences[0].text if sentences else text.strip()[:200]
    return Citation(evidence_id=record_id, quote=quote or text)


class OfflineDrafter:
    """Drafts a map from a digest; `texts` maps evidence ids to their text for quoting."""

    def __init__(self, stage_set: StageSet, texts: Mapping[str, str]) -> None:
        self.stage_set = stage_set
        self.texts = texts

    def draft(
        self, digest: Digest, persona: Persona, title: str, scope: str = "", stages: list[str] | None = None
    ) -> JourneyMap:
        """Return a complete map: every stage with every component."""
        wanted = stages or [s.id for s in self.stage_set.stages]
        drafted = []
        for stage_id in wanted:
            definition = self.stage_set.get(stage_id)
            stage_digest = digest.stage(stage_id)
            drafted.append(self.stage(definition, stage_digest, digest))
        return JourneyMap(
            id=map_id_for(title),
            title=title,
            scope=scope,
            persona=persona,
            stages=drafted,
            sources=SourceSummary(counts=digest.sources, first=digest.first, last=digest.last),
            engine="offline",
        )

    def stage(self, definition: StageDef, digest: StageDigest | None, whole: Digest) -> Stage:
        """Draft one stage from its digest (an empty digest gives a stage of assumptions)."""
        if digest is None or digest.count == 0:
            return self._empty_stage(definition)
        pains = self.pain_points(digest)
        return Stage(
            name=definition.id,
            touchpoints=self.touchpoints(digest),
            actions=self.actions(digest),
            thoughts=self.thoughts(digest),
            emotion=self.emotion(digest),
            pain_points=pains,
            opportunities=self.opportunities(digest, definition),
            kpis=self.kpis(definition, whole),
            owner=Claim(
                text=definition.owner,
                basis="assumption",
                evidence=[],
            ),
        )

    def _empty_stage(self, definition: StageDef) -> Stage:
        note = f"No evidence in this workspace speaks to the {definition.name} stage"
        return Stage(
            name=definition.id,
            touchpoints=[Claim(text=f"{note}: touchpoints unknown", basis="assumption")],
            actions=[Claim(text=f"{note}: actions unknown", basis="assumption")],
            thoughts=[Claim(text=f"{note}: thoughts unknown", basis="assumption")],
            emotion=Emotion(score=0.0, label="unknown", basis="assumption"),
            pain_points=[PainPoint(text=f"{note}: pain points unknown", basis="assumption")],
            opportunities=[Opportunity(text=f"Collect evidence about {definition.name}", basis="assumption")],
            kpis=[
                KPI(text=k.name, name=k.name, definition=k.definition, basis="assumption")
                for k in definition.kpis
            ],
            owner=Claim(text=definition.owner, basis="assumption"),
        )

    def touchpoints(self, digest: StageDigest) -> list[Claim]:
        """Channels seen in the stage's records, with counts."""
        items = []
        for channel in digest.touchpoints:
            if channel.count < MIN_CHANNEL_COUNT:
                continue
            cited = [quote_of(i, self.texts[i]) for i in channel.evidence_ids[:2] if i in self.texts]
            name = CHANNEL_NAMES.get(channel.channel, channel.channel)
            items.append(
                Claim(
                    text=f"{name} ({channel.count} of {digest.count} records, {channel.share:.0%})",
                    basis="data" if cited else "assumption",
                    evidence=cited,
                )
            )
        return items[:6]

    def actions(self, digest: StageDigest) -> list[Claim]:
        """What customers say they do in the stage, by how many records describe it."""
        counts: dict[str, list[str]] = {}
        for record_id in digest.evidence_ids:
            text = self.texts.get(record_id, "")
            for key, (_label, pattern) in ACTIONS.items():
                if pattern.search(text):
                    counts.setdefault(key, []).append(record_id)
        ranked = sorted(counts.items(), key=lambda item: -len(item[1]))[:3]
        items = []
        for key, ids in ranked:
            label, pattern = ACTIONS[key]
            items.append(
                Claim(
                    text=f"{label} (described in {len(ids)} of {digest.count} records)",
                    basis="data",
                    evidence=[quote_of(i, self.texts[i], pattern) for i in ids[:2]],
                )
            )
        return items

    def thoughts(self, digest: StageDigest) -> list[Claim]:
        """Real customer quotes: the stage's voice, negative first, then positive."""
        quotes = digest.negative_quotes[:2] + digest.positive_quotes[:1] + digest.neutral_quotes[:1]
        return [Claim(text=f"“{q.quote}”", basis="data", evidence=[q]) for q in quotes[:3]]

    def emotion(self, digest: StageDigest) -> Emotion:
        """The balance of the stage's customer records: (positive - negative) / all, as a score.

        Flat complaints count as negative (see StageDigest.feelings); a mean of record sentiment
        would read a stage where nine in ten customers complain as "slightly negative".
        """
        feelings = digest.feelings
        total = sum(feelings.values())
        if total:
            score = round((feelings.get("positive", 0) - feelings.get("negative", 0)) / total, 2)
        else:
            score = round(digest.sentiment_mean, 2)
        score = max(-1.0, min(1.0, score))
        leaning = digest.negative_quotes if score < 0 else digest.positive_quotes or digest.neutral_quotes
        enough = digest.count >= MIN_EMOTION_RECORDS and bool(leaning)
        return Emotion(
            score=score,
            label=emotion_label(score),
            basis="data" if enough else "assumption",
            evidence=leaning[:2] if enough else [],
        )

    def _pains(self, digest: StageDigest) -> list[ThemeDigest]:
        floor = max(MIN_PAIN_COUNT, MIN_PAIN_SHARE * digest.count)
        return [t for t in digest.themes if t.count >= floor][:MAX_PAIN_POINTS]

    def pain_points(self, digest: StageDigest) -> list[PainPoint]:
        """The stage's themes as pain points with their frequency."""
        return [
            PainPoint(
                text=theme.label,
                basis="data",
                evidence=theme.quotes,
                frequency=Frequency(count=theme.count, share=round(theme.share, 4)),
            )
            for theme in self._pains(digest)
        ]

    def opportunities(self, digest: StageDigest, definition: StageDef) -> list[Opportunity]:
        """One opportunity per top pain point, naming the pain and the KPI to watch."""
        kpi = definition.kpis[0].name if definition.kpis else None
        items = []
        for theme in self._pains(digest)[:MAX_OPPORTUNITIES]:
            remedy = theme.opportunity or f"Investigate and fix: {theme.label.removeprefix('Other: ')}"
            items.append(
                Opportunity(
                    text=f"{remedy} — addresses “{theme.label}” "
                    f"({theme.count} records, {theme.share:.0%} of the stage)",
                    basis="data",
                    evidence=theme.quotes[:1],
                    addresses=theme.label,
                    kpi=kpi,
                )
            )
        return items

    def kpis(self, definition: StageDef, digest: Digest) -> list[KPI]:
        """The stage's KPI catalogue, with values where a funnel table measures them.

        A KPI's `funnel_from` / `funnel_to` name step ids; the value is the funnel engine's (an export
        first, then an event log, then a per-session table) and cites the record of its table. The
        table's data-quality warnings on those steps come along in the KPI's text.
        """
        items = []
        for kpi in definition.kpis:
            value = None
            evidence: list[Citation] = []
            notes: list[str] = []
            ends = kpi.funnel_from, kpi.funnel_to
            funnel = funnel_for(digest.funnels, ends[0], ends[1]) if ends[0] and ends[1] else None
            if funnel is not None and funnel.result is not None:
                result = funnel.result
                rate = result.rate(kpi.funnel_from or "", kpi.funnel_to or "")
                value = f"{rate:.1%}" if rate is not None else None
                evidence = self._funnel_citation(funnel, result)
                names = {s.name for s in result.steps if s.step in (kpi.funnel_from, kpi.funnel_to)}
                notes = [
                    w.message
                    for w in result.warnings
                    if w.kind in ("tracking_gap", "later_step_larger", "missing_period", "duplicate_rows")
                    and (not w.steps or names & set(w.steps))
                ]
            text = f"{kpi.name}: {value}" if value else kpi.name
            if value and funnel is not None:
                text += f" ({funnel.source})"
            if notes:
                text += " — data quality: " + "; ".join(notes)
            if value is None and (scored := self.figure_kpi(kpi)) is not None:
                value, text, evidence = scored
            items.append(
                KPI(
                    text=text,
                    name=kpi.name,
                    definition=kpi.definition,
                    value=value,
                    basis="data" if evidence else "assumption",
                    evidence=evidence,
                )
            )
        return items

    @cached_property
    def _figures(self) -> list[Figure]:
        return [f for f in figures_of(self.texts) if f.role in SCORE_ROLES]

    def figure_kpi(self, kpi: KPIDef) -> tuple[str, str, list[Citation]] | None:
        """A rating, NPS or scale KPI's value from the survey's or reviews' computed figure.

        The figure is the one whose header and kind (the profiler's role meaning) share the most
        content words with the KPI's name, definition and initials, the header counted double; at least
        FIGURE_KPI_MIN_SHARED. The value is the figure's mean ("2.71") or NPS ("-9.0"), verbatim in
        the figure record it cites, with the top-two-box share in the text for a rating.
        """
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", kpi.name))  # "Net Promoter Score": nps
        wanted = content_stems(f"{kpi.name} {kpi.definition} {initials}")
        best: tuple[int, int, Figure] | None = None
        for figure in self._figures:
            header = content_stems(figure.header)
            shared = 2 * len(wanted & header) + len(
                wanted & (content_stems(ROLE_MEANING[figure.role]) - header)
            )
            key = (shared, figure.distribution.respondents)
            if shared >= FIGURE_KPI_MIN_SHARED and (best is None or key > best[:2]):
                best = (*key, figure)
        if best is None:
            return None
        figure = best[2]
        d = figure.distribution
        if figure.role == "nps" and d.nps is not None and (line := figure.cite_line("NPS")) is not None:
            value = f"{d.nps:+.1f}"
            return value, f"{kpi.name}: {value} ({d.respondents:,} answers, {figure.source})", [line]
        if d.mean is None or (line := figure.cite_line("Mean")) is None:
            return None
        value = f"{d.mean:.2f}"
        scale = f" on {d.scale[0]:g}-{d.scale[1]:g}" if d.scale else ""
        top = figure.top_box()
        extra = f"; {top[0]:.0%} gave {' or '.join(a.value for a in top[1])}" if top and top[1] else ""
        text = (
            f"{kpi.name}: {value}{scale} (mean of {d.respondents:,}{extra}; {figure.column}, {figure.source})"
        )
        return value, text, [line]

    def _funnel_citation(self, funnel: TableFunnel, result: FunnelResult) -> list[Citation]:
        """The record describing the funnel's table: its funnel line when verbatim there, else its opening."""
        opening = f"Analytics table {funnel.source}:"
        for record_id, text in self.texts.items():
            if text.startswith(opening):
                line = funnel_line(result)
                quote = line if line in text else text.splitlines()[0]
                return [Citation(evidence_id=record_id, quote=quote)]
        return []
