"""Columns that repeat another column's values: an export's copies take the original's role.

Process-mining exports write the event name twice ("Activity" and "concept:name"), a resource twice,
and a path variant as a label and as its number ("Variant 63" and 63). The copy says nothing new;
reading it differently from its original would count one fact as two different things.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.profiling.infer import WORD_AND_NUMBER
from assistant.profiling.models import ColumnProfile, TableProfile

MIN_FILLED = 20  # a copy is told only on this many filled rows...
MIN_DISTINCT = 3  # ...with at least this many values (two yes/no columns may agree by chance)
# Figures may agree by arithmetic ("total_score" = "average_score" where one critic scored): no copy.
FIGURES = frozenset({"measure", "rating", "nps", "likert", "funnel_count", "funnel_rate"})


def copy_roles(profile: TableProfile, sample: Sequence[Sequence[str]]) -> None:
    """Give each column that repeats an earlier column on every sampled row the earlier one's role."""
    originals: dict[tuple[str, ...], ColumnProfile] = {}
    for index, col in enumerate(profile.columns):
        cells = tuple(_key(row[index] if index < len(row) else "") for row in sample)
        filled = [c for c in cells if c]
        if len(filled) < MIN_FILLED or len(set(filled)) < MIN_DISTINCT:
            continue
        original = originals.setdefault(cells, col)
        if original is col or col.overridden or col.role == original.role or original.role in FIGURES:
            continue
        copied = original.model_copy(
            update={
                "name": col.name,
                "examples": col.examples,
                "reason": f"the same values as {original.name!r} on every row: a copy of it",
            }
        )
        profile.columns[index] = copied


def _key(cell: str) -> str:
    """A cell as compared: stripped, and a numbered label as its number."""
    text = cell.strip()
    match = WORD_AND_NUMBER.match(text)  # "Variant 63" reads as its number, 63
    return match.group(2) if match else text
