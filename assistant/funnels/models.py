"""The JSON contract of `journey funnel`: steps with counts and conversions, warnings, breakdowns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Shape = Literal["event_log", "aggregate", "entity_table"]
WarningKind = Literal["later_step_larger", "missing_period", "small_sample", "skewed_split", "no_entrants"]


class FunnelStep(BaseModel):
    """One step: how many reached it and how that compares with the step before."""

    name: str
    count: int
    conversion_from_previous: float | None = Field(default=None, description="None for the first step.")
    drop_off: int | None = Field(default=None, description="How many the previous step lost here.")
    median_seconds_from_previous: float | None = Field(
        default=None, description="Median time from the previous step (event logs only)."
    )


class FunnelWarning(BaseModel):
    """A data-quality problem, reported rather than hidden."""

    kind: WarningKind
    message: str


class Breakdown(BaseModel):
    """The funnel of one value of the breakdown property."""

    value: str
    entrants: int
    steps: list[FunnelStep]
    overall_conversion: float


class FunnelResult(BaseModel):
    """A funnel over one file."""

    source: str
    shape: Shape
    steps: list[FunnelStep]
    overall_conversion: float
    warnings: list[FunnelWarning] = Field(default_factory=list)
    window_seconds: int | None = None
    breakdown_by: str | None = None
    breakdown: list[Breakdown] = Field(default_factory=list)


class PropertyOdds(BaseModel):
    """How one property value goes with dropping at a step (PostHog-style funnel correlation)."""

    property: str
    value: str
    converted: int
    dropped: int
    odds_ratio: float = Field(description="(converted+1)/(dropped+1) over the same for everyone else.")
    conversion: float
    skewed: bool = Field(default=False, description="The value holds most of one side: read with care.")
