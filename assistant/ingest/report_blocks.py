"""Report-style CSV exports: comment lines above the table, and more tables below it.

Analytics consoles (Google Analytics' "Export > CSV", for one) write a few "# ..." lines naming the
report and its dates, then the table, then a blank line and a second table with its own header
("Day Index,Pageviews"). Read as one table that is a ragged file; read as blocks it is two tables.
Each block after the first becomes "<file> - table N.csv", so nothing is dropped; the comment lines
are the report's title, not data.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.decoding import decode_text, sniff_delimiter

COMMENT = "#"
BLANK_LINE = re.compile(r"\n[ \t;,]*\r?\n")
BLANK_BYTES = re.compile(rb"\n[ \t;,]*\r?\n")


def report_blocks(path: Path, data: bytes) -> list[tuple[Path, bytes]]:
    """The tables of a CSV export as (name, CSV bytes): itself when it is one plain table."""
    if not _may_be_report(data):
        return [(path, data)]  # decoded once, by the table loader, as before
    try:
        text = decode_text(data, path.name)
    except IngestError:  # the table loader reports an undecodable file, with its reason
        return [(path, data)]
    if not text.startswith(COMMENT) and not BLANK_LINE.search(text):  # decoding drops any BOM
        return [(path, data)]  # one plain table: no title lines and no blank line to split at
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (lines[start].startswith(COMMENT) or not lines[start].strip()):
        start += 1
    if start and not any(line.startswith(COMMENT) for line in lines[:start]):
        start = 0  # blank lines alone above a header: the loader's business, not a report title
    body = lines[start:]
    cuts = _block_starts(body, sniff_delimiter("".join(body[:50]), path.name))
    if not start and len(cuts) == 1:
        return [(path, data)]
    blocks: list[tuple[Path, bytes]] = []
    for number, (first, last) in enumerate(zip(cuts, [*cuts[1:], len(body)], strict=True), start=1):
        name = path if number == 1 else path.with_name(f"{path.stem} - table {number}{path.suffix}")
        blocks.append((name, "".join(body[first:last]).encode("utf-8")))
    return blocks


def _may_be_report(data: bytes) -> bool:
    """Whether the bytes could hold title lines or a blank line (UTF-16 is decoded to tell)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return data.removeprefix(codecs.BOM_UTF8).startswith(COMMENT.encode()) or bool(BLANK_BYTES.search(data))


def _block_starts(lines: list[str], delimiter: str) -> list[int]:
    """Line numbers where a table starts: the first line, and any header after a blank line.

    A line after a blank one starts a new table when its field count differs from the current
    header's; stray blank rows inside one table keep its rows together.
    """
    starts = [0]
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
    width: int | None = None
    after_blank = False
    line = 0
    try:
        for row in reader:
            begun, line = line, reader.line_num
            if not row or not any(cell.strip() for cell in row):
                after_blank = True
                continue
            if width is None:
                width = len(row)
            elif after_blank and len(row) != width:
                starts.append(begun)
                width = len(row)
            after_blank = False
    except csv.Error:
        return [0]  # the table loader reports where the file cannot be parsed
    return starts
