"""Where and who from an event log: the stage's steps per user, and the property values that drop more."""

from __future__ import annotations

import itertools
from pathlib import Path

from assistant.analysis.funnel_totals import DEFAULT_STEPS
from assistant.analysis.stages import StageSet
from assistant.ask.dropoff import stage_steps
from assistant.ask.models import Fact
from assistant.errors import JourneyError
from assistant.funnels import compute_funnel, who_drops
from assistant.funnels.command import format_duration
from assistant.funnels.compute import detect_shape
from assistant.funnels.source import open_table
from assistant.models import Citation
from assistant.review.facts import WorkspaceFacts

WINDOW_SECONDS = 7 * 86400
DROPPERS_SHOWN = 2


def event_logs(facts: WorkspaceFacts) -> list[Path]:
    """Registered tables that are event logs."""
    found = []
    for path in facts.analyzer.tables():
        try:
            table = open_table(path)
        except JourneyError:
            continue
        try:
            if detect_shape(table) == "event_log":
                found.append(path)
        finally:
            table.close()
    return found


def _summary(facts: WorkspaceFacts, path: Path) -> list[Citation]:
    name = path.name.split("-", 1)[-1]
    for record in facts.records.values():
        if record.kind == "analytics" and name in record.text:
            return [Citation(evidence_id=record.id, quote=record.text.strip().splitlines()[0])]
    return []


def event_log_facts(
    facts: WorkspaceFacts, stage: str | None, stage_set: StageSet
) -> tuple[list[Fact], list[str]]:
    """The stage's funnel in the first event log, its largest drop, and who drops more there."""
    logs = event_logs(facts)
    if not logs:
        return [], []
    path = logs[0]
    span = stage_steps(stage_set, stage)
    try:  # the whole funnel from the first step, as analysts read it; the stage's steps reported
        result = compute_funnel(path, None, None, WINDOW_SECONDS)
    except JourneyError as exc:
        return [], [f"event log {path.name.split('-', 1)[-1]}: {exc}"]
    steps = [s.name for s in result.steps]
    evidence = _summary(facts, path)
    label = path.name.split("-", 1)[-1]
    pairs = list(itertools.pairwise(result.steps))
    shown = [
        i
        for i, (before, after) in enumerate(pairs)
        if span is None
        or (
            before.name in DEFAULT_STEPS
            and after.name in DEFAULT_STEPS
            and span[0] <= DEFAULT_STEPS.index(before.name)
            and DEFAULT_STEPS.index(after.name) <= span[1]
        )
    ] or list(range(len(pairs)))
    worst_index = min(shown, key=lambda i: pairs[i][1].conversion_from_previous or 0.0)
    found = []
    for index in shown:
        before, after = pairs[index]
        rate = after.conversion_from_previous or 0.0
        median = after.median_seconds_from_previous
        timing = f"; median {format_duration(median)} from {before.name}" if median is not None else ""
        found.append(
            Fact(
                kind="where",
                label=f"{label}, 7-day window: {before.name} → {after.name}"
                + (" (largest drop-off)" if index == worst_index else ""),
                figure=f"{rate:.1%} of users continue ({after.count:,} of {before.count:,}){timing}",
                value=rate,
                count=before.count,
                evidence=evidence,
            )
        )
    warnings = [f"{label}: {w.message}" for w in result.warnings]
    try:
        odds = who_drops(path, steps, worst_index + 1, WINDOW_SECONDS)
    except JourneyError as exc:
        return found, [*warnings, f"who drops: {exc}"]
    before, after = pairs[worst_index]
    for item in [o for o in odds if o.odds_ratio < 1][:DROPPERS_SHOWN]:
        skew = " (skewed split: read with care)" if item.skewed else ""
        found.append(
            Fact(
                kind="who",
                label=f"{item.property} {item.value} drops more at {before.name} → {after.name} ({label})",
                figure=(
                    f"{item.conversion:.1%} continue "
                    f"({item.converted:,} of {item.converted + item.dropped:,}); "
                    f"odds ratio {item.odds_ratio:.2f} against everyone else{skew}"
                ),
                value=item.odds_ratio,
                count=item.converted + item.dropped,
                evidence=evidence,
            )
        )
    return found, warnings
