"""Totals of an aggregate funnel export (step counts by period and segment), read with DuckDB.

This is the small part of funnel analysis the map drafter needs: step totals, conversions and
a breakdown by one segment column. Event-log funnels and data-quality checks build on it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from pydantic import BaseModel, Field

DEFAULT_STEPS: tuple[str, ...] = ("visit", "product", "cart", "checkout", "payment", "order")
SEGMENT_COLUMNS: tuple[str, ...] = ("device", "platform", "channel", "segment", "region", "plan")


class StepCount(BaseModel):
    """One funnel step with its count and its conversion from the step before."""

    name: str
    count: int
    conversion_from_previous: float | None = Field(default=None, description="None for the first step.")


class AggregateFunnel(BaseModel):
    """Funnel totals of one export, overall and per segment value."""

    source: str
    steps: list[StepCount]
    overall_conversion: float
    segment: str | None = None
    by_segment: dict[str, list[StepCount]] = Field(default_factory=dict)
    periods: int = 0


def _steps(counts: list[tuple[str, int]]) -> list[StepCount]:
    result: list[StepCount] = []
    for index, (name, count) in enumerate(counts):
        previous = counts[index - 1][1] if index else None
        rate = None if previous is None else (count / previous if previous else 0.0)
        result.append(StepCount(name=name, count=int(count), conversion_from_previous=rate))
    return result


def funnel_columns(columns: list[str], steps: tuple[str, ...] = DEFAULT_STEPS) -> list[str]:
    """Return the step columns a table has, in funnel order (case-insensitive)."""
    lower = {c.lower(): c for c in columns}
    return [lower[s] for s in steps if s in lower]


def read_aggregate_funnel(path: Path, steps: tuple[str, ...] = DEFAULT_STEPS) -> AggregateFunnel | None:
    """Sum an aggregate export's step columns; None when it has fewer than three step columns."""
    con = duckdb.connect()
    try:
        relation = con.read_csv(str(path))
        columns = list(relation.columns)
        present = funnel_columns(columns, steps)
        if len(present) < 3:
            return None
        sums = ", ".join(f'SUM("{c}")' for c in present)
        totals = con.execute(f"SELECT {sums}, COUNT(*) FROM relation").fetchall()[0]
        lower = {c.lower(): c for c in columns}
        segment = next((lower[s] for s in SEGMENT_COLUMNS if s in lower), None)
        by_segment: dict[str, list[StepCount]] = {}
        if segment is not None:
            rows = con.execute(
                f'SELECT CAST("{segment}" AS VARCHAR), {sums} FROM relation GROUP BY 1 ORDER BY 1'
            ).fetchall()
            for row in rows:
                by_segment[str(row[0])] = _steps(list(zip(present, row[1:], strict=True)))
        period = next(
            (c for c in columns if c.lower() in ("week_start", "week", "date", "period", "month")), None
        )
        periods = (
            int(con.execute(f'SELECT COUNT(DISTINCT "{period}") FROM relation').fetchall()[0][0])
            if period
            else 0
        )
    finally:
        con.close()
    counts = list(zip(present, totals[:-1], strict=True))
    first, last = counts[0][1], counts[-1][1]
    return AggregateFunnel(
        source=path.name.split("-", 1)[-1],
        steps=_steps(counts),
        overall_conversion=(last / first) if first else 0.0,
        segment=segment,
        by_segment=by_segment,
        periods=periods,
    )
