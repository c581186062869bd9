"""A report's totals row: the first or last row whose figures are the sums of all the others.

Analytics and spreadsheet reports add a row of column totals to the table they export (with a blank
or a "Total" label). Read as a row, it doubles every sum and becomes every column's maximum. It is
kept out of the rows and reported, not dropped silently.
"""

from __future__ import annotations

from assistant.profiling.values import to_number

MIN_SUMMED = 2  # at least this many columns must add up...
SUM_SHARE = 0.5  # ...and at least this share of the numeric columns
TOLERANCE = 0.005  # reports round their totals (and their rows) a little


def totals_row(rows: list[list[str]]) -> int | None:
    """The index (0 or the last) of a row that totals the other rows, if one does."""
    if len(rows) < 3:
        return None
    for index in (len(rows) - 1, 0):
        others = rows[:index] + rows[index + 1 :]
        if _totals(rows[index], others):
            return index
    return None


def _totals(row: list[str], others: list[list[str]]) -> bool:
    summed = numeric = 0
    for column, cell in enumerate(row):
        value = to_number(cell.strip())
        if value is None:
            continue
        parts = [to_number(o[column].strip()) if column < len(o) else None for o in others]
        numbers = [p for p in parts if p is not None]
        if len(numbers) < 0.5 * len(others):
            continue
        numeric += 1
        total = sum(numbers)
        summed += abs(total - value) <= TOLERANCE * max(abs(total), 1.0) and value != 0
    if summed >= MIN_SUMMED and summed >= SUM_SHARE * numeric:
        return True
    # One figure a row ("Day Index,Pageviews"): its total has no label and adds up exactly so.
    unlabelled = all(to_number(c.strip()) is not None or not c.strip() for c in row)
    return summed == numeric == 1 and unlabelled
