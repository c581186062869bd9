"""The LLM drafting chain: persona first, then stage by stage, fed the digest rather than raw chunks.

Records are shown to the model under short aliases (E1, E2 …) by their quotes — sentences cut
verbatim from them — inside delimited evidence blocks, not as whole chunks: that is what keeps the
prompts small. The model cites aliases, which are mapped back to evidence ids and checked.
Invalid citations get one repair round; what still fails becomes an assumption. A stage the model
cannot draft (junk twice, or no answer after retries) falls back to the offline draft of that
stage, and the result says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from assistant.analysis.digest import Digest, StageDigest
from assistant.analysis.stages import StageSet
from assistant.llm.fence import fence
from assistant.llm.structured import LLMError, invoke_json
from assistant.maps.citations import check_citation
from assistant.maps.models import JourneyMap, Persona, Stage
from assistant.maps.offline import MIN_PAIN_COUNT, MIN_PAIN_SHARE, OfflineDrafter
from assistant.models import Citation
from assistant.prompts import load_prompt

T = TypeVar("T", Stage, Persona)
EXCERPT_CHARS = 400
# Digest budget per stage prompt: enough for the model to write every lane with citations.
MAX_THEMES = 5
QUOTES_PER_THEME = 2
MAX_SEGMENTS = 3
MAX_PERSONA_SEGMENTS = 6
_CITE = [{"evidence_id": "E1", "quote": "only shown at the end"}]
STAGE_EXAMPLE = {
    "touchpoints": [{"text": "Website (40%)", "basis": "data", "evidence": _CITE}],
    "actions": [{"text": "Try to pay", "basis": "data", "evidence": _CITE}],
    "thoughts": [{"text": "“Why only now?”", "basis": "data", "evidence": _CITE}],
    "emotion": {"score": -0.4, "label": "frustrated", "basis": "data", "evidence": _CITE},
    "pain_points": [
        {
            "text": "Delivery cost shown late",
            "basis": "data",
            "frequency": {"count": 92, "share": 0.305},
            "evidence": _CITE,
        }
    ],
    "opportunities": [
        {
            "text": "Show delivery cost early",
            "basis": "data",
            "addresses": "Delivery cost shown late",
            "kpi": "Checkout completion rate",
            "evidence": _CITE,
        }
    ],
}
PERSONA_EXAMPLE = {
    "name": "Mobile member",
    "summary": "Shops on a phone, has an account, orders a few times a year.",
    "size": {"count": 420, "share": 0.39},
    "traits": [
        {
            "category": "demographic",
            "text": "device: mobile (62% of records)",
            "basis": "data",
            "evidence": [{"evidence_id": "E4", "quote": "on my phone"}],
        },
        {
            "category": "goal",
            "text": "Wants to know the full price early",
            "basis": "data",
            "evidence": [{"evidence_id": "E1", "quote": "delivery only shown now"}],
        },
        {
            "category": "motivation",
            "text": "Values sustainability (not voiced in the evidence)",
            "basis": "assumption",
            "evidence": [],
        },
    ],
    "quotes": [{"evidence_id": "E2", "quote": "so annoying"}],
}


@dataclass
class Aliases:
    """Short names for evidence ids in prompts, and the way back."""

    texts: Mapping[str, str]
    to_alias: dict[str, str] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)  # quotes already in the prompt (lowercased)

    def alias(self, evidence_id: str) -> str:
        """Return (assigning if new) the alias of an evidence id."""
        if evidence_id not in self.to_alias:
            self.to_alias[evidence_id] = f"E{len(self.to_alias) + 1}"
        return self.to_alias[evidence_id]

    def resolve(self, name: str) -> str:
        """Map an alias back to its id (unknown aliases are returned as given, and fail the checks)."""
        back = {alias: rid for rid, alias in self.to_alias.items()}
        return back.get(name.strip(), name)

    def block(self, ids: list[str] | None = None) -> str:
        """Render the aliased records as the evidence listing of a prompt."""
        chosen = ids if ids is not None else list(self.to_alias)
        lines = []
        for rid in chosen:
            text = fence(" ".join(self.texts.get(rid, "").split()))
            lines.append(f'[{self.alias(rid)}] "{text[:EXCERPT_CHARS]}"')
        return "\n".join(lines)


def example_json(example: dict[str, Any]) -> str:
    """Render a reply example compactly: it is repeated in every stage prompt."""
    return json.dumps(example, ensure_ascii=False, separators=(",", ":"))


def stage_messages(stage_id: str, description: str, persona: Persona, evidence: str) -> list[tuple[str, str]]:
    """Render the stage prompt around an evidence block (the digest, or a naive chain's chunks)."""
    system, user = load_prompt("stage").render(
        stage_name=stage_id,
        stage_description=description,
        persona=f"{persona.name}: {persona.summary}",
        digest=evidence,
        example=example_json(STAGE_EXAMPLE),
    )
    return [("system", system), ("user", user)]


def _quote(aliases: Aliases, citation: Citation) -> str:
    # Each quote is shown once per prompt; repeats (and same-text duplicates) cost tokens for nothing.
    alias = aliases.alias(citation.evidence_id)
    key = " ".join(citation.quote.lower().split())
    if key in aliases.shown:
        return f"[{alias}]"
    aliases.shown.add(key)
    return f'[{alias}] "{fence(citation.quote)}"'


def stage_digest_text(stage: StageDigest, aliases: Aliases, kpi_lines: list[str], total: int) -> str:
    """Render one stage's digest compactly, citing records by alias."""
    counts = stage.sentiment_counts
    lines = [
        f"Records in stage: {stage.count} ({stage.count / max(total, 1):.0%} of all); sentiment mean "
        f"{stage.sentiment_mean:+.2f} (negative {counts['negative']}, neutral {counts['neutral']}, "
        f"positive {counts['positive']})",
        "Themes (count, share of the stage's records):",
    ]
    # Themes below the offline drafter's pain-point floor are noise to the model too.
    floor = max(MIN_PAIN_COUNT, MIN_PAIN_SHARE * stage.count)
    for theme in [t for t in stage.themes if t.count >= floor][:MAX_THEMES]:
        quotes = " ".join(_quote(aliases, q) for q in theme.quotes[:QUOTES_PER_THEME])
        lines.append(f"- {theme.label}: {theme.count} ({theme.share:.1%}) — {quotes}")
    if stage.touchpoints:
        lines.append(
            "Touchpoints: "
            + "; ".join(
                f"{t.channel} {t.count} ({t.share:.0%}) [{aliases.alias(t.evidence_ids[0])}]"
                for t in stage.touchpoints[:6]
            )
        )
    for attribute, shares in list(stage.segments.items())[:MAX_SEGMENTS]:
        lines.append(f"Segment {attribute}: " + ", ".join(f"{s.value} {s.share:.0%}" for s in shares[:4]))
    lines += kpi_lines
    shown = [*stage.negative_quotes[:2], *stage.positive_quotes[:1], *stage.neutral_quotes[:1]]
    lines.append("Quotes: " + " ".join(_quote(aliases, q) for q in shown))
    return "\n".join(lines)


def _resolve_citations(data: Any, aliases: Aliases) -> Any:
    """Replace aliases with evidence ids throughout a parsed reply."""
    if isinstance(data, dict):
        return {
            k: aliases.resolve(v)
            if k == "evidence_id" and isinstance(v, str)
            else _resolve_citations(v, aliases)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_resolve_citations(v, aliases) for v in data]
    return data


@dataclass
class LLMDraft:
    """A drafted map and what went wrong on the way (stages that fell back, repairs made)."""

    journey_map: JourneyMap
    warnings: list[str] = field(default_factory=list)
    repaired: int = 0


class LLMDrafter:
    """Drafts with a chat model; the offline drafter supplies KPI figures and per-stage fallbacks."""

    def __init__(
        self,
        model: Any,
        model_name: str,
        stage_set: StageSet,
        texts: Mapping[str, str],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.model = model
        self.model_name = model_name
        self.stage_set = stage_set
        self.texts = texts
        self.sleep = sleep
        self.offline = OfflineDrafter(stage_set, texts)
        self.sent: list[list[tuple[str, str]]] = []  # every message list sent, for the token benchmark

    def _ask(self, messages: list[tuple[str, str]], schema: type[T], prepare: Callable[[Any], Any]) -> T:
        self.sent.append(messages)
        return invoke_json(self.model, messages, schema, self.sleep, prepare)

    def _checked(self, item: Stage | Persona, aliases: Aliases, evidence_ids: list[str]) -> tuple[Any, bool]:
        """Check citations; on failure run one repair round. Return (item, repaired)."""
        problems = self._problems(item)
        if not problems:
            return item, False
        spec = load_prompt("repair")
        previous = json.loads(item.model_dump_json())
        system, user = spec.render(
            problems="\n".join(f"- {p}" for p in problems),
            evidence=aliases.block(evidence_ids),
            previous=json.dumps(_aliased(previous, aliases), ensure_ascii=False),
        )
        try:
            schema: type[Any] = type(item)  # a Stage or the Persona: the repair keeps the item's own type
            repaired = self._ask(
                [("system", system), ("user", user)], schema, lambda d: _resolve_citations(d, aliases)
            )
        except LLMError:
            return item, True  # the unrepaired citations become assumptions in the final check
        return repaired, True

    def _problems(self, item: Stage | Persona) -> list[str]:
        problems = []
        for citation in _citations(item):
            reason = check_citation(citation, self.texts)
            if reason:
                problems.append(f"{citation.evidence_id}: {reason} (quote: {citation.quote!r})")
        return problems

    def draft(
        self, digest: Digest, persona: Persona, title: str, scope: str = "", stages: list[str] | None = None
    ) -> LLMDraft:
        """Draft the persona, then each stage; fall back per stage when the model fails."""
        fallback = self.offline.draft(digest, persona, title, scope, stages)
        aliases = Aliases(self.texts)
        warnings: list[str] = []
        repaired = 0
        persona_text = self._persona_digest(digest, persona, aliases)
        spec = load_prompt("persona")
        system, user = spec.render(digest=persona_text, example=example_json(PERSONA_EXAMPLE))
        try:
            drafted_persona = self._ask(
                [("system", system), ("user", user)], Persona, lambda d: _resolve_citations(d, aliases)
            )
            drafted_persona, fixed = self._checked(drafted_persona, aliases, list(aliases.to_alias))
            repaired += fixed
        except LLMError as exc:
            warnings.append(f"persona: {exc}; kept the offline persona")
            drafted_persona = persona
        drafted_stages = []
        for offline_stage in fallback.stages:
            stage_digest = digest.stage(offline_stage.name)
            if stage_digest is None or stage_digest.count == 0:
                drafted_stages.append(offline_stage)
                continue
            try:
                stage, fixed = self._draft_stage(stage_digest, offline_stage, drafted_persona, digest.records)
                repaired += fixed
                drafted_stages.append(stage)
            except LLMError as exc:
                warnings.append(f"stage {offline_stage.name}: {exc}; used the offline draft of this stage")
                drafted_stages.append(offline_stage)
        engine = self.model_name + (" (offline fallback for some parts)" if warnings else "")
        journey_map = fallback.model_copy(
            update={"persona": drafted_persona, "stages": drafted_stages, "engine": engine}
        )
        return LLMDraft(journey_map, warnings, repaired)

    def _persona_digest(self, digest: Digest, persona: Persona, aliases: Aliases) -> str:
        lines = [f"Records: {digest.records}; sources: {digest.sources}"]
        for attribute, shares in list(digest.segments.items())[:MAX_PERSONA_SEGMENTS]:
            lines.append(f"Segment {attribute}: " + ", ".join(f"{s.value} {s.share:.0%}" for s in shares[:5]))
        themes = sorted((t for s in digest.stages for t in s.themes), key=lambda t: -t.count)[:6]
        for theme in themes:
            lines.append(
                f"Frustration: {theme.label} — {theme.count} records "
                + " ".join(_quote(aliases, q) for q in theme.quotes[:1])
            )
        for trait in persona.traits:
            if trait.basis == "data" and trait.category in ("goal", "motivation", "behaviour"):
                lines.append(
                    f"Voiced {trait.category}: " + " ".join(_quote(aliases, q) for q in trait.evidence[:1])
                )
        return "\n".join(lines)

    def _draft_stage(
        self, digest: StageDigest, offline_stage: Stage, persona: Persona, total: int
    ) -> tuple[Stage, bool]:
        aliases = Aliases(self.texts)
        # KPIs and the owner are computed or catalogued, not written: the model only names a KPI to
        # watch for each opportunity, and the computed KPIs and owner are kept as they are.
        kpi_lines = [
            "KPIs to watch: "
            + "; ".join(f"{k.name} = {k.value}" if k.value else k.name for k in offline_stage.kpis)
        ]
        body = stage_digest_text(digest, aliases, kpi_lines, total)
        messages = stage_messages(digest.id, self.stage_set.get(digest.id).description, persona, body)

        def prepare(data: Any) -> Any:
            return {**_resolve_citations(data, aliases), "name": digest.id}

        stage = self._ask(messages, Stage, prepare)
        stage, repaired = self._checked(stage, aliases, list(aliases.to_alias))
        return stage.model_copy(update={"kpis": offline_stage.kpis, "owner": offline_stage.owner}), repaired


def _aliased(data: Any, aliases: Aliases) -> Any:
    if isinstance(data, dict):
        return {
            k: aliases.to_alias.get(v, v) if k == "evidence_id" else _aliased(v, aliases)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_aliased(v, aliases) for v in data]
    return data


def _citations(item: Stage | Persona) -> list[Citation]:
    found: list[Citation] = []

    def walk(value: Any) -> None:
        if isinstance(value, Citation):
            found.append(value)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))

    walk(item)
    return found
