"""Where and who: the funnel steps of a stage, the largest drop-off, and the segments that drop more.

Figures come from the workspace's aggregate funnel export (summed by DuckDB at ingest and analysis
time) and, when an event log is registered and the funnel engine is available, from the event log.
Every figure cites the analytics record that holds it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from assistant.analysis.funnel_totals import DEFAULT_STEPS, AggregateFunnel, StepCount
from assistant.analysis.stages import StageSet
from assistant.ask.models import Fact
from assistant.models import Citation
from assistant.review.facts import WorkspaceFacts

MIN_SEGMENT_ENTRANTS = 100  # a segment smaller than this at a step is too small to compare


@dataclass
class Drop:
    """One step-to-step transition of a funnel."""

    source: str
    target: str
    entered: int
    continued: int

    @property
    def conversion(self) -> float:
        """Share of those at `source` who reached `target`."""
        return self.continued / self.entered if self.entered else 0.0

    @property
    def lost(self) -> float:
        """Share lost between the two steps."""
        return 1.0 - self.conversion


def stage_steps(stage_set: StageSet, stage_id: str | None) -> tuple[int, int] | None:
    """The span of funnel steps a stage's KPIs cover, as indexes into DEFAULT_STEPS."""
    stage = next((s for s in stage_set.stages if s.id == stage_id), None)
    ends = [
        (DEFAULT_STEPS.index(k.funnel_from), DEFAULT_STEPS.index(k.funnel_to))
        for k in (stage.kpis if stage else [])
        if k.funnel_from in DEFAULT_STEPS and k.funnel_to in DEFAULT_STEPS
    ]
    if not ends:
        return None
    return min(a for a, _ in ends), max(b for _, b in ends)


def stage_of_step(stage_set: StageSet, step: str) -> str | None:
    """The first stage whose funnel span ends at or after a step."""
    if step not in DEFAULT_STEPS:
        return None
    index = DEFAULT_STEPS.index(step)
    for stage in stage_set.stages:
        span = stage_steps(stage_set, stage.id)
        if span is not None and span[0] < index <= span[1]:
            return stage.id
    return None


def transitions(steps: list[StepCount], span: tuple[int, int] | None) -> list[Drop]:
    """Consecutive step pairs, limited to a span of DEFAULT_STEPS when given."""
    drops = []
    for before, after in itertools.pairwise(steps):
        if span is not None:
            if before.name not in DEFAULT_STEPS or after.name not in DEFAULT_STEPS:
                continue
            if DEFAULT_STEPS.index(before.name) < span[0] or DEFAULT_STEPS.index(after.name) > span[1]:
                continue
        drops.append(Drop(before.name, after.name, before.count, after.count))
    return drops


def _summary_line(facts: WorkspaceFacts, funnel: AggregateFunnel, *needles: str) -> list[Citation]:
    record = next(
        (
            r
            for r in facts.records.values()
            if r.kind == "analytics" and funnel.source.split(".")[0] in r.text and "Funnel totals" in r.text
        ),
        None,
    )
    if record is None:
        return []
    lines = [ln.strip() for ln in record.text.splitlines() if ln.strip()]
    line = next((ln for ln in lines if all(n in ln for n in needles)), None) or next(
        (ln for ln in lines if "Funnel totals" in ln), lines[0]
    )
    return [Citation(evidence_id=record.id, quote=line)]


def where_facts(
    facts: WorkspaceFacts, stage_id: str | None, stage_set: StageSet
) -> tuple[list[Fact], Drop | None]:
    """The stage's funnel transitions with their conversions; the largest drop first."""
    funnel = facts.digest.funnel
    if funnel is None:
        return [], None
    drops = transitions(funnel.steps, stage_steps(stage_set, stage_id)) or transitions(funnel.steps, None)
    if not drops:
        return [], None
    worst = min(drops, key=lambda d: d.conversion)
    ordered = [worst] + [d for d in drops if d is not worst]
    found = []
    for drop in ordered:
        label = f"{drop.source} → {drop.target}" + (" (largest drop-off)" if drop is worst else "")
        found.append(
            Fact(
                kind="where",
                label=label,
                figure=(
                    f"{drop.conversion:.1%} continue ({drop.continued:,} of {drop.entered:,}); "
                    f"{drop.lost:.1%} drop off"
                ),
                value=drop.conversion,
                count=drop.entered,
                evidence=_summary_line(facts, funnel, f"{drop.target} conversion"),
            )
        )
    return found, worst


def who_facts(
    facts: WorkspaceFacts, stage_id: str | None, stage_set: StageSet, worst: Drop | None
) -> list[Fact]:
    """Segments that drop more: per segment conversion at the largest drop, and the widest gap."""
    funnel = facts.digest.funnel
    if funnel is None or not funnel.by_segment or worst is None:
        return []
    span = stage_steps(stage_set, stage_id)
    per_segment = {value: transitions(steps, span) for value, steps in funnel.by_segment.items()}
    found: list[Fact] = []
    gaps = []
    for index, drop in enumerate(transitions(funnel.steps, span)):
        rates = {
            value: drops[index]
            for value, drops in per_segment.items()
            if index < len(drops) and drops[index].entered >= MIN_SEGMENT_ENTRANTS
        }
        if len(rates) >= 2:
            low = min(rates, key=lambda v: rates[v].conversion)
            high = max(rates, key=lambda v: rates[v].conversion)
            gaps.append((rates[high].conversion - rates[low].conversion, drop, low, high, rates))
    for gap, drop, low, high, rates in sorted(gaps, key=lambda g: -g[0])[:2]:
        found.append(
            Fact(
                kind="who",
                label=f"{funnel.segment} {low} drops more at {drop.source} → {drop.target}",
                figure=(
                    f"{low} {rates[low].conversion:.1%} vs {high} {rates[high].conversion:.1%} continue "
                    f"({gap * 100:.1f} points apart; "
                    f"{rates[low].entered:,} and {rates[high].entered:,} entered)"
                ),
                value=gap,
                count=rates[low].entered,
                evidence=_summary_line(facts, funnel, f"{funnel.segment} {low}"),
            )
        )
    return found
