"""Spreadsheet workbooks (.xlsx): every sheet with data becomes a CSV table of its own.

Survey tools, BI tools and ads consoles export .xlsx as often as CSV. Each sheet is written out as
CSV text, named "<book> - <sheet>.csv", and read by the table loader like any CSV, so a workbook
goes through the same profile, figures and funnels. Cells are read as values (not formulas):
dates as ISO 8601, whole numbers without ".0". Empty sheets are skipped; nothing else is.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.decoding import TABLE_SUFFIXES
from assistant.ingest.report_blocks import report_blocks

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
UNSAFE = re.compile(r"[\\/:*?\"<>|]+")


def is_workbook(path: Path) -> bool:
    """Whether the file name says an Excel workbook."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def table_parts(path: Path, read: Callable[[], bytes]) -> list[tuple[Path, bytes | None]]:
    """A file as it is read: itself (bytes read later), a workbook's sheets or a report's tables as CSV."""
    if path.suffix.lower() in TABLE_SUFFIXES:
        return [*report_blocks(path, read())]
    if not is_workbook(path):
        return [(path, None)]
    return [*workbook_sheets(path, read())]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_sheets(path: Path, data: bytes) -> list[tuple[Path, bytes]]:
    """Each sheet with data as (its CSV file name, CSV bytes), in workbook order."""
    # openpyxl is imported here: only workbooks need it, and it is slow to import.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(path.name, f"not a readable .xlsx workbook ({exc})") from exc
    sheets: list[tuple[Path, bytes]] = []
    try:
        for sheet in book.worksheets:
            rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            while width and not any(r[width - 1].strip() for r in rows if len(r) >= width):
                width -= 1  # trailing columns formatted but never filled
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerows([(r + [""] * width)[:width] for r in rows])
            name = UNSAFE.sub("_", f"{path.stem} - {sheet.title}.csv")
            sheets.append((path.with_name(name), out.getvalue().encode("utf-8")))
    finally:
        book.close()
    if not sheets:
        raise IngestError(path.name, "the workbook has no sheet with data")
    return sheets
