"""How a table will be read as a funnel, from its profile (column roles) and the stage set's step table.

The profile says what each column is (event name, user id, timestamp, segment, funnel count,
funnel rate with its base column, yes/no flag); the step table maps column and event names to step
ids in funnel order. No column or step name is written in code: a file whose steps cannot be told
gets a message naming its columns (or events) and the two ways out (`--steps`, the steps file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import QueryError
from assistant.funnels.source import Table, quote
from assistant.funnels.steps import StepTable
from assistant.profiling.models import ColumnProfile, TableProfile

FUNNEL_SHAPES = ("event_log", "aggregate", "entity_table")
EVENT_NAMES_READ = 1000
DEFAULT_SEGMENT_VALUES = 12  # the default breakdown of an export: a segment with at most this many values
ENTRY = "rows"  # the first step of a per-session or per-person table: every row enters


@dataclass
class StepSpec:
    """One step of a plan and how its count is read."""

    name: str
    step: str | None
    kind: str  # events | count | rate | flag | all
    column: str | None = None
    events: list[str] = field(default_factory=list)
    base: str | None = None
    divisor: float = 1.0  # 100 for a percent rate
    true_value: str | None = None


@dataclass
class Plan:
    """A table read as a funnel."""

    source: str
    shape: str
    steps: list[StepSpec]
    user: str | None = None
    event: str | None = None
    time: str | None = None
    time_day_first: bool = False  # the time column writes its dates day first (the profile says)
    period: str | None = None
    segments: list[str] = field(default_factory=list)
    default_by: str | None = None
    duplicate_rows: int = 0

    @property
    def weighted(self) -> dict[str, str]:
        """Rate columns and the base column each is weighted by."""
        return {s.column: s.base for s in self.steps if s.kind == "rate" and s.column and s.base}


def source_name(path: Path, profile: TableProfile | None) -> str:
    """The file as the user named it (registered tables carry a content-hash prefix)."""
    if profile is not None and profile.source:
        return profile.source
    head, _, tail = path.name.partition("-")
    return tail if tail and len(head) == 12 and all(c in "0123456789abcdef" for c in head) else path.name


def _present(table: Table, cols: list[ColumnProfile]) -> list[ColumnProfile]:
    return [c for c in cols if table.find(c.name) is not None]


def plan_funnel(
    table: Table, profile: TableProfile, steps_table: StepTable, steps: list[str] | None = None
) -> Plan:
    """Read a profiled table as a funnel; QueryError naming the columns when the steps cannot be told."""
    source = source_name(table.path, profile)
    segments = [table.find(c.name) or c.name for c in _present(table, profile.with_role("segment"))]
    renamed = _renamed_counts(table, profile, steps_table)
    if profile.shape == "event_log":
        plan = _event_plan(table, profile, steps_table, steps, source)
    elif (
        profile.shape == "aggregate"
        or (steps and profile.shape == "table" and profile.with_role("timestamp"))
        or (
            profile.shape in ("table", "entity_table") and len(renamed) >= 2 and not profile.with_role("flag")
        )
    ):
        # An export: step columns by role, by the stage set's own aliases, or named with --steps.
        plan = _aggregate_plan(table, profile, steps_table, steps, source, renamed)
    else:
        plan = _entity_plan(table, profile, steps_table, steps, source)
    plan.segments = [s for s in segments if s not in (plan.user, plan.event)]
    plan.duplicate_rows = profile.duplicate_rows
    if plan.shape == "aggregate":
        plan.default_by = _default_segment(profile, plan.segments)
    return plan


def _renamed_counts(table: Table, profile: TableProfile, steps_table: StepTable) -> list[ColumnProfile]:
    """Numeric columns the profiler did not read as steps but the stage set's step table names."""
    return [
        c.model_copy(update={"role": "funnel_count", "step": steps_table.step_of(c.name)})
        for c in _present(table, profile.columns)
        if c.role in ("measure", "segment", "other")
        and steps_table.step_of(c.name)
        and table.numeric(table.find(c.name) or c.name)
    ]


def _is_export(profile: TableProfile) -> bool:
    return bool(profile.with_role("funnel_count", "funnel_rate"))


def _default_segment(profile: TableProfile, segments: list[str]) -> str | None:
    # A grouping, not a label per row: few values, each on several rows.
    limit = min(DEFAULT_SEGMENT_VALUES, profile.rows // 2)
    ranked = [
        (c.distinct, index, c.name)
        for index, c in enumerate(profile.columns)
        if c.name in segments and 2 <= c.distinct <= limit
    ]
    return min(ranked)[2] if ranked else None


# --- event logs -------------------------------------------------------------------------------


def event_names(table: Table, event: str) -> list[str]:
    """The distinct event names of an event log (most frequent first, at most 1,000)."""
    rows = table.con.execute(
        f"SELECT CAST({quote(event)} AS VARCHAR) AS e, count(*) AS n FROM src "
        f"WHERE e IS NOT NULL GROUP BY e ORDER BY n DESC, e LIMIT {EVENT_NAMES_READ}"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _pick_user(table: Table, profile: TableProfile) -> str | None:
    users = _present(table, profile.with_role("user_id"))
    if not users:
        # No user_id role: an identifier column whose values repeat across rows is the person.
        for col in _present(table, profile.with_role("identifier")):
            name = table.find(col.name) or col.name
            distinct, filled = table.con.execute(
                f"SELECT count(DISTINCT {quote(name)}), count({quote(name)}) FROM src"
            ).fetchone() or (0, 0)
            if filled and distinct < 0.9 * filled:
                users.append(col.model_copy(update={"distinct": int(distinct), "filled": int(filled)}))
    if not users:
        return None
    # The person over the session: the fullest id column, then the coarsest (fewest distinct values).
    best = max(users, key=lambda c: (c.filled, -c.distinct))
    return table.find(best.name)


def _pick_time(table: Table, profile: TableProfile) -> ColumnProfile | None:
    times = _present(table, profile.with_role("timestamp"))
    if not times:
        return None

    def score(col: ColumnProfile) -> tuple[int, int, int]:
        kind = table.types[table.find(col.name) or col.name].upper()
        has_clock = int("TIMESTAMP" in kind or table.numeric(col.name) or any(":" in e for e in col.examples))
        # A column named for the time itself reads as the event time; first-touch or sync times do not.
        plain = int(
            col.name.lower().strip("_") in ("timestamp", "time", "ts", "event_time", "event_timestamp")
        )
        return has_clock, plain, col.distinct

    return max(times, key=score)


def _event_plan(
    table: Table, profile: TableProfile, steps_table: StepTable, steps: list[str] | None, source: str
) -> Plan:
    event_col = profile.with_role("event_name")[0]
    event = table.find(event_col.name) or event_col.name
    user, time_col = _pick_user(table, profile), _pick_time(table, profile)
    time = table.find(time_col.name) if time_col is not None else None
    if user is None or time is None:
        missing = "a user or session id column" if user is None else "a timestamp column"
        raise QueryError(
            f"{source}: an event log needs {missing} beside the event column {event!r} "
            f"(columns: {', '.join(table.columns)}); set the role with `journey ingest --role COLUMN=user_id`"
        )
    names = event_names(table, event)
    specs: list[StepSpec] = []
    if steps:
        for wanted in steps:
            if wanted in names:
                specs.append(StepSpec(wanted, steps_table.step_of(wanted), "events", events=[wanted]))
                continue
            step = wanted if steps_table.known(wanted) else steps_table.step_of(wanted)
            matching = [n for n in names if step is not None and steps_table.step_of(n) == step]
            if not matching:
                raise QueryError(
                    f"{source}: event(s) {wanted} not in column {event!r} "
                    f"(events: {', '.join(sorted(names)[:30])})"
                )
            specs.append(StepSpec(_label(matching), step, "events", events=matching))
    else:
        by_step: dict[str, list[str]] = {}
        for name in names:
            step = steps_table.step_of(name)
            if step is not None:
                by_step.setdefault(step, []).append(name)
        for step in sorted(by_step, key=steps_table.order):
            specs.append(StepSpec(_label(by_step[step]), step, "events", events=sorted(by_step[step])))
    if len(specs) < 2:
        found = ", ".join(f"{s.events[0]} ({s.step})" for s in specs) or "none"
        raise QueryError(
            f"{source}: cannot tell two funnel steps from the events in column {event!r} "
            f"(events: {', '.join(names[:30])}; steps recognised: {found}); name them with "
            f"--steps a,b,c or add the names to the funnel steps file ({steps_table.origin})"
        )
    day_first = time_col is not None and time_col.day_first
    return Plan(source, "event_log", specs, user=user, event=event, time=time, time_day_first=day_first)


def _label(names: list[str]) -> str:
    return " / ".join(sorted(names)) if len(names) > 1 else names[0]


# --- aggregate exports ------------------------------------------------------------------------


def _numeric_step(col: ColumnProfile, steps_table: StepTable) -> str | None:
    return steps_table.step_of(col.name) or (col.step if steps_table.known(col.step) else None)


def _aggregate_plan(
    table: Table,
    profile: TableProfile,
    steps_table: StepTable,
    steps: list[str] | None,
    source: str,
    renamed: list[ColumnProfile] | None = None,
) -> Plan:
    counts = _present(table, profile.with_role("funnel_count"))
    known = {c.name for c in counts}
    counts += [c for c in renamed or [] if c.name not in known]
    rates = _present(table, profile.with_role("funnel_rate"))
    bases = {c.base for c in rates if c.base}
    specs: dict[str, StepSpec] = {}
    chosen: list[StepSpec] = []
    for col in counts:
        step = _numeric_step(col, steps_table)
        name = table.find(col.name) or col.name
        spec = StepSpec(name, step, "count", column=name)
        if step is not None and (step not in specs or (name in bases and specs[step].column not in bases)):
            specs[step] = spec
    for col in rates:
        step = _numeric_step(col, steps_table)
        if step is None or step in specs:
            continue  # a step given both as a count and as a rate is read from the count
        base = _rate_base(table, profile, col, steps_table, specs)
        if base is None:
            raise QueryError(
                f"{source}: {col.name!r} is a rate but no column says what it is a rate of "
                f"(counts: {', '.join(c.name for c in counts) or 'none'}); set its base with "
                f"`journey ingest --role BASE=funnel_count` or give the steps as counts"
            )
        name = table.find(col.name) or col.name
        specs[step] = StepSpec(
            name, step, "rate", column=name, base=base, divisor=100.0 if col.rate_unit == "percent" else 1.0
        )
    if steps:
        by_name = {s.column.lower(): s for s in specs.values() if s.column}
        for wanted in steps:
            found = (
                by_name.get(wanted.lower())
                or specs.get(wanted)
                or specs.get(steps_table.step_of(wanted) or "")
            )
            if found is None:
                column = table.find(wanted)
                if column is None or not table.numeric(column):
                    raise QueryError(
                        f"{source}: no step column {wanted} (columns: {', '.join(table.columns)})"
                    )
                found = StepSpec(column, steps_table.step_of(column), "count", column=column)
            chosen.append(found)
    else:
        chosen = [specs[s] for s in sorted(specs, key=steps_table.order)]
    if len(chosen) < 2 and not steps:
        # No step names, but a rate that is one column over another: those two are the funnel.
        pair = next((c for c in rates if c.base and c.part), None)
        ends = [table.find(pair.base or ""), table.find(pair.part or "")] if pair else []
        if pair and all(ends):
            chosen = [StepSpec(str(n), None, "count", column=str(n)) for n in ends]
    if len(chosen) < 2:
        raise QueryError(
            f"{source}: cannot tell two funnel steps from the columns "
            f"(columns: {', '.join(table.columns)}; steps recognised: "
            f"{', '.join(f'{s.column} ({s.step})' for s in chosen) or 'none'}); "
            "name them with --steps a,b,c, "
            f"set roles with `journey ingest --role COLUMN=funnel_count`, or add the names to the funnel "
            f"steps file ({steps_table.origin})"
        )
    period_cols = _present(table, profile.with_role("timestamp"))
    period = table.find(period_cols[0].name) if period_cols else None
    return Plan(source, "aggregate", chosen, period=period)


def _rate_base(
    table: Table,
    profile: TableProfile,
    col: ColumnProfile,
    steps_table: StepTable,
    specs: dict[str, StepSpec],
) -> str | None:
    if col.base and table.find(col.base):
        return table.find(col.base)
    # No base in the profile: the earliest count column, as GA4 rates are shares of sessions.
    counted = sorted(
        (s for s in specs.values() if s.kind == "count" and s.step),
        key=lambda s: steps_table.order(s.step or ""),
    )
    return counted[0].column if counted else None


# --- entity tables ----------------------------------------------------------------------------


def _entity_plan(
    table: Table, profile: TableProfile, steps_table: StepTable, steps: list[str] | None, source: str
) -> Plan:
    flags = {c.name: c for c in _present(table, profile.with_role("flag"))}
    counts = _present(table, profile.with_role("funnel_count"))
    specs: list[StepSpec] = []
    if steps:
        for index, wanted in enumerate(steps):
            column = table.find(wanted)
            if column is None and index == 0:
                specs.append(StepSpec(wanted, steps_table.step_of(wanted), "all"))
                continue
            if column is None:
                raise QueryError(f"{source}: no column {wanted!r} (columns: {', '.join(table.columns)})")
            flag = flags.get(column)
            specs.append(
                StepSpec(
                    column,
                    steps_table.flag_step_of(column) if flag else steps_table.step_of(column),
                    "flag" if flag or not table.numeric(column) else "count",
                    column=column,
                    true_value=flag.true_value if flag else None,
                )
            )
    else:
        found: dict[str, StepSpec] = {}
        for col in counts:
            step = _numeric_step(col, steps_table)
            name = table.find(col.name) or col.name
            if step is not None and step not in found:
                found[step] = StepSpec(name, step, "count", column=name)
        for col in flags.values():
            step = steps_table.flag_step_of(col.name)
            name = table.find(col.name) or col.name
            if step is not None and step not in found:
                found[step] = StepSpec(name, step, "flag", column=name, true_value=col.true_value)
        ordered = [found[s] for s in sorted(found, key=steps_table.order)]
        if not ordered:
            raise QueryError(
                # Said without guessing what a row is: a pages or products report lands here too.
                f"{source}: no column names a funnel step (count columns: "
                f"{', '.join(c.name for c in counts) or 'none'}; "
                f"yes/no columns: {', '.join(flags) or 'none'}; "
                f"columns: {', '.join(table.columns)}); "
                f"name the steps, e.g. --steps {ENTRY},{next(iter(flags), 'COLUMN')}, or add the column "
                f"to the funnel steps file ({steps_table.origin})"
            )
        entry = (
            steps_table.entry
            if steps_table.order(steps_table.entry or "") < steps_table.order(ordered[0].step or "")
            else None
        )
        specs = [StepSpec(ENTRY, entry, "all")]
        specs += ordered
    if len(specs) < 2:
        raise QueryError(f"{source}: name at least two steps (columns: {', '.join(table.columns)})")
    return Plan(source, "entity_table", specs)
