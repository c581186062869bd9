"""A column's cells as the profiler reads them: blanks set aside, numbers parsed, a profile made."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.profiling.lexicon import ColumnLexicon, normalise_header
from assistant.profiling.models import ColumnProfile, ColumnRole

NUMBER = re.compile(r"^[-+]?[$€£¥]?\s?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?\s?%?$")
DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
DECIMAL_COMMA_SHARE = 0.3  # at least this share of a column's cells have a fraction after the comma
NINES = re.compile(r"^(-9{1,4}|9{2,5})(\.0+)?$")  # -9, -99, -999; 99, 999, 9999: "no answer" codes
MIN_CODED_VALUES = 3  # a code is told from the other numbers only beside a few of them...
MISSING_CODE_FACTOR = 10  # ...a positive one lying more than ten times above all of them
SUPPRESSED_COUNT_FLOOR = 10  # -1 is a suppressed count only among counts that reach this


SUPPRESSED = re.compile(r"^(<|≤|<=|less than)\s*\d+$", re.IGNORECASE)  # "<20": a small count withheld


@dataclass
class ColumnValues:
    """A column's sample: its header, its cells, and counts the rules share."""

    name: str
    header: str  # normalised
    cells: list[str]  # non-missing, stripped
    blank: int
    missing_codes: list[str] = field(default_factory=list)  # numbers that stand for "no answer" (-99)

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
    codes = missing_number_codes(cells) or suppression_codes(cells)
    if codes:
        kept = [c for c in cells if c not in codes]
        return ColumnValues(name, normalise_header(name), kept, blank + len(cells) - len(kept), sorted(codes))
    return ColumnValues(name, normalise_header(name), cells, blank)


def missing_number_codes(cells: Sequence[str]) -> set[str]:
    """Nines that stand for "no answer" in a column of other numbers: -99 among 1-7, 999 among ages.

    Survey tools and statistics packages write a missing answer as -9, -99, -999 or 99, 999, 9999. A
    negative one is a code when every other number is at least 0; a positive one when it is more
    than ten times every other number (an age of 99 among ages up to 90 is an age).
    """
    numbers = {c: n for c in set(cells) if (n := to_number(c)) is not None}
    if len(numbers) < len(set(cells)) - 1 or len(numbers) < MIN_CODED_VALUES:
        return set()
    codes = {c for c, n in numbers.items() if NINES.match(c)}
    others = [n for c, n in numbers.items() if c not in codes]
    if not codes or not others:
        return set()
    low, high = min(others), max(others)
    return {
        c
        for c in codes
        if (numbers[c] < 0 and low >= 0) or (numbers[c] > 0 and numbers[c] > MISSING_CODE_FACTOR * high)
    }


def suppression_codes(cells: Sequence[str]) -> set[str]:
    """-1 among counts: publishers of statistics write a suppressed or unknown count ("≤ 5") as -1.

    A code only where it is the column's one negative number and every other value is a whole
    number from 0 up to at least SUPPRESSED_COUNT_FLOOR: a -1 beside 0, 1, 2 is a small difference.
    """
    numbers = {c: n for c in set(cells) if (n := to_number(c)) is not None}
    if len(numbers) < len(set(cells)) or len(numbers) < MIN_CODED_VALUES:
        return set()
    negative = {c for c, n in numbers.items() if n < 0}
    others = [n for c, n in numbers.items() if c not in negative]
    if len(negative) != 1 or numbers[next(iter(negative))] != -1 or not others:
        return set()
    if min(others) < 0 or any(n != int(n) for n in others) or max(others) < SUPPRESSED_COUNT_FLOOR:
        return set()
    return negative


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
        missing_codes=column.missing_codes,
        **extra,  # type: ignore[arg-type]
    )
