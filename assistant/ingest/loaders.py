"""One loader per file format; each turns a file's bytes into records or raises IngestError."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.ingest.chunking import Block, pack_blocks, paragraphs, speaker_turns
from assistant.ingest.dates import parse_event_time
from assistant.ingest.decoding import (
    PDF_MAGIC,
    TABLE_SUFFIXES,
    ZIP_MAGIC,
    decode_text,
    looks_binary,
    sniff_delimiter,
)
from assistant.ingest.header_lines import split_header_lines
from assistant.ingest.headerless import missing_header, positional_names
from assistant.ingest.pii_names import speaker_roles
from assistant.ingest.records import Loaded, RawRecord
from assistant.ingest.subheader import merge_subheader
from assistant.ingest.tabular import coerce, name_columns, rows_to_records
from assistant.ingest.totals import totals_row
from assistant.ingest.workbooks import WORKBOOK_SUFFIXES, table_parts
from assistant.models import AttributeValue, EvidenceKind, Locator
from assistant.profiling.kind import prose_kind
from assistant.profiling.models import Schema

FRONT_MATTER = re.compile(r"^([A-Za-z][\w ]{0,30}):\s+(.+)$")
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | TABLE_SUFFIXES | JSON_SUFFIXES | WORKBOOK_SUFFIXES | {".pdf", ".docx"}

csv.field_size_limit(64 * 1024 * 1024)  # long transcripts pasted into one cell are real


def guess_text_kind(source: str) -> EvidenceKind | None:
    """The kind a prose file's name and folder state, or None when they say nothing."""
    name = source.lower()
    for word, kind in (
        ("interview", "interview"),
        ("transcript", "interview"),
        ("research", "research"),
        ("study", "research"),
        ("report", "research"),
        ("survey", "survey"),
        ("ticket", "ticket"),
        ("review", "review"),
    ):
        if word in name:
            return kind  # type: ignore[return-value]
    return None


def _front_matter(lines: list[str]) -> tuple[dict[str, AttributeValue], int]:
    """Read a leading block of `Key: value` lines (after an optional title) as attributes."""
    attributes: dict[str, AttributeValue] = {}
    index = 0
    if lines and lines[0].lstrip().startswith("#"):
        attributes["title"] = lines[0].lstrip("# ").strip()
        index = 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    start = index
    while index < len(lines) and (match := FRONT_MATTER.match(lines[index].strip())):
        attributes[match.group(1).strip().lower()] = coerce(match.group(2)) or match.group(2)
        index += 1
    ended_by_blank = index >= len(lines) or not lines[index].strip()
    if index - start < 2 or not ended_by_blank:
        # Not front matter: leave the lines to the body (keep a Markdown title as an attribute).
        return ({"title": attributes["title"]} if "title" in attributes else {}), (
            1 if "title" in attributes else 0
        )
    return attributes, index


def _records_from_blocks(
    blocks: list[Block], attributes: dict[str, AttributeValue], page: int | None = None
) -> list[RawRecord]:
    created = None
    for key in ("date", "created", "created_at", "interview date"):
        if key in attributes:
            created = parse_event_time(str(attributes[key]))
            break
    return [
        RawRecord(
            text=block.text,
            locator=Locator(
                page=page, line_start=block.line_start, line_end=block.line_end, chunk=block.part
            ),
            attributes=dict(attributes),
            created_at=created,
        )
        for block in blocks
    ]


def load_prose(text: str, source: str, kind: EvidenceKind | None) -> Loaded:
    """Load a transcript or notes: speaker turns kept together, paragraphs packed into chunks."""
    lines = text.split("\n")
    attributes, body_start = _front_matter(lines)
    body = lines[body_start:]
    turns = speaker_turns(body)
    blocks = turns if turns is not None else paragraphs(body)
    offset = body_start
    shifted = [Block(b.line_start + offset, b.line_end + offset, b.text) for b in blocks]
    # Markdown headings alone are not evidence; keep them out of the packed chunks.
    shifted = [b for b in shifted if not all(ln.lstrip().startswith("#") for ln in b.text.split("\n"))]
    loaded = Loaded(_records_from_blocks(pack_blocks(shifted), attributes), "other")
    if turns is not None and kind is None:
        loaded.kind, loaded.kind_reason = "interview", "speaker turns: a transcript"
    else:
        loaded = _with_kind(loaded, text, source, kind)
    if turns is not None:  # speaker names become roles when the records are redacted
        loaded.speakers = speaker_roles(body, attributes, loaded.kind)
    return loaded


def _with_kind(loaded: Loaded, text: str, source: str, kind: EvidenceKind | None) -> Loaded:
    """Set a prose file's kind: the user's, else its name's, else what its content reads as."""
    if kind is not None:
        loaded.kind, loaded.kind_reason = kind, "set by the user"
    elif (named := guess_text_kind(source)) is not None:
        loaded.kind, loaded.kind_reason = named, f"its name says {named}"
    else:
        loaded.kind, loaded.kind_reason = prose_kind(text)
    return loaded


def load_text_file(
    data: bytes, source: str, kind: EvidenceKind | None, _: str | None, schema: Schema | None = None
) -> Loaded:
    """Load .txt / .md files."""
    return load_prose(decode_text(data, source), source, kind or (schema.kind if schema else None))


def load_table_file(
    data: bytes, source: str, kind: EvidenceKind | None, text_column: str | None, schema: Schema | None = None
) -> Loaded:
    """Load .csv / .tsv: quoted multi-line fields, delimiter sniffed, ragged rows refused."""
    text = decode_text(data, source)
    delimiter = sniff_delimiter(text, source)
    try:
        header, columns, rows, numbers, padded = _read_rows(text, delimiter, source)
    except IngestError:
        escaped = re.compile(BACKSLASH_QUOTE.format(delimiter=re.escape(delimiter)))
        if not escaped.search(text):
            raise
        # Some writers escape a quote inside a field as \" rather than "": read it that way when the
        # plain reading fails, and refuse the file only if that fails too. Only the quote's backslash
        # goes ("C:\\data" and a typed "\n" stay as written), which csv's escapechar would not do; a \"
        # before a delimiter or line end closes a field that ends in a backslash ("Running\").
        header, columns, rows, numbers, padded = _read_rows(escaped.sub('""', text), delimiter, source)
    if not rows:
        raise IngestError(source, "the table has a header but no rows")
    headerless = missing_header(header, rows)
    if headerless:
        # The first line is a respondent: keep it as data row 1 and name the columns by position.
        rows, numbers = [list(header), *rows], [1, *(n + 1 for n in numbers)]
        header = columns = positional_names(len(header))
    merged, rows, folded = merge_subheader(header, rows)
    if folded:
        # The second header line is not a respondent: data rows keep their numbers in the file.
        columns, numbers = name_columns(merged), [n - 1 for n in numbers[1:]]
    if not rows:
        raise IngestError(source, "the table has two header lines but no rows")
    named, rows, header_lines = split_header_lines(columns, rows)
    if header_lines:
        # Question texts and import ids below the header are not respondents: data rows keep their numbers.
        columns, numbers = name_columns(named), [n - header_lines for n in numbers[header_lines:]]
    total = totals_row(rows)
    if total is not None:
        total_line = numbers[total]
        rows, numbers = rows[:total] + rows[total + 1 :], numbers[:total] + numbers[total + 1 :]
    loaded = rows_to_records(source, columns, rows, numbers, kind, text_column, schema)
    if loaded.profile is not None:
        loaded.profile.header_lines = header_lines + int(folded)
        loaded.profile.headerless = headerless
        loaded.profile.short_rows = padded
        loaded.profile.totals_row = total_line if total is not None else None
    return loaded


BACKSLASH_QUOTE = r'(?<!\\)\\"(?!{delimiter}|\r?\n|$)'  # \" inside a quoted field, not at its end


def _read_rows(
    text: str, delimiter: str, source: str
) -> tuple[list[str], list[str], list[list[str]], list[int], int]:
    """The header, column names, non-blank data rows, their numbers and how many were short.

    Rows longer than the header, rows short by different amounts and broken quoting are refused.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise IngestError(source, "no header row")
        columns = name_columns(header)
        rows: list[list[str]] = []
        numbers: list[int] = []
        short: dict[int, tuple[int, int]] = {}  # width -> (first data row, its last line)
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                raise _ragged(source, len(rows) + 1, reader.line_num, len(row), len(columns))
            if len(row) < len(columns):
                short.setdefault(len(row), (len(rows) + 1, reader.line_num))
            rows.append(row)
            numbers.append(len(rows))
    except csv.Error as exc:
        raise IngestError(source, f"unparseable CSV near line {reader.line_num}: {exc}") from exc
    if len(short) > 1:
        # Rows short by different amounts are broken lines (a line break outside quotes), not a pattern.
        width, (row_number, line) = sorted(short.items())[-1]
        raise _ragged(source, row_number, line, width, len(columns))
    # Rows all short by the same cells: the writer left off trailing blank cells (the header names
    # columns those rows never filled). They are read with those cells blank, and the profile says so.
    padded = sum(len(r) < len(columns) for r in rows)
    return header, columns, [r + [""] * (len(columns) - len(r)) for r in rows], numbers, padded


def _ragged(source: str, row: int, line: int, fields: int, width: int) -> IngestError:
    return IngestError(
        source,
        f"ragged table: data row {row} (ending on line {line}) has {fields} fields, the header has {width}",
    )


def _flatten(value: Any, prefix: str = "", depth: int = 0) -> dict[str, Any]:
    if isinstance(value, dict) and depth < 8:
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}{key}.", depth + 1))
        return flat
    if isinstance(value, list):
        return {prefix[:-1]: "; ".join(str(v) for v in value if not isinstance(v, (dict, list)))}
    return {prefix[:-1]: value}


def _find_items(document: Any) -> list[Any] | None:
    """Return the list of records in a JSON document: the document itself or its largest list."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v]
        if lists:
            return max(lists, key=len)
        return [document]
    return None


def load_json_file(
    data: bytes, source: str, kind: EvidenceKind | None, text_column: str | None, schema: Schema | None = None
) -> Loaded:
    """Load .json (a list of objects, or an object holding one) and .jsonl (one object a line)."""
    text = decode_text(data, source)
    items: list[Any] = []
    numbers: list[int] = []
    if source.lower().endswith((".jsonl", ".ndjson")):
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise IngestError(
                    source, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})"
                ) from exc
            numbers.append(number)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(
                source, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        except RecursionError:
            raise IngestError(source, "JSON nested too deeply to read") from None
        found = _find_items(document)
        if found is None:
            raise IngestError(source, "JSON holds no records (expected a list of objects)")
        items = found
        numbers = list(range(1, len(items) + 1))
    if not items:
        raise IngestError(source, "JSON holds no records")
    flat = [_flatten(item) if isinstance(item, dict) else {"text": item} for item in items]
    columns: list[str] = []
    for record in flat:
        columns.extend(k for k in record if k not in columns)
    rows = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in flat]
    return rows_to_records(source, columns, rows, numbers, kind, text_column, schema)


def load_pdf_file(
    data: bytes, source: str, kind: EvidenceKind | None, _: str | None, schema: Schema | None = None
) -> Loaded:
    """Load a PDF page by page; each page's paragraphs packed into chunks with page locators."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(source, "the PDF is encrypted; save an unprotected copy and retry")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(source, f"unreadable PDF: {exc}") from exc
    records: list[RawRecord] = []
    for number, page_text in enumerate(pages, start=1):
        blocks = pack_blocks(paragraphs(page_text.replace("\r", "").split("\n")))
        records.extend(_records_from_blocks(blocks, {}, page=number))
    if not records:
        raise IngestError(source, "the PDF has no extractable text (a scan? run OCR first)")
    saved_kind = schema.kind if schema else None
    return _with_kind(Loaded(records, "other"), "\n".join(pages), source, kind or saved_kind)


def load_docx_file(
    data: bytes, source: str, kind: EvidenceKind | None, _: str | None, schema: Schema | None = None
) -> Loaded:
    """Load a Word document: its paragraphs (and table cells) as lines of prose."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise IngestError(source, f"unreadable .docx: {exc}") from exc
    except Exception as exc:  # a corrupt zip surfaces as zipfile.BadZipFile and others
        raise IngestError(source, f"unreadable .docx: {exc}") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
            lines.append("")
    return load_prose("\n".join(lines), source, kind or (schema.kind if schema else None))


Loader = Callable[..., Loaded]


def pick_loader(path: Path, data: bytes) -> Loader:
    """Choose a loader by content first (PDF, zip, binary), then by extension."""
    suffix = path.suffix.lower()
    if data.startswith(PDF_MAGIC):
        return load_pdf_file
    if data.startswith(ZIP_MAGIC):
        if suffix == ".docx":
            return load_docx_file
        if suffix in WORKBOOK_SUFFIXES:
            raise IngestError(path.name, "a workbook: read it sheet by sheet (assistant.ingest.workbooks)")
        raise IngestError(path.name, "a zip archive or Office file other than .docx; unpack or convert it")
    if suffix in (".pdf", ".docx"):
        raise IngestError(path.name, f"not a real {suffix} file (its content does not match)")
    if looks_binary(data):
        raise IngestError(path.name, "binary content, not text (NUL bytes found)")
    if suffix in TABLE_SUFFIXES:
        return load_table_file
    if suffix in JSON_SUFFIXES:
        return load_json_file
    if suffix in TEXT_SUFFIXES or suffix == "":
        return load_text_file
    raise IngestError(
        path.name, f"unsupported file type {suffix!r}; supported: {', '.join(sorted(SUPPORTED))}"
    )


def load_own_table(path: Path, schema: Schema | None = None) -> Loaded:
    """A file read as ingest reads it, its own part only: a report's first table, a workbook's first sheet."""
    part, data = table_parts(path, path.read_bytes)[0]
    data = path.read_bytes() if data is None else data
    return pick_loader(part, data)(data, part.name, None, None, schema)
