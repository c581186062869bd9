"""Funnel computation for the three shapes a funnel arrives in, each one DuckDB query per figure.

- Event log (an id, an event name and a timestamp per row): a user enters at their first event of
  step 1 (t0) and reaches step k at the earliest step-k event at or after the time they reached
  step k-1 and no later than t0 + window (inclusive). Exact duplicate rows count once; sessions do
  not matter. This is the ordered, greedy definition PostHog and Amplitude use.
- Aggregate export (step counts by period and segment, e.g. a weekly BI export): step columns are
  summed; missing periods and a later step larger than an earlier one are reported.
- Entity table (one row per session or user, booleans or counts per step, e.g. UCI's shoppers
  table with Revenue): a row reaches step k when every step up to k is true (or > 0). A first
  step that is not a column (e.g. "sessions") means every row.
"""

from __future__ import annotations

from pathlib import Path

from assistant.analysis.funnel_totals import DEFAULT_STEPS
from assistant.errors import QueryError
from assistant.funnels.models import Breakdown, FunnelResult, FunnelStep, PropertyOdds
from assistant.funnels.quality import aggregate_warnings, small_sample_warnings
from assistant.funnels.source import (
    EVENT_COLUMNS,
    ID_COLUMNS,
    PERIOD_COLUMNS,
    SEGMENT_COLUMNS,
    TIME_COLUMNS,
    Table,
    open_table,
    quote,
)

DEFAULT_WINDOW_SECONDS = 7 * 86400
MIN_GROUP = 25  # PostHog's funnel correlation leaves out property values with fewer people...
MIN_GROUP_SHARE = 0.02  # ...or under 2% of the step's entrants
SKEW = 0.9  # a value holding 90%+ of one side says more about the split than about the value


def compute_funnel(
    path: Path,
    steps: list[str] | None = None,
    by: str | None = None,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
) -> FunnelResult:
    """Compute the funnel of a file, whatever its shape; `by` breaks it down by one property."""
    table = open_table(path)
    try:
        shape = detect_shape(table)
        if by is not None and by not in table.columns:
            raise QueryError(
                f"{path.name}: no column {by!r} to break down by (columns: {', '.join(table.columns)})"
            )
        if shape == "event_log":
            return _event_log(table, steps, by, window_seconds)
        if shape == "aggregate":
            return _aggregate(table, steps, by)
        return _entity(table, steps, by)
    finally:
        table.close()


def detect_shape(table: Table) -> str:
    """event_log, aggregate or entity_table, from the columns."""
    if table.column(EVENT_COLUMNS) and table.column(TIME_COLUMNS) and table.column(ID_COLUMNS):
        return "event_log"
    step_columns = [c for c in table.columns if c.lower() in DEFAULT_STEPS and table.numeric(c)]
    if len(step_columns) >= 2:
        return "aggregate"
    return "entity_table"


# --- event logs -------------------------------------------------------------------------------


def _event_names(table: Table, event: str) -> list[str]:
    rows = table.con.execute(
        f"SELECT DISTINCT CAST({quote(event)} AS VARCHAR) FROM src LIMIT 1000"
    ).fetchall()
    return sorted(str(r[0]) for r in rows if r[0] is not None)


def _epoch(table: Table, column: str) -> str:
    kind = table.types[column].upper()
    if "TIMESTAMP" in kind or "DATE" in kind:
        return f"epoch({quote(column)})"
    if table.numeric(column):
        return f"CAST({quote(column)} AS DOUBLE)"
    return f"epoch(TRY_CAST({quote(column)} AS TIMESTAMP))"


def event_log_ctes(table: Table, steps: list[str], window_seconds: int, by: str | None) -> str:
    """CTEs s0..sN: per entrant, the time they reached each step (one row per user who did)."""
    uid = quote(table.column(ID_COLUMNS) or "")
    event = quote(table.column(EVENT_COLUMNS) or "")
    ts = _epoch(table, table.column(TIME_COLUMNS) or "")
    names = ", ".join(_literal(s) for s in steps)
    prop = f"CAST({quote(by)} AS VARCHAR)" if by else "NULL"
    parts = [
        f"ev AS MATERIALIZED (SELECT DISTINCT {uid} AS uid, CAST({event} AS VARCHAR) AS ev, {ts} AS t, "
        f"{prop} AS prop FROM src WHERE CAST({event} AS VARCHAR) IN ({names}))",
        # The property is the one on the entrant's first step-1 event.
        f"s0 AS MATERIALIZED (SELECT uid, min(t) AS t, min(t) AS t0, arg_min(prop, t) AS prop "
        f"FROM ev WHERE ev = {_literal(steps[0])} AND t IS NOT NULL GROUP BY uid)",
    ]
    for k in range(1, len(steps)):
        # Each step carries t0 and the property along, so no step joins back to s0.
        parts.append(
            f"s{k} AS MATERIALIZED (SELECT p.uid, min(e.t) AS t, any_value(p.t) AS tp, "
            f"any_value(p.t0) AS t0, any_value(p.prop) AS prop "
            f"FROM s{k - 1} p JOIN ev e ON e.uid = p.uid "
            f"WHERE e.ev = {_literal(steps[k])} AND e.t >= p.t AND e.t <= p.t0 + {int(window_seconds)} "
            f"GROUP BY p.uid)"
        )
    return "WITH " + ", ".join(parts)


def event_log_sql(table: Table, steps: list[str], window_seconds: int, by: str | None) -> str:
    """One row per entrant with the time they reached each step (NULL if not) and their property."""
    select = ", ".join(f"s{k}.t AS t{k}" for k in range(len(steps)))
    joins = " ".join(f"LEFT JOIN s{k} ON s{k}.uid = s0.uid" for k in range(1, len(steps)))
    return (
        event_log_ctes(table, steps, window_seconds, by)
        + f" SELECT s0.uid, s0.prop, {select} FROM s0 {joins}"
    )


def event_log_counts_sql(table: Table, steps: list[str], window_seconds: int, by: str | None) -> str:
    """Rows (step, is_total, property value, entrants, median seconds from the previous step)."""
    if by:
        head, tail = "GROUPING(prop) AS total, prop", "GROUP BY GROUPING SETS ((prop), ())"
    else:
        head, tail = "1 AS total, NULL AS prop", ""
    # Each step row carries the time of the step before (tp), so medians need no join.
    parts = [f"SELECT 0 AS k, {head}, count(*) AS c, NULL::DOUBLE AS m FROM s0 {tail}"]
    parts += [
        f"SELECT {k} AS k, {head}, count(*) AS c, median(t - tp) AS m FROM s{k} {tail}"
        for k in range(1, len(steps))
    ]
    return event_log_ctes(table, steps, window_seconds, by) + " " + " UNION ALL ".join(parts)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _event_log(table: Table, steps: list[str] | None, by: str | None, window_seconds: int) -> FunnelResult:
    event = table.column(EVENT_COLUMNS) or ""
    if not steps:  # listing the events costs a scan: only when the steps must be found
        known = _event_names(table, event)
        steps = [s for s in DEFAULT_STEPS if s in known]
    if len(steps) < 2:
        raise QueryError(
            f"{table.path.name}: name at least two steps "
            f"(events: {', '.join(_event_names(table, event)[:30])})"
        )
    rows = table.con.execute(event_log_counts_sql(table, steps, window_seconds, by)).fetchall()
    groups: dict[object, tuple[list[int], list[float | None]]] = {}
    totals, overall = [0] * len(steps), [None] * len(steps)
    for k, total, prop, count, median in rows:
        if total:
            totals[k], overall[k] = int(count), median
            continue
        counts, medians = groups.setdefault(prop, ([0] * len(steps), [None] * len(steps)))
        counts[k], medians[k] = int(count), median
    if 0 in totals:  # a step nobody reached may be a misspelt event name: say which names exist
        known = _event_names(table, event)
        missing = [s for s in steps if s not in known]
        if missing:
            raise QueryError(
                f"{table.path.name}: event(s) {', '.join(missing)} not in column {event!r} "
                f"(events: {', '.join(known[:30])})"
            )
    result = FunnelResult(
        source=table.path.name,
        shape="event_log",
        steps=_steps(steps, totals, overall),
        overall_conversion=totals[-1] / totals[0] if totals[0] else 0.0,
        window_seconds=window_seconds,
        breakdown_by=by,
    )
    for prop, (counts, medians) in sorted(groups.items(), key=lambda g: -g[1][0][0]) if by else []:
        result.breakdown.append(
            Breakdown(
                value=str(prop),
                entrants=counts[0],
                steps=_steps(steps, counts, medians),
                overall_conversion=counts[-1] / counts[0] if counts[0] else 0.0,
            )
        )
    result.warnings += small_sample_warnings(result)
    return result


# --- aggregate exports -------------------------------------------------------------------------


def _aggregate(table: Table, steps: list[str] | None, by: str | None) -> FunnelResult:
    lower = {c.lower(): c for c in table.columns}
    wanted = steps or [s for s in DEFAULT_STEPS if s in lower]
    missing = [s for s in wanted if s.lower() not in lower]
    if missing or len(wanted) < 2:
        raise QueryError(
            f"{table.path.name}: no step column(s) {', '.join(missing) or 'for two steps'} "
            f"(columns: {', '.join(table.columns)})"
        )
    columns = [lower[s.lower()] for s in wanted]
    sums = ", ".join(f"SUM({quote(c)})" for c in columns)
    segment = by or table.column(SEGMENT_COLUMNS)
    result = _counted(table, "aggregate", wanted, sums, segment)
    result.warnings += aggregate_warnings(table, columns, table.column(PERIOD_COLUMNS), segment)
    result.warnings += small_sample_warnings(result)
    return result


# --- entity tables ----------------------------------------------------------------------------


def _truthy(table: Table, column: str) -> str:
    if table.numeric(column):
        return f"(COALESCE({quote(column)}, 0) > 0)"
    return f"(lower(CAST({quote(column)} AS VARCHAR)) IN ('true', 't', 'yes', 'y', '1'))"


def _entity(table: Table, steps: list[str] | None, by: str | None) -> FunnelResult:
    if not steps:
        raise QueryError(
            f"{table.path.name}: one row per session or user; name the steps, e.g. --steps sessions,Revenue "
            f"(columns: {', '.join(table.columns)})"
        )
    lower = {c.lower(): c for c in table.columns}
    conditions: list[str] = []
    for index, step in enumerate(steps):
        column = lower.get(step.lower())
        if column is None and index == 0:
            conditions.append("TRUE")  # "sessions", "users": every row enters
            continue
        if column is None:
            raise QueryError(f"{table.path.name}: no column {step!r} (columns: {', '.join(table.columns)})")
        conditions.append(_truthy(table, column))
    cumulative = [" AND ".join(conditions[: k + 1]) for k in range(len(steps))]
    counts = ", ".join(f"count(*) FILTER (WHERE {c})" for c in cumulative)
    result = _counted(table, "entity_table", steps, counts, by)
    result.warnings += small_sample_warnings(result)
    return result


def _counted(table: Table, shape: str, steps: list[str], columns: str, by: str | None) -> FunnelResult:
    """A funnel whose step counts are one SELECT list (`columns`), overall and grouped by `by`."""
    totals = [int(v or 0) for v in table.con.execute(f"SELECT {columns} FROM src").fetchall()[0]]
    result = FunnelResult(
        source=table.path.name,
        shape=shape,  # type: ignore[arg-type]
        steps=_steps(steps, totals),
        overall_conversion=totals[-1] / totals[0] if totals[0] else 0.0,
        breakdown_by=by,
    )
    if by:
        for values in table.con.execute(
            f"SELECT CAST({quote(by)} AS VARCHAR), {columns} FROM src GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall():
            sub = [int(v or 0) for v in values[1:]]
            result.breakdown.append(
                Breakdown(
                    value=str(values[0]),
                    entrants=sub[0],
                    steps=_steps(steps, sub),
                    overall_conversion=sub[-1] / sub[0] if sub[0] else 0.0,
                )
            )
    return result


def _steps(
    names: list[str], counts: list[int], medians: list[float | None] | None = None
) -> list[FunnelStep]:
    steps = []
    for index, (name, count) in enumerate(zip(names, counts, strict=True)):
        previous = counts[index - 1] if index else None
        median = medians[index] if medians and index < len(medians) else None
        steps.append(
            FunnelStep(
                name=name,
                count=count,
                conversion_from_previous=None
                if previous is None
                else (count / previous if previous else 0.0),
                drop_off=None if previous is None else previous - count,
                median_seconds_from_previous=float(median) if median is not None else None,
            )
        )
    return steps


# --- who drops --------------------------------------------------------------------------------


def who_drops(
    path: Path,
    steps: list[str] | None,
    step_index: int,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
    properties: list[str] | None = None,
) -> list[PropertyOdds]:
    """For those who reached step `step_index - 1`, how each property value goes with reaching the step.

    Odds ratios with PostHog's small-sample floor: values held by fewer than 25 people, or under
    2% of the step's entrants, are left out. Sorted from the values that most go with dropping.
    """
    table = open_table(path)
    try:
        if detect_shape(table) == "aggregate":
            raise QueryError(f"{path.name}: an aggregate export has no people to compare; use an event log")
        shape = detect_shape(table)
        candidates = properties or [c for c in table.columns if c.lower() in SEGMENT_COLUMNS]
        found: list[PropertyOdds] = []
        for prop in candidates:
            if shape == "event_log":
                event = table.column(EVENT_COLUMNS) or ""
                names = steps or [s for s in DEFAULT_STEPS if s in _event_names(table, event)]
                reached = event_log_sql(table, names, window_seconds, prop)
                query = (
                    f"WITH r AS ({reached}) SELECT prop, count(t{step_index}), "
                    f"count(*) FILTER (WHERE t{step_index} IS NULL) FROM r "
                    f"WHERE t{step_index - 1} IS NOT NULL GROUP BY prop"
                )
            else:
                if not steps:
                    raise QueryError(f"{path.name}: name the steps of this table")
                lower = {c.lower(): c for c in table.columns}
                conditions = [
                    "TRUE" if (lower.get(s.lower()) is None and i == 0) else _truthy(table, lower[s.lower()])
                    for i, s in enumerate(steps)
                ]
                before = " AND ".join(conditions[:step_index])
                now = " AND ".join(conditions[: step_index + 1])
                query = (
                    f"SELECT CAST({quote(prop)} AS VARCHAR), count(*) FILTER (WHERE {now}), "
                    f"count(*) FILTER (WHERE NOT ({now})) FROM src WHERE {before} GROUP BY 1"
                )
            rows = [(str(v), int(c), int(d)) for v, c, d in table.con.execute(query).fetchall()]
            found += _odds(prop, rows)
        return sorted(found, key=lambda o: o.odds_ratio)
    finally:
        table.close()


def _odds(prop: str, rows: list[tuple[str, int, int]]) -> list[PropertyOdds]:
    converted_all = sum(c for _, c, _ in rows)
    dropped_all = sum(d for _, _, d in rows)
    entrants = converted_all + dropped_all
    result = []
    for value, converted, dropped in rows:
        size = converted + dropped
        if size < MIN_GROUP or size < MIN_GROUP_SHARE * entrants:
            continue
        rest_c, rest_d = converted_all - converted, dropped_all - dropped
        ratio = ((converted + 1) / (dropped + 1)) / ((rest_c + 1) / (rest_d + 1))
        skewed = (converted_all and converted / converted_all >= SKEW) or (
            dropped_all and dropped / dropped_all >= SKEW
        )
        result.append(
            PropertyOdds(
                property=prop,
                value=value,
                converted=converted,
                dropped=dropped,
                odds_ratio=round(ratio, 4),
                conversion=converted / size if size else 0.0,
                skewed=bool(skewed),
            )
        )
    return result
