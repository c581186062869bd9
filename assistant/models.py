"""The evidence data model: the JSON contract of CLI output and exports (Pydantic v2)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EvidenceKind = Literal["interview", "survey", "ticket", "review", "analytics", "research", "other"]
EVIDENCE_KINDS: tuple[str, ...] = (
    "interview",
    "survey",
    "ticket",
    "review",
    "analytics",
    "research",
    "other",
)
Basis = Literal["data", "assumption"]
Voice = Literal["customer", "company", "computed"]
"""Who is speaking in a record: a customer, the company (agent replies, descriptions: context only,
never counted as what customers say), or the product itself (a figure computed from a table)."""
AttributeValue = str | int | float | bool


class Locator(BaseModel):
    """Where in its source file a record sits: a row, a line range, a page, a chunk."""

    model_config = ConfigDict(extra="forbid")

    row: int | None = Field(default=None, description="1-based data row of a table (header excluded).")
    line_start: int | None = Field(default=None, description="First line (1-based) of a text span.")
    line_end: int | None = Field(default=None, description="Last line (1-based) of a text span.")
    page: int | None = Field(default=None, description="1-based page of a PDF.")
    chunk: int | None = Field(
        default=None, description="1-based chunk number when a long field or page was split."
    )
    column: str | None = Field(default=None, description="The column of a table the text came from.")

    @property
    def label(self) -> str:
        """Human-readable form, e.g. 'row 12', 'lines 3-9', 'page 2 · chunk 1'."""
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line_start is not None:
            end = self.line_end if self.line_end is not None else self.line_start
            parts.append(f"line {end}" if end == self.line_start else f"lines {self.line_start}-{end}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.chunk is not None:
            parts.append(f"chunk {self.chunk}")
        return " · ".join(parts) or "whole file"


class Evidence(BaseModel):
    """One record of customer evidence: a ticket, a review, a survey answer, a transcript span."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: a hash of source, locator and text.")
    source: str = Field(description="File name the record came from.")
    kind: EvidenceKind = Field(description="What sort of evidence this is.")
    text: str = Field(description="The record's text, with personal data redacted.")
    locator: Locator = Field(default_factory=Locator, description="Where in the source it sits.")
    created_at: datetime | None = Field(default=None, description="When the customer said it.")
    attributes: dict[str, AttributeValue] = Field(
        default_factory=dict, description="Segment fields such as device, plan, region, age band."
    )
    voice: Voice = Field(default="customer", description="Who is speaking: customer, company or computed.")
    question: str | None = Field(
        default=None, description="The open question a survey answer responds to (its column header)."
    )
    stage: str | None = Field(default=None, description="Journey stage, derived by analysis.")
    sentiment: float | None = Field(
        default=None, ge=-1, le=1, description="Sentiment in [-1, 1], derived by analysis."
    )

    @staticmethod
    def make_id(source: str, locator: Locator, text: str) -> str:
        """Return the stable id of a record: same content, same place, same id."""
        key = "\x1f".join([source, locator.model_dump_json(exclude_none=True), text])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class Citation(BaseModel):
    """A pointer to evidence with a quote that must be verbatim in that evidence's text."""

    model_config = ConfigDict(extra="forbid")

    evidence_id: str = Field(description="Id of the cited evidence record.")
    quote: str = Field(min_length=1, description="A verbatim substring of the evidence's text.")


class Claim(BaseModel):
    """Base of every claim-bearing map item: its text, its basis and the evidence it cites."""

    text: str = Field(min_length=1, description="The claim, in one sentence.")
    basis: Basis = Field(
        default="assumption",
        description="'data' when cited evidence supports it; 'assumption' otherwise.",
    )
    evidence: list[Citation] = Field(default_factory=list, description="Citations supporting the claim.")
    author: Literal["draft", "user"] = Field(
        default="draft", description="'user' when a person wrote or edited the item, 'draft' otherwise."
    )

    @model_validator(mode="after")
    def _data_needs_citations(self) -> Claim:
        # Evidence or it is an assumption: a data claim without citations is not allowed.
        if self.basis == "data" and not self.evidence:
            raise ValueError("a claim with basis 'data' must cite at least one evidence record")
        return self


class SearchHit(BaseModel):
    """One retrieved record with its fused score and the ranks each retriever gave it."""

    evidence: Evidence
    score: float = Field(description="Fused relevance score (higher is better).")
    dense_rank: int | None = Field(default=None, description="1-based rank by embeddings.")
    lexical_rank: int | None = Field(default=None, description="1-based rank by BM25.")
