"""Where and who: the funnel steps of a stage, the largest drop-off, the segments that drop more.

Every registered funnel table (an aggregate export, an event log, a per-session table) gives its
figures through the one funnel engine (`WorkspaceFacts.funnels`: a FunnelResult per table, read by
its saved profile and the stage set's step table). A stage's KPIs name the step ids it spans
(`funnel_from` / `funnel_to`); each figure cites the record that describes its table, and each
table's data-quality warnings come along as facts of their own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from assistant.analysis.stages import StageSet
from assistant.ask.models import Fact
from assistant.evidence.facts import WorkspaceFacts
from assistant.funnels.models import FunnelResult, FunnelStep
from assistant.funnels.workspace import SHAPE_ORDER, TableFunnel, funnel_line, step_lines, warning_line

MIN_SEGMENT_ENTRANTS = 100  # a segment smaller than this at a step is too small to compare
MIN_GAP = 0.005  # half a point: a smaller gap between segments is no difference worth reporting
SHAPE_LABEL = {"aggregate": "export", "event_log": "event log", "entity_table": "one row per session"}


@dataclass
class Drop:
    """One step-to-step transition of a funnel."""

    source: str
    target: str
    entered: float
    continued: float
    source_step: str | None = None
    target_step: str | None = None
    index: int = 1  # position of the target step in the funnel

    @property
    def conversion(self) -> float:
        """Share of those at `source` who reached `target`."""
        return self.continued / self.entered if self.entered else 0.0

    @property
    def lost(self) -> float:
        """Share lost between the two steps."""
        return 1.0 - self.conversion


def stage_steps(stage_set: StageSet, stage_id: str | None) -> tuple[int, int] | None:
    """The span of funnel steps a stage's KPIs cover, as indexes into the stage set's step ids."""
    table = stage_set.step_table()
    stage = next((s for s in stage_set.stages if s.id == stage_id), None)
    ends = [
        (table.order(k.funnel_from), table.order(k.funnel_to))
        for k in (stage.kpis if stage else [])
        if k.funnel_from and k.funnel_to and table.known(k.funnel_from) and table.known(k.funnel_to)
    ]
    if not ends:
        return None
    return min(a for a, _ in ends), max(b for _, b in ends)


def stage_of_step(stage_set: StageSet, step: str | None) -> str | None:
    """The first stage whose funnel span ends at or after a step id."""
    table = stage_set.step_table()
    if not table.known(step):
        return None
    index = table.order(step or "")
    for stage in stage_set.stages:
        span = stage_steps(stage_set, stage.id)
        if span is not None and span[0] < index <= span[1]:
            return stage.id
    return None


def transitions(
    result: FunnelResult, steps: list[FunnelStep], span: tuple[int, int] | None, stage_set: StageSet
) -> list[Drop]:
    """Consecutive step pairs, limited to a span of step ids when given."""
    table = stage_set.step_table()
    drops = []
    for index, (before, after) in enumerate(itertools.pairwise(steps), start=1):
        if span is not None:
            if not (table.known(before.step) and table.known(after.step)):
                continue
            if table.order(before.step or "") < span[0] or table.order(after.step or "") > span[1]:
                continue
        entered = result.exact.get(before.name, before.count) if steps is result.steps else before.count
        continued = result.exact.get(after.name, after.count) if steps is result.steps else after.count
        drops.append(Drop(before.name, after.name, entered, continued, before.step, after.step, index))
    return drops


def ranked_funnels(facts: WorkspaceFacts) -> list[TableFunnel]:
    """The workspace's funnels with figures: exports first, then event logs, then per-session tables."""
    having = [f for f in facts.funnels if f.result is not None and len(f.result.steps) >= 2]
    return sorted(having, key=lambda f: SHAPE_ORDER.get(f.shape, 9))


def _describe(funnel: TableFunnel) -> str:
    result = funnel.result
    assert result is not None
    if result.shape == "event_log":
        window = (
            "any order"
            if result.window_seconds == 0
            else f"{(result.window_seconds or 0) // 86400}-day window"
        )
        return f"{funnel.source} ({SHAPE_LABEL[result.shape]}, {window}, per {result.entity})"
    weighted = (
        f"; rates weighted by {', '.join(sorted(set(result.weighted.values())))}" if result.weighted else ""
    )
    return f"{funnel.source} ({SHAPE_LABEL.get(result.shape, result.shape)}{weighted})"


def where_facts(
    facts: WorkspaceFacts, stage_id: str | None, stage_set: StageSet
) -> tuple[list[Fact], Drop | None, list[str]]:
    """Per funnel table, the stage's transitions with conversions, its largest drop first.

    Also returns the worst drop of the first table, and the tables that could not be read as
    funnels, with why.
    """
    span = stage_steps(stage_set, stage_id)
    found: list[Fact] = []
    first_worst: Drop | None = None
    for funnel in ranked_funnels(facts):
        result = funnel.result
        assert result is not None
        drops = transitions(result, result.steps, span, stage_set) or transitions(
            result, result.steps, None, stage_set
        )
        if not drops:
            continue
        worst = min(drops, key=lambda d: d.conversion)
        first_worst = first_worst or worst
        lines = step_lines(result)
        for drop in [worst] + [d for d in drops if d is not worst]:
            timing = ""
            median = result.steps[drop.index].median_seconds_from_previous
            if median is not None:
                from assistant.funnels.command import format_duration

                timing = f"; median {format_duration(median)} from {drop.source}"
            line = lines[drop.index - 1] if drop.index - 1 < len(lines) else ""
            found.append(
                Fact(
                    kind="where",
                    label=f"{drop.source} → {drop.target}"
                    + (" (largest drop-off)" if drop is worst else "")
                    + f" — {_describe(funnel)}",
                    figure=(
                        f"{drop.conversion:.1%} continue ({drop.continued:,.0f} of {drop.entered:,.0f}); "
                        f"{drop.lost:.1%} drop off{timing}"
                    ),
                    value=drop.conversion,
                    count=round(drop.entered),
                    evidence=facts.funnel_citation(funnel, line, funnel_line(result)),
                )
            )
    problems = [f"{f.source}: {f.problem}" for f in facts.funnels if f.problem]
    return found, first_worst, problems


def quality_facts(facts: WorkspaceFacts) -> list[Fact]:
    """Every funnel table's data-quality warnings (summarised by period, none dropped)."""
    found = []
    for funnel in ranked_funnels(facts):
        result = funnel.result
        assert result is not None
        for warning in result.warnings:
            if warning.kind == "small_sample" and not warning.message.startswith("the funnel"):
                continue  # a small breakdown value shows with its own figure
            found.append(
                Fact(
                    kind="data_quality",
                    label=f"{funnel.source}: {warning.kind.replace('_', ' ')}",
                    figure=warning.message,
                    count=warning.count,
                    evidence=facts.funnel_citation(funnel, warning_line(warning)),
                )
            )
    return found


def who_facts(
    facts: WorkspaceFacts, stage_id: str | None, stage_set: StageSet, worst: Drop | None
) -> list[Fact]:
    """Segments that drop more, from every funnel table.

    Per segment conversion at each export's stage transitions (the widest gaps), and for
    people-level tables the property values that go with dropping (odds ratios).
    """
    if worst is None:
        return []
    from assistant.ask.event_log import people_who_facts

    span = stage_steps(stage_set, stage_id)
    found: list[Fact] = []
    for funnel in ranked_funnels(facts):
        result = funnel.result
        assert result is not None
        if result.shape == "aggregate":
            found += _segment_gaps(facts, funnel, result, span, stage_set)
        else:
            found += people_who_facts(facts, funnel, span, stage_set)
    return found


def _segment_gaps(
    facts: WorkspaceFacts,
    funnel: TableFunnel,
    result: FunnelResult,
    span: tuple[int, int] | None,
    stage_set: StageSet,
) -> list[Fact]:
    if not result.breakdown:
        return []
    overall = transitions(result, result.steps, span, stage_set)
    per_segment = {g.value: transitions(result, g.steps, span, stage_set) for g in result.breakdown}
    gaps = []
    for index, drop in enumerate(overall):
        rates = {
            value: drops[index]
            for value, drops in per_segment.items()
            if index < len(drops) and drops[index].entered >= MIN_SEGMENT_ENTRANTS
        }
        if len(rates) >= 2:
            low = min(rates, key=lambda v: rates[v].conversion)
            high = max(rates, key=lambda v: rates[v].conversion)
            if rates[high].conversion - rates[low].conversion < MIN_GAP:
                continue  # segments that convert alike: nobody drops more
            gaps.append((rates[high].conversion - rates[low].conversion, drop, low, high, rates))
    found = []
    for gap, drop, low, high, rates in sorted(gaps, key=lambda g: -g[0])[:2]:
        found.append(
            Fact(
                kind="who",
                label=f"{result.breakdown_by} {low} drops more at {drop.source} → {drop.target} "
                f"({funnel.source})",
                figure=(
                    f"{low} {rates[low].conversion:.1%} vs {high} {rates[high].conversion:.1%} continue "
                    f"({gap * 100:.1f} points apart; "
                    f"{rates[low].entered:,.0f} and {rates[high].entered:,.0f} entered)"
                ),
                value=gap,
                count=round(rates[low].entered),
                evidence=facts.funnel_citation(funnel, funnel_line(result)),
            )
        )
    return found
