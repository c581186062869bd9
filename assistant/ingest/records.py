"""What a loader yields before redaction and ids: text, where it came from, its attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assistant.models import AttributeValue, EvidenceKind, Locator


@dataclass
class RawRecord:
    """One record as read from a file."""

    text: str
    locator: Locator
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass
class Table:
    """A tabular file with no free text (an event log, a funnel export): kept for analysis."""

    columns: list[str]
    rows: int


@dataclass
class Loaded:
    """What a loader made of one file: records, or a table, and the kind it guessed."""

    records: list[RawRecord]
    kind: EvidenceKind
    table: Table | None = None
    skipped_empty: int = 0
