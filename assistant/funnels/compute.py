"""Funnel computation for the three shapes a funnel arrives in, each one DuckDB query per figure.

The table's profile (saved beside a registered table, or computed for a file given on the command
line) says which column is what; `plan.py` turns it into steps through the stage set's step table.

- Event log (a person, an event name and a timestamp per row; ISO times or epoch seconds/ms): a user
  enters at their first event of step 1 (t0) and reaches step k at the earliest step-k event at or
  after the time they reached step k-1 and no later than t0 + window (inclusive). Several event
  names may stand for one step (GA4 `begin_checkout` and `checkout`). Exact duplicate rows count
  once; sessions do not matter. This is the ordered, greedy definition PostHog and Amplitude use.
- Aggregate export (step counts or rates by period and segment, e.g. a GA4 daily report): counts
  are summed; a rate is weighted by its base column (sessions=1000 at add_to_cart_rate 3% is 30
  add-to-carts), so a conversion is sum(rate * base) / sum(base), never a mean of rates.
- Entity table (one row per session or user, yes/no flags or counts per step, e.g. UCI's shoppers
  table with Revenue): a row reaches step k when every step up to k is true (or > 0); every row
  enters.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import QueryError
from assistant.funnels.models import Breakdown, FunnelResult, FunnelStep, PropertyOdds
from assistant.funnels.plan import Plan, StepSpec, plan_funnel
from assistant.funnels.quality import (
    aggregate_warnings,
    blank_step_warnings,
    duplicate_warning,
    event_log_warnings,
    small_sample_warnings,
)
from assistant.funnels.source import Table, open_table, parsed_date, parsed_number, quote
from assistant.funnels.steps import StepTable, step_table
from assistant.ingest.dates import EPOCH_MS
from assistant.profiling.models import TableProfile

DEFAULT_WINDOW_SECONDS = 7 * 86400
MIN_GROUP = 25  # PostHog's funnel correlation leaves out property values with fewer people...
MIN_GROUP_SHARE = 0.02  # ...or under 2% of the step's entrants
SKEW = 0.9  # a value holding 90%+ of one side says more about the split than about the value


_PROFILES: dict[tuple[str, int, int], TableProfile] = {}


def table_profile(path: Path) -> TableProfile:
    """The saved profile of a registered table, or the profile of a file read now (kept while unchanged)."""
    from assistant.profiling.saved import load_profile

    saved = load_profile(path)
    if saved is not None:
        return saved
    try:
        stat = path.stat()
    except OSError as exc:
        raise QueryError(f"{path}: no such file") from exc
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _PROFILES:
        _PROFILES[key] = _read_profile(path)
    return _PROFILES[key]


def _read_profile(path: Path) -> TableProfile:
    try:
        if path.suffix.lower() in (".csv", ".tsv", ".tab", ".txt"):
            return _profile_csv(path)
        from assistant.profiling.inspect import preview_file

        preview = preview_file(path)
    except OSError as exc:
        raise QueryError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except Exception as exc:  # unreadable as a table: say why
        raise QueryError(f"{path.name}: cannot read it as a table ({getattr(exc, 'reason', exc)})") from None
    if preview.table is None:
        raise QueryError(f"{path.name}: not a table (no rows and columns to count)")
    return preview.table


def _profile_csv(path: Path) -> TableProfile:
    """Profile a CSV straight from its rows (the profiler alone, without building records)."""
    import csv
    import io

    from assistant.ingest.decoding import decode_text, sniff_delimiter
    from assistant.ingest.tabular import name_columns
    from assistant.profiling.table import profile_table

    if not path.is_file():
        raise QueryError(f"{path}: no such file")
    text = decode_text(path.read_bytes(), path.name)
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text, path.name))
    header = next(reader, None)
    if not header:
        raise QueryError(f"{path.name}: no header row")
    rows = [row for row in reader if row and any(cell.strip() for cell in row)]
    return profile_table(path.name, name_columns(header), rows)


def compute_funnel(
    path: Path,
    steps: list[str] | None = None,
    by: str | None = None,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
    profile: TableProfile | None = None,
    steps_table: StepTable | None = None,
) -> FunnelResult:
    """Compute the funnel of a file, whatever its shape; `by` breaks it down by one property.

    Steps come from the column roles and the step table unless given (column names, event names
    or step ids, in order). A window of 0 counts an event log's steps in any order at any time
    (PostHog's "unordered", Amplitude's "any order"): who did each step up to k at all.
    """
    profile = profile or table_profile(path)
    table = open_table(path)
    try:
        plan = plan_funnel(table, profile, steps_table or step_table(), steps)
        if by is not None:
            column = table.find(by)
            if column is None:
                raise QueryError(
                    f"{plan.source}: no column {by!r} to break down by (columns: {', '.join(table.columns)})"
                )
            by = column
        if plan.shape == "event_log":
            result = _event_log(table, plan, by, window_seconds)
        else:
            result = _counted(table, plan, by if by or plan.shape != "aggregate" else plan.default_by)
        result.dimensions = list(plan.segments)
        result.weighted = plan.weighted
        result.warnings += small_sample_warnings(result)
        return result
    finally:
        table.close()


# --- event logs -------------------------------------------------------------------------------


def _epoch(table: Table, column: str, day_first: bool = False) -> str:
    kind = table.types[column].upper()
    if "TIMESTAMP" in kind or "DATE" in kind:
        return f"epoch({quote(column)})"
    if table.numeric(column):
        top = table.con.execute(f"SELECT max(abs({quote(column)})) FROM src").fetchone()
        scale = 1000.0 if top and top[0] is not None and float(top[0]) > EPOCH_MS else 1.0
        return f"(CAST({quote(column)} AS DOUBLE) / {scale})"
    # Text times: ISO first, then slashed dates, day first where the profile found the column so.
    order = ("%d", "%m") if day_first else ("%m", "%d")
    slashed = [f"{order[0]}/{order[1]}/%Y{clock}" for clock in (" %H:%M:%S", " %H:%M", "")]
    formats = "[" + ", ".join(_literal(f) for f in slashed) + "]"
    return (
        f"epoch(COALESCE(TRY_CAST({quote(column)} AS TIMESTAMP), "
        f"try_strptime(CAST({quote(column)} AS VARCHAR), {formats})))"
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def event_log_ctes(table: Table, plan: Plan, window_seconds: int, by: str | None) -> str:
    """CTEs ev, s0..sN: per entrant, the time they reached each step (one row per user who did)."""
    uid, event = quote(plan.user or ""), quote(plan.event or "")
    ts = _epoch(table, plan.time or "", plan.time_day_first)
    cases = " ".join(
        f"WHEN {_literal(name)} THEN {k}" for k, spec in enumerate(plan.steps) for name in spec.events
    )
    prop = f"CAST({quote(by)} AS VARCHAR)" if by else "NULL"
    parts = [
        f"ev AS MATERIALIZED (SELECT DISTINCT {uid} AS uid, k, t, prop FROM (SELECT {uid}, "
        f"CASE CAST({event} AS VARCHAR) {cases} END AS k, {ts} AS t, {prop} AS prop FROM src) "
        f"WHERE k IS NOT NULL AND t IS NOT NULL AND {uid} IS NOT NULL)",
    ]
    if window_seconds <= 0:  # any order, any time: the entity has some event of every step up to k
        flags = ", ".join(f"bool_or(k = {k}) AS h{k}" for k in range(len(plan.steps)))
        reached = ", ".join(
            f"{' AND '.join(f'h{j}' for j in range(k + 1))} AS r{k}" for k in range(len(plan.steps))
        )
        parts.append(f"u AS (SELECT uid, arg_min(prop, t) AS prop, {flags} FROM ev GROUP BY uid)")
        for k in range(len(plan.steps)):
            parts.append(
                f"s{k} AS (SELECT uid, NULL::DOUBLE AS t, NULL::DOUBLE AS tp, prop FROM "
                f"(SELECT uid, prop, {reached} FROM u) WHERE r{k})"
            )
        return "WITH " + ", ".join(parts)
    parts += [
        # The property is the one on the entrant's first step-1 event.
        "s0 AS MATERIALIZED (SELECT uid, min(t) AS t, min(t) AS t0, arg_min(prop, t) AS prop "
        "FROM ev WHERE k = 0 GROUP BY uid)",
    ]
    for k in range(1, len(plan.steps)):
        # Each step carries t0 and the property along, so no step joins back to s0.
        parts.append(
            f"s{k} AS MATERIALIZED (SELECT p.uid, min(e.t) AS t, any_value(p.t) AS tp, "
            f"any_value(p.t0) AS t0, any_value(p.prop) AS prop "
            f"FROM s{k - 1} p JOIN ev e ON e.uid = p.uid "
            f"WHERE e.k = {k} AND e.t >= p.t AND e.t <= p.t0 + {int(window_seconds)} "
            f"GROUP BY p.uid)"
        )
    return "WITH " + ", ".join(parts)


def event_log_sql(table: Table, plan: Plan, window_seconds: int, by: str | None) -> str:
    """One row per entrant with the time they reached each step (NULL if not) and their property."""
    select = ", ".join(f"s{k}.t AS t{k}" for k in range(len(plan.steps)))
    joins = " ".join(f"LEFT JOIN s{k} ON s{k}.uid = s0.uid" for k in range(1, len(plan.steps)))
    return (
        event_log_ctes(table, plan, window_seconds, by) + f" SELECT s0.uid, s0.prop, {select} FROM s0 {joins}"
    )


def event_log_counts_sql(table: Table, plan: Plan, window_seconds: int, by: str | None) -> str:
    """Rows (step, is_total, property value, entrants, median seconds from the previous step)."""
    if by:
        head, tail = "GROUPING(prop) AS total, prop", "GROUP BY GROUPING SETS ((prop), ())"
    else:
        head, tail = "1 AS total, NULL AS prop", ""
    # Each step row carries the time of the step before (tp), so medians need no join.
    parts = [f"SELECT 0 AS k, {head}, count(*) AS c, NULL::DOUBLE AS m FROM s0 {tail}"]
    parts += [
        f"SELECT {k} AS k, {head}, count(*) AS c, median(t - tp) AS m FROM s{k} {tail}"
        for k in range(1, len(plan.steps))
    ]
    return event_log_ctes(table, plan, window_seconds, by) + " " + " UNION ALL ".join(parts)


def _event_log(table: Table, plan: Plan, by: str | None, window_seconds: int) -> FunnelResult:
    size = len(plan.steps)
    rows = table.con.execute(event_log_counts_sql(table, plan, window_seconds, by)).fetchall()
    groups: dict[object, tuple[list[int], list[float | None]]] = {}
    totals: list[int] = [0] * size
    overall: list[float | None] = [None] * size
    for k, total, prop, count, median in rows:
        if total:
            totals[k], overall[k] = int(count), median
            continue
        counts, medians = groups.setdefault(prop, ([0] * size, [None] * size))
        counts[k], medians[k] = int(count), median
    result = FunnelResult(
        source=plan.source,
        shape="event_log",
        steps=_steps(plan.steps, totals, overall),
        overall_conversion=totals[-1] / totals[0] if totals[0] else 0.0,
        window_seconds=window_seconds,
        breakdown_by=by,
        entity=plan.user,
    )
    for prop, (counts, medians) in sorted(groups.items(), key=lambda g: -g[1][0][0]) if by else []:
        result.breakdown.append(
            Breakdown(
                value=str(prop),
                entrants=counts[0],
                steps=_steps(plan.steps, counts, medians),
                overall_conversion=counts[-1] / counts[0] if counts[0] else 0.0,
            )
        )
    span = table.con.execute(
        event_log_ctes(table, plan, window_seconds, None)
        + " SELECT CAST(to_timestamp(min(t)) AS DATE), CAST(to_timestamp(max(t)) AS DATE) FROM ev"
    ).fetchone()
    if span and span[0] is not None:
        result.first_period, result.last_period = str(span[0]), str(span[1])
    result.warnings += event_log_warnings(table, plan, event_log_ctes(table, plan, window_seconds, None))
    return result


# --- aggregate exports and entity tables ------------------------------------------------------


def _number(column: str) -> str:
    """A cell as a number: `3.2%`, `1,204` and blanks read as 3.2, 1204 and 0."""
    return f"COALESCE({parsed_number(column)}, 0)"


def step_expressions(table: Table, plan: Plan) -> list[str]:
    """Per step, what one row contributes: a count, a rate times its base, or reached 0/1."""
    if plan.shape == "aggregate":
        out = []
        for spec in plan.steps:
            if spec.kind == "rate":
                out.append(f"({_number(spec.column or '')} / {spec.divisor} * {_number(spec.base or '')})")
            else:
                out.append(_number(spec.column or ""))
        return out
    conditions = [_reached(table, spec) for spec in plan.steps]
    return [f"CAST(({' AND '.join(conditions[: k + 1])}) AS INTEGER)" for k in range(len(conditions))]


def _reached(table: Table, spec: StepSpec) -> str:
    if spec.kind == "all" or spec.column is None:
        return "TRUE"
    column = quote(spec.column)
    if spec.kind == "count" and table.numeric(spec.column):
        return f"(COALESCE({column}, 0) > 0)"
    if spec.true_value is not None:
        return f"(lower(CAST({column} AS VARCHAR)) = {_literal(spec.true_value.lower())})"
    return f"(lower(CAST({column} AS VARCHAR)) IN ('true', 't', 'yes', 'y', '1'))"


def _counted(table: Table, plan: Plan, by: str | None) -> FunnelResult:
    """A funnel whose step totals are sums of one expression per step, overall and grouped by `by`."""
    exprs = step_expressions(table, plan)
    sums = ", ".join(f"SUM({e})" for e in exprs)
    totals = [float(v or 0) for v in table.con.execute(f"SELECT {sums} FROM src").fetchall()[0]]
    result = FunnelResult(
        source=plan.source,
        shape=plan.shape,  # type: ignore[arg-type]
        steps=_steps(plan.steps, totals),
        overall_conversion=totals[-1] / totals[0] if totals[0] else 0.0,
        breakdown_by=by,
        entity="rows" if plan.shape == "entity_table" else None,
        period=plan.period,
        exact={s.name: v for s, v in zip(plan.steps, totals, strict=True)},
    )
    if by:
        for values in table.con.execute(
            f"SELECT CAST({quote(by)} AS VARCHAR), {sums} FROM src GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall():
            sub = [float(v or 0) for v in values[1:]]
            result.breakdown.append(
                Breakdown(
                    value=str(values[0]),
                    entrants=round(sub[0]),
                    steps=_steps(plan.steps, sub),
                    overall_conversion=sub[-1] / sub[0] if sub[0] else 0.0,
                )
            )
    if plan.period:
        span = table.con.execute(
            f"SELECT CAST(min({parsed_date(plan.period)}) AS VARCHAR), "
            f"CAST(max({parsed_date(plan.period)}) AS VARCHAR) FROM src"
        ).fetchone()
        if span:
            result.first_period, result.last_period = span[0], span[1]
    if plan.shape == "aggregate":
        result.warnings += aggregate_warnings(table, plan, exprs, by)
        result.warnings += blank_step_warnings(table, plan, exprs)
    if plan.duplicate_rows:
        deduped = [
            float(v or 0)
            for v in table.con.execute(f"SELECT {sums} FROM (SELECT DISTINCT * FROM src)").fetchall()[0]
        ]
        result.warnings.append(duplicate_warning(plan, totals, deduped))
    return result


def _steps(
    specs: list[StepSpec], counts: list[float] | list[int], medians: list[float | None] | None = None
) -> list[FunnelStep]:
    steps = []
    for index, (spec, count) in enumerate(zip(specs, counts, strict=True)):
        previous = counts[index - 1] if index else None
        median = medians[index] if medians and index < len(medians) else None
        steps.append(
            FunnelStep(
                name=spec.name,
                step=spec.step,
                count=round(count),
                conversion_from_previous=None
                if previous is None
                else (count / previous if previous else 0.0),
                drop_off=None if previous is None else round(previous - count),
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
    profile: TableProfile | None = None,
    steps_table: StepTable | None = None,
) -> list[PropertyOdds]:
    """For those who reached step `step_index - 1`, how each property value goes with reaching the step.

    Odds ratios with PostHog's small-sample floor: values held by fewer than 25 people, or under
    2% of the step's entrants, are left out. Sorted from the values that most go with dropping.
    Properties default to the table's segment columns.
    """
    profile = profile or table_profile(path)
    table = open_table(path)
    try:
        plan = plan_funnel(table, profile, steps_table or step_table(), steps)
        if plan.shape == "aggregate":
            raise QueryError(f"{plan.source}: an aggregate export has no people to compare; use an event log")
        if not 0 < step_index < len(plan.steps):
            raise QueryError(f"{plan.source}: no step {step_index} (the funnel has {len(plan.steps)})")
        candidates = [table.find(p) or p for p in properties] if properties else plan.segments
        found: list[PropertyOdds] = []
        for prop in candidates:
            if plan.shape == "event_log":
                reached = event_log_sql(table, plan, window_seconds, prop)
                query = (
                    f"WITH r AS ({reached}) SELECT prop, count(t{step_index}), "
                    f"count(*) FILTER (WHERE t{step_index} IS NULL) FROM r "
                    f"WHERE t{step_index - 1} IS NOT NULL GROUP BY prop"
                )
            else:
                conditions = [_reached(table, s) for s in plan.steps]
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
