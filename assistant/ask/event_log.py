"""Who drops, person by person: the property values that go with dropping at a funnel's largest drop.

For the tables that hold people (event logs, one row per session or user), the funnel engine's
odds ratios (PostHog-style, with its small-sample floor) over the table's segment columns.
"""

from __future__ import annotations

from assistant.analysis.stages import StageSet
from assistant.ask.models import Fact
from assistant.errors import JourneyError
from assistant.evidence.facts import WorkspaceFacts
from assistant.funnels import who_drops
from assistant.funnels.workspace import TableFunnel, funnel_line

DROPPERS_SHOWN = 2


def people_who_facts(
    facts: WorkspaceFacts, funnel: TableFunnel, span: tuple[int, int] | None, stage_set: StageSet
) -> list[Fact]:
    """At the funnel's largest drop in the stage's span, the property values that drop more."""
    from assistant.ask.dropoff import transitions

    result = funnel.result
    if result is None or not result.dimensions:
        return []
    drops = transitions(result, result.steps, span, stage_set) or transitions(
        result, result.steps, None, stage_set
    )
    if not drops:
        return []
    worst = min(drops, key=lambda d: d.conversion)
    window = result.window_seconds if result.window_seconds is not None else 7 * 86400
    try:
        odds = who_drops(
            funnel.table,
            None,
            worst.index,
            window,
            steps_table=stage_set.step_table(),
        )
    except JourneyError:
        return []
    found = []
    for item in [o for o in odds if o.odds_ratio < 1][:DROPPERS_SHOWN]:
        skew = " (skewed split: read with care)" if item.skewed else ""
        found.append(
            Fact(
                kind="who",
                label=f"{item.property} {item.value} drops more at {worst.source} → {worst.target} "
                f"({funnel.source})",
                figure=(
                    f"{item.conversion:.1%} continue "
                    f"({item.converted:,} of {item.converted + item.dropped:,}); "
                    f"odds ratio {item.odds_ratio:.2f} against everyone else{skew}"
                ),
                value=item.odds_ratio,
                count=item.converted + item.dropped,
                evidence=facts.funnel_citation(funnel, funnel_line(result)),
            )
        )
    return found
