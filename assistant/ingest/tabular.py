"""Rows of a table (CSV, TSV, JSON) into records and tables, as the table's profile reads them."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.errors import IngestError
from assistant.ingest.chunking import split_long_text
from assistant.ingest.dates import parse_cell_time
from assistant.ingest.records import Loaded, RawRecord, Table
from assistant.models import AttributeValue, EvidenceKind, Locator, Voice
from assistant.profiling.distributions import distributions
from assistant.profiling.models import ATTRIBUTE_ROLES, Schema
from assistant.profiling.table import profile_table

TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # an HTML tag, not "a < b" or "<5 minutes"
NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


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


def clean_header(raw: str) -> str:
    """A header as people read it: survey tools export HTML in question texts ("Professor&nbsp;", "<b>")."""
    text = html.unescape(TAG.sub(" ", raw)) if ("<" in raw or "&" in raw) else raw
    return " ".join(text.split())


def name_columns(header: Sequence[str]) -> list[str]:
    """Name blank headers (e.g. a pandas index column) and make duplicates unique."""
    names: list[str] = []
    for index, raw in enumerate(header, start=1):
        name = clean_header(raw) or f"column_{index}"
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
    schema: Schema | None = None,
) -> Loaded:
    """Turn table rows into records (one per row and open question) and, when it has figures, a table.

    The profile decides: customer-text columns become records, each its own question; company
    text (agent rows, descriptions) becomes context records that never count as customer voice;
    the event-time column dates each record; exact duplicate rows are read once and counted.
    """
    if text_column is not None and text_column not in columns:
        raise IngestError(source, f"no column named {text_column!r}; columns are: {', '.join(columns)}")
    schema = _merge_schema(source, schema, kind, text_column)
    profile = profile_table(source, columns, rows, schema)
    if text_column is not None:
        # --text-column names *the* text: other free-text columns stay plain attributes.
        for col in profile.columns:
            if col.role == "customer_text" and col.name != text_column and not col.overridden:
                col.role, col.reason = "other", f"not the chosen text column {text_column!r}"
    table = Table(list(columns), profile.rows, profile)
    wants_figures = profile.shape in ("records", "table")
    figures = distributions(profile, columns, rows, row_numbers) if wants_figures else []
    texts = [c.name for c in profile.columns if c.role in ("customer_text", "company_text")]
    if profile.shape != "records" or not texts:
        return Loaded(
            records=[],
            kind=profile.kind,
            table=table,
            kind_reason=profile.kind_reason,
            duplicate_rows=profile.duplicate_rows,
            distributions=figures,
            profile=profile,
        )
    index = {name: i for i, name in enumerate(columns)}
    time_column = next((c for c in profile.columns if c.role == "timestamp"), None)
    speaker = next((c for c in profile.columns if c.role == "speaker"), None)
    company_values = {v.lower() for v in speaker.company_values} if speaker else set()
    attribute_columns = [c.name for c in profile.columns if c.role in ATTRIBUTE_ROLES | {"speaker"}]
    ask_question = len(profile.text_columns) > 1
    records: list[RawRecord] = []
    skipped = duplicates = 0
    seen: set[tuple[str, ...]] = set()
    for number, row in zip(row_numbers, rows, strict=True):
        key = tuple(row)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        attributes: dict[str, AttributeValue] = {}
        for name in attribute_columns:
            value = coerce(row[index[name]]) if index[name] < len(row) else None
            if value is not None:
                attributes[name] = value
        created = (
            # A written date keeps its zone; epoch and spreadsheet day numbers are read as UTC.
            parse_cell_time(row[index[time_column.name]], time_column.day_first, keep_zone=True)
            if time_column
            else None
        )
        row_voice: Voice = "customer"
        if speaker is not None and row[index[speaker.name]].strip().lower() in company_values:
            row_voice = "company"
        wrote_any = False
        for name in texts:
            text = row[index[name]].strip() if index[name] < len(row) else ""
            if not text:
                continue
            wrote_any = True
            role = profile.column(name).role  # type: ignore[union-attr]
            voice: Voice = "company" if role == "company_text" else row_voice
            pieces = split_long_text(text)
            for part, piece in enumerate(pieces, start=1):
                locator = Locator(
                    row=number,
                    column=name if len(texts) > 1 else None,
                    chunk=part if len(pieces) > 1 else None,
                )
                question = name if ask_question and role == "customer_text" else None
                records.append(RawRecord(piece, locator, dict(attributes), created, voice, question))
        if not wrote_any:
            skipped += 1
    return Loaded(
        records=records,
        kind=profile.kind,
        table=table if profile.keeps_table else None,
        skipped_empty=skipped,
        duplicate_rows=duplicates,
        kind_reason=profile.kind_reason,
        distributions=figures,
        profile=profile,
    )


def _merge_schema(
    source: str, schema: Schema | None, kind: EvidenceKind | None, text_column: str | None
) -> Schema | None:
    """The user's schema, with --kind and --text-column folded in (they win over a saved schema)."""
    if schema is None and kind is None and text_column is None:
        return None
    merged = schema.model_copy(deep=True) if schema is not None else Schema(source=source)
    if kind is not None:
        merged.kind = kind
    if text_column is not None:
        merged.roles[text_column] = "customer_text"
    return merged
