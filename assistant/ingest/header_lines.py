"""Exports with more header lines below the header: question texts, then import metadata.

Some survey tools write a short code a column on the first line ("Q4_1"), the question's wording on
the second and machine metadata on the third (`{"ImportId":"QID4_1"}`). Read as data, those lines
would be two respondents, and every numeric or date column would look like text. A line is a header
line when, in every column whose data below is numbers or dates, it holds words instead: no
respondent's row does that. The first such line names the columns; later ones are metadata.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence

from assistant.ingest.dates import parse_event_time
from assistant.profiling.values import to_number

MAX_HEADER_LINES = 3  # lines below the header that may be header lines
MIN_TYPED_COLUMNS = 2  # a header line contradicts at least this many numeric or date columns...
MIN_TYPED_CELLS = 5  # ...each with at least this many filled cells below the header lines
TYPED_SHARE = 0.9  # a column is typed when this share of its cells below are numbers or dates
MIN_FILLED_SHARE = 0.5  # a header line names at least half the columns
SAMPLE = 500
SPACES = re.compile(r"\s+")
CODE = re.compile(r"^[A-Za-z]{0,4}\d[\w.]*$")  # "Q4_1", "QID12", "q20a": a question's code


def _typed(cell: str) -> bool:
    return to_number(cell) is not None or parse_event_time(cell) is not None


def _typed_columns(rows: Sequence[Sequence[str]], width: int) -> list[int]:
    typed = []
    for index in range(width):
        cells = [r[index].strip() for r in rows[:SAMPLE] if index < len(r) and r[index].strip()]
        if len(cells) >= MIN_TYPED_CELLS and sum(_typed(c) for c in cells) >= TYPED_SHARE * len(cells):
            typed.append(index)
    return typed


def _is_header_line(line: Sequence[str], typed: list[int]) -> bool:
    cells = [c.strip() for c in line]
    if sum(bool(c) for c in cells) < MIN_FILLED_SHARE * len(cells):
        return False
    return all(index < len(cells) and cells[index] and not _typed(cells[index]) for index in typed)


def _metadata(cells: Sequence[str]) -> bool:
    """A line of JSON objects (import ids) names nothing a person reads."""
    filled = [c.strip() for c in cells if c.strip()]
    parsed = 0
    for cell in filled:
        with contextlib.suppress(ValueError):
            parsed += isinstance(json.loads(cell), dict)
    return bool(filled) and parsed >= 0.5 * len(filled)


def _name(header: str, wording: str) -> str:
    header, wording = header.strip(), SPACES.sub(" ", wording).strip()
    if not wording or SPACES.sub("", header).lower() == SPACES.sub("", wording).lower():
        return header or wording
    if not header:
        return wording
    # The code stays in front: analysts look questions up in the survey's codebook by it.
    return f"{header}: {wording}" if CODE.match(header) else header


def split_header_lines(
    header: Sequence[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]], int]:
    """The header named from its question-text line, the data rows, and how many lines were header."""
    count = 0
    while count < min(MAX_HEADER_LINES, len(rows) - 1):
        typed = _typed_columns(rows[count + 1 :], len(header))
        if len(typed) < MIN_TYPED_COLUMNS or not _is_header_line(rows[count], typed):
            break
        count += 1
    if not count:
        return list(header), rows, 0
    names = list(header)
    wording = next((line for line in rows[:count] if not _metadata(line)), None)
    if wording is not None:
        names = [_name(h, wording[i] if i < len(wording) else "") for i, h in enumerate(header)]
    return names, rows[count:], count
