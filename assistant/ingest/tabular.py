"""Rows of a table (CSV, TSV, JSON) into records: find the text column, type the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from dateutil import parser as date_parser

from assistant.errors import IngestError
from assistant.ingest.chunking import split_long_text
from assistant.ingest.records import Loaded, RawRecord, Table
from assistant.models import AttributeValue, EvidenceKind, Locator

TEXT_HINTS = re.compile(
    r"text|body|comment|review|feedback|answer|response|message|description|verbatim|notes?|transcript|content|reason|quote",
    re.IGNORECASE,
)
DATE_HINTS = re.compile(r"date|time|created|submitted|timestamp|_at$|^at$|day|week", re.IGNORECASE)
NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
# A column is free text when its values average this many words or more.
MIN_TEXT_WORDS = 3.0


def infer_kind(source: str, columns: Sequence[str]) -> EvidenceKind:
    """Guess what sort of evidence a table holds from its name and columns."""
    name = source.lower()
    cols = " ".join(columns).lower()
    if "ticket" in name or "support" in name or ("channel" in cols and "category" in cols):
        return "ticket"
    if "review" in name or "rating" in cols:
        return "review"
    if "survey" in name or "nps" in cols or "respondent" in cols:
        return "survey"
    if "interview" in name or "transcript" in name:
        return "interview"
    if "research" in name:
        return "research"
    return "other"


def coerce(value: str) -> AttributeValue | None:
    """Type a cell: int, float, bool or the stripped string; None when empty."""
    text = value.strip()
    if not text:
        return None
    if NUMBER.match(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _text_score(values: list[str]) -> float:
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return 0.0
    words = sum(len(v.split()) for v in filled) / len(filled)
    letters = sum(sum(ch.isalpha() for ch in v) for v in filled) / max(1, sum(len(v) for v in filled))
    unique = len(set(filled)) / len(filled)
    if words < MIN_TEXT_WORDS or letters < 0.5:
        return 0.0
    return words * unique


def find_text_column(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str | None:
    """Return the column that holds free text, or None for a table of numbers and categories."""
    sample = rows[:500]
    best, best_score = None, 0.0
    for index, column in enumerate(columns):
        score = _text_score([row[index] for row in sample if index < len(row)])
        if score and TEXT_HINTS.search(column):
            score *= 2  # a telling header breaks ties such as title vs. body
        if score > best_score:
            best, best_score = column, score
    return best


def find_date_column(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str | None:
    """Return the first date-like column whose values mostly parse as dates."""
    sample = rows[:200]
    for index, column in enumerate(columns):
        if not DATE_HINTS.search(column):
            continue
        values = [row[index].strip() for row in sample if index < len(row) and row[index].strip()]
        if values and sum(parse_date(v) is not None for v in values) >= 0.8 * len(values):
            return column
    return None


def parse_date(value: str) -> datetime | None:
    """Parse a date or datetime; None when the value is not one (bare numbers are not dates)."""
    text = value.strip()
    if not text or NUMBER.match(text):
        return None
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        return None


def name_columns(header: Sequence[str]) -> list[str]:
    """Name blank headers (e.g. a pandas index column) and make duplicates unique."""
    names: list[str] = []
    for index, raw in enumerate(header, start=1):
        name = raw.strip() or f"column_{index}"
        while name in names:
            name = f"{name}_{index}"
        names.append(name)
    return names


def rows_to_records(
    source: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    row_numbers: Sequence[int],
    kind: EvidenceKind | None,
    text_column: str | None,
) -> Loaded:
    """Turn table rows into records, or into a registered table when there is no text column."""
    if text_column is not None and text_column not in columns:
        raise IngestError(source, f"no column named {text_column!r}; columns are: {', '.join(columns)}")
    chosen = text_column or find_text_column(columns, rows)
    if chosen is None:
        return Loaded(records=[], kind="analytics", table=Table(list(columns), len(rows)))
    text_index = list(columns).index(chosen)
    date_column = find_date_column(columns, rows)
    date_index = list(columns).index(date_column) if date_column else None
    records: list[RawRecord] = []
    skipped = 0
    for number, row in zip(row_numbers, rows, strict=True):
        text = row[text_index].strip() if text_index < len(row) else ""
        if not text:
            skipped += 1
            continue
        attributes: dict[str, AttributeValue] = {}
        for index, column in enumerate(columns):
            if index in (text_index, date_index) or index >= len(row):
                continue
            value = coerce(row[index])
            if value is not None:
                attributes[column] = value
        created = parse_date(row[date_index]) if date_index is not None else None
        pieces = split_long_text(text)
        for part, piece in enumerate(pieces, start=1):
            locator = Locator(row=number, chunk=part if len(pieces) > 1 else None)
            records.append(RawRecord(piece, locator, dict(attributes), created))
    return Loaded(records=records, kind=kind or infer_kind(source, columns), skipped_empty=skipped)
