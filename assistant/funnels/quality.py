"""Data-quality checks of a funnel, summarised by period and never capped.

- later_step_larger: a later step above an earlier one on a row (an export) — how many rows and
  periods, from when to when, and the largest case.
- tracking_gap: a step at zero in a period while a later step is not ("add_to_cart is 0 on 12 days,
  from … to …, while begin_checkout is not: tracking gap?"), for exports and busy event logs.
- missing_period: periods with no rows at all, or none for one segment value.
- duplicate_rows: exact duplicate rows, with the figure they would give counted once.
- small_sample / no_entrants: too few people to read a conversion.
- blank_step: a step blank (read as 0) where the step before has a count, with the conversion over
  the rows that have both.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict
from datetime import date

from assistant.funnels.models import FunnelResult, FunnelWarning
from assistant.funnels.plan import Plan
from assistant.funnels.source import Table, parsed_date, parsed_number, quote

SMALL_ENTRANTS = 100  # fewer entrants than this and a conversion moves by whole points per person
SMALL_STEP = 25
BUSY_DAY = 20  # an event log is checked day by day only when a typical day has this many entrants
SHOWN = 5  # dates listed in a message; the count always covers all of them


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def _unit(spacing: int) -> str:
    if spacing == 1:
        return "day"
    if spacing == 7:
        return "week"
    if 28 <= spacing <= 31:
        return "month"
    return f"{spacing}-day period"


def _plural(count: int, unit: str) -> str:
    return f"{count:,} {unit}" + ("" if count == 1 else "s")


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _spacing(periods: list[date]) -> int:
    gaps = Counter((b - a).days for a, b in itertools.pairwise(periods))
    return min(gaps, key=lambda g: (-gaps[g], g)) if gaps else 1  # the usual spacing; ties to the shorter


def _dates(values: list[date]) -> str:
    shown = ", ".join(str(v) for v in values[:SHOWN])
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")


def aggregate_warnings(
    table: Table, plan: Plan, exprs: list[str], segment: str | None
) -> list[FunnelWarning]:
    """Later steps above earlier ones, steps at zero while later ones are not, missing periods."""
    period = plan.period
    names = [s.name for s in plan.steps]
    found: list[FunnelWarning] = []
    keys = [c for c in (period, segment) if c]
    label = (
        " || ' ' || ".join(f"COALESCE(CAST({quote(k)} AS VARCHAR), '')" for k in keys)
        or "'row ' || CAST(rowid + 1 AS VARCHAR)"
    )
    day = parsed_date(period) if period else "NULL::DATE"
    values = ", ".join(f"{e} AS v{i}" for i, e in enumerate(exprs))
    base = f"(SELECT {label} AS label, {day} AS d, {values} FROM src)"
    spacing = 1
    periods: list[date] = []
    if period:
        dates = {
            _as_date(r[0]) for r in table.con.execute(f"SELECT DISTINCT {quote(period)} FROM src").fetchall()
        }
        periods = sorted(d for d in dates if d is not None)
        spacing = _spacing(periods)
    unit = _unit(spacing)
    for i in range(len(exprs) - 1):
        row = table.con.execute(
            f"SELECT count(*), count(DISTINCT d), min(d), max(d), arg_max(label, v{i + 1} - v{i}), "
            f"arg_max(v{i}, v{i + 1} - v{i}), arg_max(v{i + 1}, v{i + 1} - v{i}) "
            f"FROM {base} WHERE v{i + 1} > v{i} + 1e-9"
        ).fetchone()
        if not row or not row[0]:
            continue
        count, days, first, last, where, earlier, later = row
        if count == 1:
            message = f"{where}: {names[i + 1]} ({_fmt(later)}) is larger than {names[i]} ({_fmt(earlier)})"
        else:
            span = f" ({_plural(days, unit)}, from {first} to {last})" if days else ""
            message = (
                f"{names[i + 1]} is larger than {names[i]} on {count:,} rows{span}; the largest gap: "
                f"{where}: {names[i + 1]} ({_fmt(later)}) vs {names[i]} ({_fmt(earlier)})"
            )
        found.append(
            FunnelWarning(
                kind="later_step_larger",
                message=message,
                steps=[names[i], names[i + 1]],
                count=int(count),
                first=str(first) if first else None,
                last=str(last) if last else None,
            )
        )
    found += _zero_steps(table, names, len(exprs), base, period is not None, unit)
    if period is None:
        return found
    found += _missing_periods(periods, spacing, unit)
    if segment is not None:
        rows = table.con.execute(
            f"SELECT CAST({quote(segment)} AS VARCHAR), list(DISTINCT {quote(period)}) FROM src "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        everyone = set(periods)
        for value, seen in rows:
            missing = sorted(everyone - {_as_date(p) for p in seen})
            if missing:
                found.append(
                    FunnelWarning(
                        kind="missing_period",
                        message=f"{segment} {value}: no row for {_plural(len(missing), unit)} "
                        f"({_dates(missing)}); other {segment} values have one",
                        count=len(missing),
                        first=str(missing[0]),
                        last=str(missing[-1]),
                    )
                )
    return found


def _zero_steps(
    table: Table, names: list[str], size: int, base: str, by_period: bool, unit: str
) -> list[FunnelWarning]:
    """A step at zero while a later step is not, per period (or per row without a date column)."""
    sums = ", ".join(f"SUM(v{i})" for i in range(size))
    query = (
        f"SELECT d, {sums} FROM {base} WHERE d IS NOT NULL GROUP BY d ORDER BY d"
        if by_period
        else f"SELECT NULL, {', '.join(f'v{i}' for i in range(size))} FROM {base}"
    )
    gaps: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for row in table.con.execute(query).fetchall():
        counts = [float(v or 0) for v in row[1:]]
        for k in range(size - 1):
            later = next((j for j in range(k + 1, size) if counts[j] > 0), None)
            if counts[k] <= 0 and later is not None:
                gaps[k].append((row[0], later))
    found = []
    for k, hits in sorted(gaps.items()):
        other = names[Counter(j for _, j in hits).most_common(1)[0][0]]
        if by_period:
            days = [d for d, _ in hits]
            span = f"{days[0]}" if len(days) == 1 else f"from {days[0]} to {days[-1]}"
            where = f"on {_plural(len(days), unit)}, {span}"
        else:
            where = f"on {_plural(len(hits), 'row')}"
        found.append(
            FunnelWarning(
                kind="tracking_gap",
                message=f"{names[k]} is 0 {where}, while {other} is not: tracking gap?",
                steps=[names[k], other],
                count=len(hits),
                first=str(hits[0][0]) if by_period else None,
                last=str(hits[-1][0]) if by_period else None,
            )
        )
    return found


def _missing_periods(periods: list[date], spacing: int, unit: str) -> list[FunnelWarning]:
    if len(periods) < 3 or spacing <= 0:
        return []
    gaps = [(a, b) for a, b in itertools.pairwise(periods) if (b - a).days > spacing * 1.5]
    if not gaps:
        return []
    missing = sum(round((b - a).days / spacing) - 1 for a, b in gaps)
    if len(gaps) == 1:
        a, b = gaps[0]
        message = (
            f"no rows between {a} and {b} ({_plural(max(missing, 1), unit)} missing; {spacing}-day periods)"
        )
    else:
        shown = "; ".join(f"{a} to {b}" for a, b in gaps[:SHOWN]) + (
            f"; and {len(gaps) - SHOWN} more gaps" if len(gaps) > SHOWN else ""
        )
        message = (
            f"{_plural(missing, unit)} with no rows in {len(gaps)} gaps, from {gaps[0][0]} to "
            f"{gaps[-1][1]} (between {shown})"
        )
    return [
        FunnelWarning(
            kind="missing_period",
            message=message,
            count=missing,
            first=str(gaps[0][0]),
            last=str(gaps[-1][1]),
        )
    ]


def event_log_warnings(table: Table, plan: Plan, ctes: str) -> list[FunnelWarning]:
    """Day by day in a busy event log: steps with no one while a later step has people; empty days."""
    rows = table.con.execute(
        f"{ctes} SELECT CAST(to_timestamp(t) AS DATE) AS d, k, count(DISTINCT uid) FROM ev "
        "GROUP BY 1, 2 ORDER BY 1"
    ).fetchall()
    per_day: dict[date, list[float]] = defaultdict(lambda: [0.0] * len(plan.steps))
    for day, k, count in rows:
        per_day[day][k] = float(count)
    if not per_day or statistics.median(v[0] for v in per_day.values()) < BUSY_DAY:
        return []
    days = sorted(per_day)
    gaps: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for day in days:
        counts = per_day[day]
        for k in range(len(counts) - 1):
            later = next((j for j in range(k + 1, len(counts)) if counts[j] > 0), None)
            if counts[k] <= 0 and later is not None:
                gaps[k].append((day, later))
    names = [s.name for s in plan.steps]
    found = []
    for k, hits in sorted(gaps.items()):
        other = names[Counter(j for _, j in hits).most_common(1)[0][0]]
        span = f"{hits[0][0]}" if len(hits) == 1 else f"from {hits[0][0]} to {hits[-1][0]}"
        found.append(
            FunnelWarning(
                kind="tracking_gap",
                steps=[names[k], other],
                message=f"no {names[k]} events on {_plural(len(hits), 'day')}, {span}, "
                f"while {other} has some: tracking gap?",
                count=len(hits),
                first=str(hits[0][0]),
                last=str(hits[-1][0]),
            )
        )
    return found + _missing_periods(days, 1, "day")


def duplicate_warning(plan: Plan, totals: list[float], deduped: list[float]) -> FunnelWarning:
    """Exact duplicate rows: the figure as the file has them, and counted once."""
    as_is = totals[-1] / totals[0] if totals[0] else 0.0
    once = deduped[-1] / deduped[0] if deduped[0] else 0.0
    return FunnelWarning(
        kind="duplicate_rows",
        message=f"{plan.duplicate_rows:,} exact duplicate rows, counted as they are: {as_is:.2%} overall "
        f"({_fmt(totals[-1])} of {_fmt(totals[0])}); counted once: {once:.2%} "
        f"({_fmt(deduped[-1])} of {_fmt(deduped[0])})",
        count=plan.duplicate_rows,
    )


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


def blank_step_warnings(table: Table, plan: Plan, exprs: list[str]) -> list[FunnelWarning]:
    """Rows where a step is blank (read as 0) while the step before it has a count.

    A blank may mean none or not measured; the export cannot say which, so the funnel keeps the
    zero and says how much the conversion would be over only the rows that have both numbers.
    """
    found: list[FunnelWarning] = []
    for (before, after), (e_before, e_after) in zip(
        itertools.pairwise(plan.steps), itertools.pairwise(exprs), strict=True
    ):
        column = after.column if after.kind == "count" else None
        if column is None:
            continue
        present = parsed_number(column)
        blank, both_before, both_after = table.con.execute(
            f"SELECT count(*) FILTER (WHERE {present} IS NULL AND {e_before} > 0), "
            f"SUM({e_before}) FILTER (WHERE {present} IS NOT NULL), "
            f"SUM({e_after}) FILTER (WHERE {present} IS NOT NULL) FROM src"
        ).fetchall()[0]
        if not blank:
            continue
        over_both = f"; over the rows with both it is {both_after / both_before:.2%}" if both_before else ""
        found.append(
            FunnelWarning(
                kind="blank_step",
                message=f"{after.name} is blank on {blank:,} rows where {before.name} is not; "
                f"read as 0{over_both}",
                steps=[before.name, after.name],
                count=int(blank),
            )
        )
    return found
