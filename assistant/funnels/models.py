"""The JSON contract of `journey funnel`: steps with counts and conversions, warnings, breakdowns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Shape = Literal["event_log", "aggregate", "entity_table"]
WarningKind = Literal[
    "later_step_larger",
    "missing_period",
    "tracking_gap",
    "duplicate_rows",
    "small_sample",
    "skewed_split",
    "no_entrants",
    "blank_step",
]


class FunnelStep(BaseModel):
    """One step: how many reached it and how that compares with the step before."""

    name: str = Field(description="The step as the data names it: a column, or event name(s).")
    step: str | None = Field(default=None, description="The step id of the stage set's funnel steps.")
    count: int = Field(description="Reached the step (a weighted rate is rounded to whole people).")
    conversion_from_previous: float | None = Field(default=None, description="None for the first step.")
    drop_off: int | None = Field(default=None, description="How many the previous step lost here.")
    median_seconds_from_previous: float | None = Field(
        default=None, description="Median time from the previous step (event logs only)."
    )


class FunnelWarning(BaseModel):
    """A data-quality problem, reported rather than hidden."""

    kind: WarningKind
    message: str
    steps: list[str] = Field(default_factory=list, description="The steps it concerns (empty: all of them).")
    count: int | None = Field(default=None, description="Rows or periods affected, all of them.")
    first: str | None = Field(default=None, description="First period affected.")
    last: str | None = Field(default=None, description="Last period affected.")


class Breakdown(BaseModel):
    """The funnel of one value of the breakdown property."""

    value: str
    entrants: int
    steps: list[FunnelStep]
    overall_conversion: float


class FunnelResult(BaseModel):
    """A funnel over one file."""

    source: str = Field(description="The file as the user named it.")
    shape: Shape
    steps: list[FunnelStep]
    overall_conversion: float
    entity: str | None = Field(default=None, description="Who moves through it: the id column, or rows.")
    weighted: dict[str, str] = Field(
        default_factory=dict, description="Rate columns weighted by their base column (rate -> base)."
    )
    period: str | None = Field(default=None, description="The date column of an export.")
    first_period: str | None = None
    last_period: str | None = None
    dimensions: list[str] = Field(default_factory=list, description="Columns to group by (segments).")
    warnings: list[FunnelWarning] = Field(default_factory=list)
    window_seconds: int | None = None
    breakdown_by: str | None = None
    breakdown: list[Breakdown] = Field(default_factory=list)

    def step(self, step_id: str) -> FunnelStep | None:
        """The step with this step id, if the funnel has it."""
        return next((s for s in self.steps if s.step == step_id), None)

    def rate(self, first: str, last: str) -> float | None:
        """Share of those at step id `first` who reached step id `last`, if the funnel has both."""
        a, b = self.step(first), self.step(last)
        if a is None or b is None or not a.count or self.steps.index(a) >= self.steps.index(b):
            return None
        return self.exact.get(b.name, b.count) / self.exact.get(a.name, a.count)

    exact: dict[str, float] = Field(
        default_factory=dict, description="Unrounded step totals (weighted rates), by step name."
    )


class PropertyOdds(BaseModel):
    """How one property value goes with dropping at a step (PostHog-style funnel correlation)."""

    property: str
    value: str
    converted: int
    dropped: int
    odds_ratio: float = Field(description="(converted+1)/(dropped+1) over the same for everyone else.")
    conversion: float
    skewed: bool = Field(default=False, description="The value holds most of one side: read with care.")
