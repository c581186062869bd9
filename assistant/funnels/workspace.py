"""The funnels of a workspace: one FunnelResult per registered funnel table, cached while it is unchanged.

This is the one code path `ask` (where and who), drafting (KPI values), the review (KPI figures and
data quality) and the ingest summary read funnels through. Each registered table is read by its
saved profile (the column roles decided at ingest) and the stage set's step table; the result is
kept in memory and beside the table (`<table>.funnel.json`), keyed by the table's and profile's size
and modification time, the step table and the window, so a new process does not recompute it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.errors import JourneyError
from assistant.funnels.compute import DEFAULT_WINDOW_SECONDS, compute_funnel, table_profile
from assistant.funnels.models import FunnelResult, FunnelWarning
from assistant.funnels.plan import FUNNEL_SHAPES, source_name
from assistant.funnels.steps import StepTable
from assistant.profiling.saved import profile_path

CACHE_SUFFIX = ".funnel.json"


class TableFunnel(BaseModel):
    """A registered table's funnel, or why it has none."""

    path: str
    source: str
    shape: str
    result: FunnelResult | None = None
    problem: str | None = None

    @property
    def table(self) -> Path:
        """The registered table file."""
        return Path(self.path)


_MEMORY: dict[str, TableFunnel | None] = {}


def _fingerprint(path: Path, steps_table: StepTable, window: int) -> str:
    parts = [str(path.resolve()), str(window), steps_table.origin, repr(steps_table.steps)]
    parts.append(hashlib.sha1(repr(sorted(steps_table.aliases.items())).encode()).hexdigest())
    parts.append(hashlib.sha1(repr(sorted(steps_table.flags.items())).encode()).hexdigest())
    for file in (path, profile_path(path)):
        try:
            stat = file.stat()
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def table_funnel(
    path: Path, steps_table: StepTable, window: int = DEFAULT_WINDOW_SECONDS
) -> TableFunnel | None:
    """The funnel of one registered table (None when its profile says it is no funnel table)."""
    key = _fingerprint(path, steps_table, window)
    if key in _MEMORY:
        return _MEMORY[key]
    cache = path.with_name(path.name + CACHE_SUFFIX)
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            found = TableFunnel.model_validate(stored["funnel"]) if stored.get("funnel") else None
            _MEMORY[key] = found
            return found
    except (OSError, ValueError, ValidationError, KeyError):
        pass
    found = _compute(path, steps_table, window)
    _MEMORY[key] = found
    try:
        partial = cache.with_name(cache.name + ".part")
        partial.write_text(
            json.dumps({"key": key, "funnel": found.model_dump(mode="json") if found else None}),
            encoding="utf-8",
        )
        partial.replace(cache)
    except OSError:
        pass  # a read-only workspace still answers, it just recomputes next time
    return found


def _compute(path: Path, steps_table: StepTable, window: int) -> TableFunnel | None:
    try:
        profile = table_profile(path)
    except JourneyError:
        return None
    if profile.shape not in FUNNEL_SHAPES:
        return None
    source = source_name(path, profile)
    try:
        result = compute_funnel(path, None, None, window, profile=profile, steps_table=steps_table)
    except JourneyError as exc:
        return TableFunnel(path=str(path), source=source, shape=profile.shape, problem=str(exc))
    return TableFunnel(path=str(path), source=source, shape=profile.shape, result=result)


def workspace_funnels(
    tables: list[Path], steps_table: StepTable, window: int = DEFAULT_WINDOW_SECONDS
) -> list[TableFunnel]:
    """Every registered funnel table's funnel (or problem), in registration order."""
    found = []
    for path in tables:
        if path.is_file():
            item = table_funnel(path, steps_table, window)
            if item is not None:
                found.append(item)
    return found


SHAPE_ORDER = {"aggregate": 0, "event_log": 1, "entity_table": 2}


def funnel_for(funnels: list[TableFunnel], first: str, last: str) -> TableFunnel | None:
    """The funnel that measures step id `first` to step id `last`: an export first, then the largest."""
    having = [f for f in funnels if f.result is not None and f.result.rate(first, last) is not None]
    if not having:
        return None
    return min(
        having,
        key=lambda f: (SHAPE_ORDER.get(f.shape, 9), -(f.result.steps[0].count if f.result else 0)),
    )


def funnel_line(result: FunnelResult) -> str:
    """The funnel in one line, as the table's summary record states it."""
    steps = " → ".join(f"{s.name} {s.count:,}" for s in result.steps)
    window = ""
    if result.shape == "event_log":
        window = (
            ", any order"
            if result.window_seconds == 0
            else f", {(result.window_seconds or 0) // 86400}-day window"
        )
    shape = result.shape.replace("_", " ")
    return f"Funnel ({shape}{window}): {steps}; overall {result.overall_conversion:.2%}."


def warning_line(warning: FunnelWarning) -> str:
    """A data-quality warning as the table's summary record states it."""
    end = "" if warning.message.endswith((".", "?", "!")) else "."
    return f"Data quality ({warning.kind.replace('_', ' ')}): {warning.message}{end}"


def step_lines(result: FunnelResult) -> list[str]:
    """One line per step after the first: its conversion from the step before."""
    return [
        f"{before.name} → {after.name}: {after.conversion_from_previous or 0.0:.1%} continue "
        f"({after.count:,} of {before.count:,})."
        for before, after in zip(result.steps, result.steps[1:], strict=False)
    ]
