"""Data-quality checks of a funnel: later steps larger than earlier ones, missing periods, small samples."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from assistant.funnels.models import FunnelResult, FunnelWarning
from assistant.funnels.source import Table, quote

SMALL_ENTRANTS = 100  # fewer entrants than this and a conversion moves by whole points per person
SMALL_STEP = 25


def aggregate_warnings(
    table: Table, steps: list[str], period: str | None, segment: str | None
) -> list[FunnelWarning]:
    """Rows where a later step exceeds an earlier one; periods missing overall or for one segment."""
    found: list[FunnelWarning] = []
    keys = [c for c in (period, segment) if c]
    label = " || ' ' || ".join(f"CAST({quote(k)} AS VARCHAR)" for k in keys) or "CAST(rowid AS VARCHAR)"
    for earlier, later in itertools.pairwise(steps):
        rows = table.con.execute(
            f"SELECT {label}, {quote(earlier)}, {quote(later)} FROM src "
            f"WHERE {quote(later)} > {quote(earlier)} LIMIT 20"
        ).fetchall()
        for row in rows:
            found.append(
                FunnelWarning(
                    kind="later_step_larger",
                    message=f"{row[0]}: {later} ({row[2]:,}) is larger than {earlier} ({row[1]:,})",
                )
            )
    if period is None:
        return found
    periods = sorted(
        {_as_date(r[0]) for r in table.con.execute(f"SELECT DISTINCT {quote(period)} FROM src").fetchall()}
        - {None}
    )
    if len(periods) >= 3:
        gaps = [(b - a).days for a, b in itertools.pairwise(periods)]
        counts = Counter(gaps)
        step = min(counts, key=lambda g: (-counts[g], g))  # the usual spacing; ties to the shorter
        for a, b in itertools.pairwise(periods):
            if step > 0 and (b - a).days > step * 1.5:
                found.append(
                    FunnelWarning(
                        kind="missing_period", message=f"no rows between {a} and {b} ({step}-day periods)"
                    )
                )
    if segment is not None:
        rows = table.con.execute(
            f"SELECT CAST({quote(segment)} AS VARCHAR), list(DISTINCT {quote(period)}) FROM src GROUP BY 1"
        ).fetchall()
        everyone = {str(p) for p in periods}
        for value, seen in rows:
            missing = sorted(everyone - {str(_as_date(p)) for p in seen})
            if missing:
                shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
                found.append(
                    FunnelWarning(
                        kind="missing_period",
                        message=f"{segment} {value}: no row for {shown} (other {segment} values have one)",
                    )
                )
    return found


def small_sample_warnings(result: FunnelResult) -> list[FunnelWarning]:
    """Breakdown values (or the whole funnel) too small to read."""
    found = []
    if result.steps and result.steps[0].count == 0:
        found.append(FunnelWarning(kind="no_entrants", message="nobody entered the funnel"))
    groups = [("the funnel", result.steps)] + [
        (f"{result.breakdown_by} {b.value}", b.steps) for b in result.breakdown
    ]
    for name, steps in groups:
        if steps and 0 < steps[0].count < SMALL_ENTRANTS:
            found.append(
                FunnelWarning(
                    kind="small_sample",
                    message=f"{name}: only {steps[0].count} entrants; conversions are rough",
                )
            )
        elif steps and steps[0].count >= SMALL_ENTRANTS and 0 < steps[-1].count < SMALL_STEP:
            found.append(
                FunnelWarning(
                    kind="small_sample",
                    message=f"{name}: only {steps[-1].count} reached {steps[-1].name}; too few to compare",
                )
            )
    return found


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
