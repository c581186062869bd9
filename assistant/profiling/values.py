"""A column's cells as the profiler reads them: blanks set aside, numbers parsed, a profile made."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.profiling.lexicon import ColumnLexicon, normalise_header
from assistant.profiling.models import ColumnProfile, ColumnRole

NUMBER = re.compile(r"^[-+]?[$€£¥]?\s?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?\s?%?$")
DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
DECIMAL_COMMA_SHARE = 0.3  # at least this share of a column's cells have a fraction after the comma


SUPPRESSED = re.compile(r"^(<|≤|<=|less than)\s*\d+$", re.IGNORECASE)  # "<20": a small count withheld


@dataclass
class ColumnValues:
    """A column's sample: its header, its cells, and counts the rules share."""

    name: str
    header: str  # normalised
    cells: list[str]  # non-missing, stripped
    blank: int

    @property
    def distinct(self) -> int:
        """Distinct values."""
        return len(set(self.cells))

    @property
    def unique_ratio(self) -> float:
        """Distinct values over filled cells."""
        return self.distinct / len(self.cells) if self.cells else 0.0


def column_values(name: str, raw: Sequence[str], lexicon: ColumnLexicon) -> ColumnValues:
    """Strip a column's cells and set aside the missing-value codes."""
    cells, blank = [], 0
    for value in raw:
        text = value.strip().strip("\ufeff\u200b").strip()  # a byte-order mark inside a cell is no text
        if text.lower() in lexicon.missing:
            blank += 1
        else:
            cells.append(text)
    return ColumnValues(name, normalise_header(name), cells, blank)


def to_number(text: str, decimal_comma: bool = False) -> float | None:
    """A cell as a number ("1,234", "12.5%", "$3"; "12,96" when written with a decimal comma), or None."""
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    if not NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    try:
        return float(re.sub(r"[,$€£¥%\s]", "", text))
    except ValueError:
        return None


def decimal_comma(cells: Sequence[str]) -> bool:
    """Numbers written "12,96": a comma before other than three digits, and no decimal point anywhere."""
    if any("." in c for c in cells[:500]):
        return False
    commas = [c for c in cells if DECIMAL_COMMA.match(c)]
    return len(commas) >= DECIMAL_COMMA_SHARE * len(cells) and any(
        not THOUSANDS.match(c.lstrip("-+")) for c in commas
    )


def make_profile(column: ColumnValues, role: ColumnRole, reason: str, **extra: object) -> ColumnProfile:
    """A column's profile with the role found, why, and its commonest values as examples."""
    counts = Counter(column.cells)
    examples = [value[:80] for value, _ in counts.most_common(4)]
    return ColumnProfile(
        name=column.name,
        role=role,
        reason=reason,
        filled=len(column.cells),
        distinct=column.distinct,
        examples=examples,
        **extra,  # type: ignore[arg-type]
    )
