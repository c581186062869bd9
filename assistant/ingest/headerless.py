"""Tables saved without their header line: the first line is already a respondent.

Some exports (a sheet copied from its second row, a results file published as raw data) start with
data. Read as a header, that first row's answers become column names and the row is lost from every
count. The sign is one no real header gives: many first-line cells are answers that recur in their own
column below ("Windows" above a column of Windows / macOS / Linux). Checkbox columns, whose one value
is the option named in the header, are left out of that count, and numeric-looking cells (a year over
a column of yearly figures) are not counted as answers either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.profiling.values import to_number

SAMPLE = 2000  # data rows looked at
MIN_REPEATED = 3  # first-line cells found again in their column...
REPEATED_SHARE = 0.25  # ...and at least this share of the columns that have several values


def missing_header(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """True when the first line reads as a data row rather than column names."""
    sample = rows[:SAMPLE]
    varied = repeated = 0
    for index, raw in enumerate(header):
        cell = raw.strip().lower()
        values = {r[index].strip().lower() for r in sample if index < len(r) and r[index].strip()}
        if len(values) < 2:
            continue
        varied += 1
        if cell and to_number(cell) is None and cell in values:
            repeated += 1
    return repeated >= MIN_REPEATED and repeated >= REPEATED_SHARE * varied


def positional_names(width: int) -> list[str]:
    """Names for the columns of a table that has none: their position, as a spreadsheet shows it."""
    return [f"column {index}" for index in range(1, width + 1)]
