"""Offline checks of one claim: citations, support, contradiction, quantities, KPIs, emotion.

Each check returns a `Check`: the verdict and the findings behind it. No model is involved; every
figure comes from the digest or the records, so every verdict is reproducible.

Support is decided on the record's closest *unit* (sentence or contrast clause, as themes use),
not the whole record: a ticket's greeting and sign-off would blur the one sentence that matters.
A record supports a claim when that unit is very close (SUPPORT_SIMILARITY), or close
(SUPPORT_SIMILARITY_SHARED) and shares a content word with the claim: "TV advertising" is
semantically near "saw your advert on my phone", and the missing "TV" is the point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.analysis.digest import ThemeDigest
from assistant.analysis.lexical_terms import content_stems
from assistant.analysis.sentiment import sentiment_score
from assistant.analysis.themes import load_taxonomy
from assistant.analysis.touchpoints import channels_of
from assistant.evidence.facts import STEP_WORDS, Metric, RecordMatch, WorkspaceFacts
from assistant.maps.citations import check_citation
from assistant.models import Citation
from assistant.review.claims import MapClaim
from assistant.review.models import ClaimVerdict, Finding, Verdict

RETRIEVE = 15
SUPPORT_SIMILARITY = 0.62
SUPPORT_SIMILARITY_SHARED = 0.45
RELEVANT_SIMILARITY = 0.40
CITATION_SIMILARITY = 0.30
THEME_SIMILARITY = 0.55
THEME_MIN_COUNT = 3
POSITIVE_CLAIM = 0.35
DIRECTION_RATIO = 1.25  # one side must outnumber the other by this much to set a direction
STRONG_EMOTION = 0.5
NEGATIVE_MAJORITY = 0.55
MIN_RELEVANT = 4
EMOTION_MIN_RECORDS = 30
KPI_TOLERANCE = 0.05  # five points
QUANTITY_TOLERANCE = 0.10
THIN_RECORDS = 2

MOST = re.compile(r"\b(most|majority|nearly all|almost all|all customers|everyone|every customer)\b", re.I)
PERCENT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*%")
ABSENCE = re.compile(
    r"\bno (?:significant |major |real |big )?(?:pain ?points?|problems?|issues?|complaints?)\b", re.I
)
RANKED = re.compile(r"\b(top|main|biggest|largest|primary|number one|#1)\b", re.I)


@dataclass
class Check:
    """The outcome of checking one claim."""

    verdict: Verdict
    reason: str
    evidence: list[Citation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _cite(match: RecordMatch) -> Citation:
    return Citation(evidence_id=match.record.id, quote=match.unit.text)


def _supports(match: RecordMatch) -> bool:
    return match.similarity >= SUPPORT_SIMILARITY or (
        match.similarity >= SUPPORT_SIMILARITY_SHARED and match.shared_stems > 0
    )


class ClaimChecker:
    """Checks claims against one workspace's facts."""

    def __init__(self, facts: WorkspaceFacts) -> None:
        self.facts = facts
        self.taxonomy = load_taxonomy()
        self._theme_vectors: dict[str, np.ndarray] = {}

    # --- entry point -----------------------------------------------------------------------

    def check(self, claim: MapClaim) -> tuple[ClaimVerdict, list[Finding]]:
        """Check one claim: its verdict and the findings behind it."""
        citation_findings, valid = self.citations(claim)
        if claim.component == "emotion":
            outcome = self.emotion(claim)
        elif claim.component == "owner":
            outcome = Check(
                "unsupported",
                "who owns a stage is an organisational choice; customer evidence cannot confirm it",
                findings=[
                    self._finding(
                        claim,
                        "unsupported",
                        "low",
                        "Owner is an assumption: customer evidence cannot confirm who owns the stage.",
                        suggestion="Confirm the owner with the business; keep it marked as an assumption.",
                    )
                ],
            )
        elif claim.component == "kpis":
            outcome = self.kpi(claim, valid)
        else:
            outcome = self.statement(claim, valid)
        if citation_findings and not valid:
            outcome = Check(
                "miscited",
                citation_findings[0].message,
                outcome.evidence,
                citation_findings + [f for f in outcome.findings if f.kind != "weak_evidence"],
            )
        verdict = ClaimVerdict(
            path=claim.path,
            component=claim.component,
            stage=claim.stage,
            text=claim.text,
            verdict=outcome.verdict,
            reason=outcome.reason,
            evidence=outcome.evidence[:5],
        )
        return verdict, outcome.findings

    # --- citations -------------------------------------------------------------------------

    def citations(self, claim: MapClaim) -> tuple[list[Finding], list[Citation]]:
        """Check each citation: the id exists, the quote is verbatim, the record speaks to the claim.

        Returns invalid_citation findings and the citations that hold. A record "speaks to" a claim
        when its quote or closest unit is semantically close, or it shares a content word with the
        claim in its text or metadata (a segment trait "device: mobile" cites records by their
        device field, whatever they say).
        """
        findings, good = [], []
        for citation in claim.citations:
            problem = check_citation(citation, self.facts.texts)
            if problem is None and claim.component not in ("emotion", "kpis"):
                problem = self._off_topic(claim, citation)
            if problem is None:
                good.append(citation)
                continue
            # A broken id or a quote that is not in the record is a hard fault; a real quote that
            # reads as off-topic is a judgement, reported one step lower.
            severity = "medium" if problem.startswith("the quoted evidence is about") else "high"
            findings.append(
                self._finding(
                    claim,
                    "invalid_citation",
                    severity,
                    f"Citation of {citation.evidence_id}: {problem}.",
                    suggestion="Cite a record whose text supports the claim, quoting it verbatim.",
                )
            )
        return findings, good

    def _off_topic(self, claim: MapClaim, citation: Citation) -> str | None:
        record = self.facts.records[citation.evidence_id]
        vectors = self.facts.embed([claim.subject, citation.quote])
        similarity = float(vectors[0] @ vectors[1])
        if similarity >= CITATION_SIMILARITY:
            return None
        # A short quote may be one clause of a passage that says more ("Only the bot." after
        # "Can't speak to a human."): the sentences around the quote count too, but not a distant
        # part of a long record (a research summary mentions everything somewhere).
        around = self.facts.units_around(record, citation.quote)
        if around and float((self.facts.embed(around) @ vectors[0]).max()) >= CITATION_SIMILARITY:
            return None
        if claim.context:  # an opportunity cites the evidence of the pain point it addresses
            context = self.facts.embed([claim.context])[0]
            similarity = max(similarity, float(context @ vectors[1]))
            if similarity >= CITATION_SIMILARITY:
                return None
        # A touchpoint is evidenced by the channel a record came through or names.
        if claim.component == "touchpoints":
            named = channels_of(claim.subject, {})
            if named and named & channels_of(record.text, record.attributes):
                return None
        metadata = " ".join(
            str(v).replace("_", " ") for v in record.attributes.values() if isinstance(v, str)
        )
        words = content_stems(f"{claim.subject} {claim.context}", drop_generic=False)
        # Shared words count in the quote itself (and the record's metadata, e.g. its channel).
        if words & content_stems(f"{citation.quote} {metadata}", drop_generic=False):
            return None
        return f"the quoted evidence is about something else (similarity {similarity:.2f})"

    # --- free-text statements ---------------------------------------------------------------

    def statement(self, claim: MapClaim, valid: list[Citation]) -> Check:
        """Touchpoints, actions, thoughts, pain points, opportunities, persona traits."""
        subject = claim.subject
        # A thought that is itself a customer's verbatim words is data, however others feel.
        if valid and any(subject in self.facts.texts[c.evidence_id] for c in valid):
            return Check("supported", "a customer's own words, quoted verbatim", valid)
        matches = self.facts.matches(subject, RETRIEVE)
        supporting = [m for m in matches if _supports(m)]
        relevant = [m for m in matches if m.similarity >= RELEVANT_SIMILARITY]
        theme_stage, theme, theme_similarity = self.nearest_theme(subject)
        contradiction = self.contradiction(claim, relevant, theme_stage, theme, theme_similarity)
        if contradiction is not None:
            return contradiction
        if valid:
            findings = []
            if len({c.evidence_id for c in valid}) < THIN_RECORDS and not supporting:
                findings.append(self._thin(claim, valid))
            return Check("supported", f"its {len(valid)} citations hold", valid, findings)
        unheard = sorted(content_stems(subject) - self.facts.vocabulary)
        if unheard:
            return Check(
                "unsupported",
                f"no record mentions {', '.join(unheard)}",
                findings=[
                    self._finding(
                        claim,
                        "unsupported",
                        "medium",
                        f"No evidence mentions {', '.join(repr(w) for w in unheard)}; this is an assumption.",
                        suggestion="Find evidence for it or mark it as a hypothesis to test.",
                    )
                ],
            )
        themed = theme is not None and theme_similarity >= THEME_SIMILARITY and theme.count >= THEME_MIN_COUNT
        if not supporting and not themed:
            best = matches[0] if matches else None
            closest = f" (closest: {best.record.id}, similarity {best.similarity:.2f})" if best else ""
            return Check(
                "unsupported",
                f"no record supports it{closest}",
                findings=[
                    self._finding(
                        claim,
                        "unsupported",
                        "medium",
                        "No evidence supports this; it is an assumption.",
                        suggestion="Find evidence (interviews, tickets, data) or mark it a hypothesis.",
                    )
                ],
            )
        evidence = [_cite(m) for m in supporting[:5]]
        if themed and theme is not None:
            evidence = evidence or list(theme.quotes)
            reason = f"theme '{theme.label}' ({theme.count} records, {theme.share:.0%} of {theme_stage})" + (
                f" and {len(supporting)} close records" if supporting else ""
            )
        else:
            reason = f"{len(supporting)} records say so"
        return Check(
            "supported", reason, evidence, self._support_findings(claim, supporting, evidence, themed)
        )

    def _support_findings(
        self, claim: MapClaim, supporting: list[RecordMatch], evidence: list[Citation], themed: bool
    ) -> list[Finding]:
        findings = []
        if not claim.citations:
            findings.append(
                self._finding(
                    claim,
                    "weak_evidence",
                    "low",
                    "The data supports this, but the claim cites nothing.",
                    evidence=evidence[:3],
                    suggestion="Cite the evidence listed here.",
                )
            )
        elif not themed and len({m.record.id for m in supporting}) < THIN_RECORDS:
            findings.append(self._thin(claim, evidence[:3]))
        return findings

    def _thin(self, claim: MapClaim, evidence: list[Citation]) -> Finding:
        return self._finding(
            claim,
            "weak_evidence",
            "low",
            "Only one record supports this.",
            evidence=evidence,
            suggestion="Look for more evidence before acting on it.",
        )

    def nearest_theme(self, text: str) -> tuple[str | None, ThemeDigest | None, float]:
        """The digest theme whose quotes and taxonomy examples are closest to a text."""
        claim_vector = self.facts.embed([text])[0]
        definitions = {d.id: d for ds in self.taxonomy.themes.values() for d in ds}
        best: tuple[str | None, ThemeDigest | None, float] = (None, None, -1.0)
        for stage_id, theme in self.facts.themes():
            if theme.id not in self._theme_vectors:
                definition = definitions.get(theme.id)
                examples = list(definition.examples) if definition else [q.quote for q in theme.quotes]
                examples.append(theme.label)
                if definition and definition.opportunity:
                    examples.append(definition.opportunity)
                self._theme_vectors[theme.id] = self.facts.embed(examples)
            similarities = np.sort(self._theme_vectors[theme.id] @ claim_vector)[-2:]
            score = float(similarities.mean())
            if score > best[2]:
                best = (stage_id, theme, score)
        return best

    def contradiction(
        self,
        claim: MapClaim,
        relevant: list[RecordMatch],
        theme_stage: str | None,
        theme: ThemeDigest | None,
        theme_similarity: float,
    ) -> Check | None:
        """A claim the data says the opposite of: polarity, absence of pain, quantities, ranking."""
        stage = self.facts.digest.stage(claim.stage) if claim.stage else None
        if ABSENCE.search(claim.subject) and stage is not None:
            big = [t for t in stage.themes if t.count >= THEME_MIN_COUNT]
            feelings = self.facts.stage_feelings(stage.id)
            negative, total = feelings["negative"], sum(feelings.values())
            if big and negative >= 0.4 * max(total, 1):
                evidence = [q for t in big[:3] for q in t.quotes[:1]]
                summary = "; ".join(f"{t.label} {t.count} ({t.share:.0%})" for t in big[:3])
                return self._contradicted(
                    claim, f"{negative} of {total} records are negative: {summary}", evidence
                )
        polarity = sentiment_score(claim.subject)
        # Only statements of opinion have a polarity to contradict; "Rewards points" names a channel.
        opinion = claim.component in ("thoughts", "persona")
        if opinion and polarity >= POSITIVE_CLAIM and len(relevant) >= MIN_RELEVANT:
            against = [m for m in relevant if self.facts.is_negative(m.record)]
            if len(against) / len(relevant) >= NEGATIVE_MAJORITY:
                return self._contradicted(
                    claim,
                    f"{len(against)} of {len(relevant)} records about it are negative",
                    [_cite(m) for m in against[:3]],
                )
        claimed = _claimed_share(claim.subject)
        if claimed is not None and theme is not None and theme_similarity >= THEME_SIMILARITY - 0.1:
            actual = theme.share  # type: ignore[attr-defined]
            if abs(claimed - actual) > QUANTITY_TOLERANCE and not (
                MOST.search(claim.subject) and actual >= 0.5
            ):
                return self._contradicted(
                    claim,
                    f"the data gives {actual:.0%} ({theme.count} records of {theme_stage}, "  # type: ignore[attr-defined]
                    f"theme '{theme.label}'), not {claimed:.0%}",  # type: ignore[attr-defined]
                    list(theme.quotes[:2]),  # type: ignore[attr-defined]
                    kind="quantity_mismatch",
                )
        if RANKED.search(claim.subject) and theme is not None and theme_similarity >= THEME_SIMILARITY:
            stage_of_theme = self.facts.digest.stage(theme_stage or "")
            ranked = sorted(stage_of_theme.themes, key=lambda t: -t.count) if stage_of_theme else []
            if ranked and ranked[0].id != theme.id and ranked[0].count > 1.5 * theme.count:  # type: ignore[attr-defined]
                return self._contradicted(
                    claim,
                    f"'{ranked[0].label}' is the largest {theme_stage} theme ({ranked[0].count} records); "
                    f"'{theme.label}' has {theme.count}",  # type: ignore[attr-defined]
                    list(ranked[0].quotes[:2]),
                )
        return None

    def _contradicted(
        self, claim: MapClaim, reason: str, evidence: list[Citation], kind: str = "contradicted"
    ) -> Check:
        return Check(
            "contradicted",
            reason,
            evidence,
            [
                self._finding(
                    claim,
                    kind,
                    "high",
                    f"The data says otherwise: {reason}.",
                    evidence=evidence,
                    suggestion="Rewrite the claim to match the evidence.",
                )
            ],
        )

    # --- emotion ------------------------------------------------------------------------------

    def emotion(self, claim: MapClaim) -> Check:
        """An emotion's direction against the sentiment of the stage's records."""
        stage = self.facts.digest.stage(claim.stage or "")
        score = claim.emotion_score or 0.0
        if stage is None or stage.count < EMOTION_MIN_RECORDS:
            count = stage.count if stage else 0
            return Check(
                "unsupported",
                f"too little evidence to set an emotion ({count} records)",
                findings=[
                    self._finding(
                        claim,
                        "weak_evidence",
                        "medium",
                        f"Only {count} records in this stage; too few to read an emotion from.",
                        suggestion="Gather more evidence, or mark the emotion as an assumption.",
                    )
                ],
            )
        counts = self.facts.stage_feelings(stage.id)
        negative, positive = counts["negative"], counts["positive"]
        summary = (
            f"{sum(counts.values())} customer records: {negative} negative (flat complaints included), "
            f"{positive} positive, {counts['neutral']} neutral"
        )
        if negative >= DIRECTION_RATIO * positive:
            direction, evidence = -1, list(stage.negative_quotes[:3])
        elif positive >= DIRECTION_RATIO * negative:
            direction, evidence = 1, list(stage.positive_quotes[:3])
        else:
            direction, evidence = 0, list(stage.negative_quotes[:2] + stage.positive_quotes[:2])
        if direction and abs(score) >= 0.15 and (score > 0) != (direction > 0):
            return self._contradicted(claim, f"emotion {score:+.1f} against {summary}", evidence)
        if not direction and abs(score) > STRONG_EMOTION:
            return Check(
                "unsupported",
                f"the evidence is mixed ({summary}); it does not support a strong {score:+.1f}",
                findings=[
                    self._finding(
                        claim,
                        "unsupported",
                        "medium",
                        f"Evidence is mixed ({summary}); a strong emotion is an assumption.",
                        evidence=evidence,
                        suggestion="Use a moderate score, or split the stage by segment.",
                    )
                ],
            )
        return Check("supported", f"direction fits: {summary}", evidence)

    # --- KPIs ----------------------------------------------------------------------------------

    def kpi(self, claim: MapClaim, valid: list[Citation]) -> Check:
        """A KPI is supported when the data can measure it; a stated value must match the data."""
        metric = self.metric_for(claim.text)
        if metric is None and valid and claim.kpi_value:
            quoted = [c for c in valid if claim.kpi_value.strip() in self.facts.texts[c.evidence_id]]
            if quoted:
                return Check("supported", f"its value {claim.kpi_value} is in the cited record", quoted)
        if metric is None:
            return Check(
                "unsupported",
                "the data has no measure of this KPI",
                findings=[
                    self._finding(
                        claim,
                        "unsupported",
                        "medium",
                        "The evidence cannot measure this KPI.",
                        suggestion="Name the data source that will measure it, or keep it as a target.",
                    )
                ],
            )
        stated = _stated_value(claim.kpi_value or claim.text, metric)
        if stated is not None:
            gap = abs(stated - metric.value)
            tolerance = KPI_TOLERANCE if metric.unit == "share" else 10.0
            if gap > tolerance:
                shown = f"{stated:.0%}" if metric.unit == "share" else f"{stated:+.0f}"
                return self._contradicted(
                    claim,
                    f"the data gives {metric.detail}, not {shown}",
                    metric.evidence,
                    kind="quantity_mismatch",
                )
        return Check("supported", f"measurable: {metric.detail}", metric.evidence)

    def metric_for(self, text: str) -> Metric | None:
        """The computed metric a KPI name refers to, if any."""
        lowered = text.lower()
        metrics = {m.name: m for m in self.facts.metrics}
        if re.search(r"[£$€]|\bvalue\b|revenue|spend|basket size|margin|cost", lowered):
            return metrics.get("money")  # no money figures are computed from feedback yet
        if re.search(r"\bnps\b|net promoter", lowered):
            return metrics.get("nps")
        if re.search(r"repeat|reorder|re-order|retention|returning customers", lowered):
            return metrics.get("repeat")
        positions = []
        for step, words in STEP_WORDS.items():
            found = [m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}", lowered)]
            if found:
                positions.append((min(found), step))
        steps = [s for _, s in sorted(positions)]
        order = list(STEP_WORDS)
        if len(steps) >= 2:
            pair = sorted({steps[0], steps[1]}, key=order.index)
            if len(pair) == 2:
                return metrics.get(f"{pair[0]}->{pair[1]}")
        if steps == ["order"] or re.search(r"conversion rate", lowered):
            return metrics.get("visit->order")
        return None

    def _finding(
        self,
        claim: MapClaim,
        kind: str,
        severity: str,
        message: str,
        evidence: list[Citation] | None = None,
        suggestion: str = "",
    ) -> Finding:
        return Finding(
            path=claim.path,
            kind=kind,  # type: ignore[arg-type]
            severity=severity,  # type: ignore[arg-type]
            message=message,
            evidence=evidence or [],
            suggestion=suggestion,
        )


def _claimed_share(text: str) -> float | None:
    match = PERCENT.search(text)
    if match:
        return float(match.group(1)) / 100
    if MOST.search(text):
        return 0.6
    return None


def _stated_value(text: str, metric: Metric) -> float | None:
    if metric.unit == "share":
        match = PERCENT.search(text)
        return float(match.group(1)) / 100 if match else None
    match = re.search(r"([+-]?\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else None
