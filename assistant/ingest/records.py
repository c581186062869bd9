"""What a loader yields before redaction and ids: text, where it came from, its attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assistant.models import AttributeValue, EvidenceKind, Locator, Voice
from assistant.profiling.distributions import Distribution
from assistant.profiling.models import TableProfile


@dataclass
class RawRecord:
    """One record as read from a file."""

    text: str
    locator: Locator
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    created_at: datetime | None = None
    voice: Voice = "customer"
    question: str | None = None


@dataclass
class Table:
    """A tabular file with no free text (an event log, a funnel export): kept for analysis."""

    columns: list[str]
    rows: int
    profile: TableProfile | None = None


@dataclass
class Loaded:
    """What a loader made of one file: records, a table, or both, and the kind it settled on."""

    records: list[RawRecord]
    kind: EvidenceKind
    table: Table | None = None
    skipped_empty: int = 0
    # A transcript's speaker labels -> roles (assistant/ingest/pii_names.speaker_roles), applied
    # with the other redactions so the labels and their later mentions never reach the store.
    speakers: dict[str, str] = field(default_factory=dict)
    duplicate_rows: int = 0
    kind_reason: str = ""
    distributions: list[Distribution] = field(default_factory=list)
    profile: TableProfile | None = None  # a table's profile, whether or not the table is kept
