"""A table's profile: the role of every column, how the file will be read, kept with the workspace.

The JSON of `journey inspect --json` and of the schema file saved beside an ingested table.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import EvidenceKind

ColumnRole = Literal[
    "customer_text",
    "company_text",
    "speaker",
    "closed_single",
    "multi_select",
    "rating",
    "nps",
    "likert",
    "flag",
    "segment",
    "identifier",
    "user_id",
    "timestamp",
    "event_name",
    "measure",
    "funnel_count",
    "funnel_rate",
    "other",
]
COLUMN_ROLES: tuple[str, ...] = ColumnRole.__args__  # type: ignore[attr-defined]

ROLE_MEANING: dict[str, str] = {
    "customer_text": "free text the customer wrote: each such column is read as its own open question",
    "company_text": "free text the company wrote (replies, descriptions, campaign names): context, "
    "never the customer's voice",
    "speaker": "says who wrote each row's text (customer or company)",
    "closed_single": "one answer from a fixed list: counted as a distribution",
    "multi_select": "several answers in one cell: each option counted over respondents",
    "rating": "a star or satisfaction scale: averaged and distributed",
    "nps": "0-10 likelihood to recommend: promoters minus detractors",
    "likert": "an agreement scale: distributed in scale order",
    "flag": "a yes/no indicator: counted as a share",
    "segment": "an attribute to group people by (device, plan, region ...)",
    "identifier": "an id, code or link: kept, never counted as an answer",
    "user_id": "the person, session or case a row belongs to",
    "timestamp": "when the row happened: the record's date",
    "event_name": "the event or activity of an event log row",
    "measure": "a number that is not a funnel step (duration, amount ...)",
    "funnel_count": "a funnel step's count (sessions, add-to-carts, orders ...)",
    "funnel_rate": "a funnel step given as a rate of a base column",
    "other": "kept as a plain attribute; not analysed",
}

# Roles whose values are answers a distribution can count.
DISTRIBUTION_ROLES = frozenset({"closed_single", "multi_select", "rating", "nps", "likert", "flag"})
# Roles that make a table worth keeping for computed figures (not only its text records).
TABLE_ROLES = DISTRIBUTION_ROLES | {"event_name", "funnel_count", "funnel_rate"}
# Roles kept on each text record as attributes (filters and segment comparisons).
ATTRIBUTE_ROLES = DISTRIBUTION_ROLES | {"segment", "user_id", "identifier", "measure", "other"}


class ColumnStats(BaseModel):
    """Figures of one column over all distinct rows: what an analyst checks first."""

    model_config = ConfigDict(extra="forbid")

    distinct: int = 0
    blank: int = Field(default=0, description="Blank cells and missing-value codes.")
    top: list[tuple[str, int]] = Field(default_factory=list, description="Most common values with counts.")
    total: float | None = None
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    first: str | None = Field(default=None, description="Earliest time (ISO), for a timestamp.")
    last: str | None = Field(default=None, description="Latest time (ISO), for a timestamp.")


class ColumnProfile(BaseModel):
    """One column: its role, why, and what its values look like."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The header as in the file.")
    role: ColumnRole
    reason: str = Field(default="", description="Why this role was inferred, in a few words.")
    overridden: bool = Field(default=False, description="True when the user set the role.")
    filled: int = Field(default=0, description="Non-blank cells.")
    distinct: int = Field(default=0, description="Distinct non-blank values.")
    examples: list[str] = Field(default_factory=list, description="A few values, most common first.")
    separator: str | None = Field(default=None, description="Multi-select separator.")
    options: list[str] = Field(default_factory=list, description="Multi-select options, when known.")
    scale: tuple[float, float] | None = Field(default=None, description="Lowest and highest scale point.")
    scale_labels: list[str] = Field(default_factory=list, description="Likert answers in scale order.")
    anchors: dict[str, float] = Field(
        default_factory=dict, description="End labels of a numbered scale and the point each stands for."
    )
    base: str | None = Field(default=None, description="For a funnel rate: the column it is a rate of.")
    part: str | None = Field(
        default=None, description="For a rate found from the numbers: the column it divides by the base."
    )
    rate_unit: Literal["percent", "fraction"] | None = None
    step: str | None = Field(default=None, description="Funnel step id of a funnel count or rate column.")
    true_value: str | None = Field(default=None, description="For a flag: the value that means yes.")
    decimal_comma: bool = Field(default=False, description="Numbers written with a decimal comma (12,96).")
    missing_codes: list[str] = Field(
        default_factory=list, description="Numbers that stand for no answer (-99), left out of every figure."
    )
    off_scale: list[str] = Field(
        default_factory=list,
        description="Answers beside a scale's points ('Not applicable'): counted, never averaged.",
    )
    day_first: bool = Field(default=False, description="Dates written day first (31/05/2022).")
    company_values: list[str] = Field(
        default_factory=list, description="For a speaker column: the values that mark the company's rows."
    )
    stats: ColumnStats | None = Field(default=None, description="Figures over all distinct rows.")


class TableProfile(BaseModel):
    """How a table will be read: every column's role, the kind, and what becomes evidence."""

    model_config = ConfigDict(extra="forbid")

    source: str
    rows: int = Field(description="Data rows, blank rows excluded.")
    duplicate_rows: int = Field(default=0, description="Exact duplicate data rows (counted once).")
    header_lines: int = Field(
        default=0,
        description="Lines below the header read as more header (question texts, import ids), not data.",
    )
    headerless: bool = Field(
        default=False,
        description="No header line: the first line is a data row; columns are named by position.",
    )
    short_rows: int = Field(
        default=0, description="Data rows with fewer cells than the header, read with their last cells blank."
    )
    totals_row: int | None = Field(
        default=None,
        description="Data row number of a row of column totals, kept out of the rows and the figures.",
    )
    kind: EvidenceKind
    kind_reason: str = ""
    kind_overridden: bool = False
    columns: list[ColumnProfile]
    shape: Literal["records", "event_log", "aggregate", "entity_table", "table"] = Field(
        default="records",
        description="records: rows are people's feedback; the others are analytics tables.",
    )

    def column(self, name: str) -> ColumnProfile | None:
        """The profile of one column, by header."""
        return next((c for c in self.columns if c.name == name), None)

    def with_role(self, *roles: str) -> list[ColumnProfile]:
        """Columns holding any of these roles, in file order."""
        return [c for c in self.columns if c.role in roles]

    @property
    def text_columns(self) -> list[str]:
        """Columns whose cells become customer evidence records."""
        return [c.name for c in self.columns if c.role == "customer_text"]

    @property
    def keeps_table(self) -> bool:
        """Whether the file is kept as a table for computed figures (distributions, funnels)."""
        return self.shape != "records" or any(c.role in TABLE_ROLES for c in self.columns)


class Schema(BaseModel):
    """A user's corrections for one file, kept with the workspace so a re-ingest reads it the same way."""

    model_config = ConfigDict(extra="forbid")

    source: str
    kind: EvidenceKind | None = None
    roles: dict[str, ColumnRole] = Field(default_factory=dict)
