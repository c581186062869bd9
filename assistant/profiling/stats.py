"""Per-column figures over every distinct row: counts, sums, means, time ranges."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from assistant.ingest.dates import parse_cell_time
from assistant.profiling.lexicon import column_lexicon
from assistant.profiling.models import ColumnProfile, ColumnStats
from assistant.profiling.values import SUPPRESSED, to_number

TOP_VALUES = 10
NUMERIC_ROLES = frozenset(
    {"measure", "funnel_count", "funnel_rate", "rating", "nps", "likert", "segment", "flag"}
)
TEXT_ROLES = frozenset({"customer_text", "company_text"})


def column_stats(col: ColumnProfile, cells: Sequence[str]) -> ColumnStats:
    """The figures of one column, from all its cells."""
    missing = column_lexicon().missing
    values = [c.strip() for c in cells]
    filled = [v for v in values if v.lower() not in missing and v not in col.missing_codes]
    stats = ColumnStats(distinct=len(set(filled)), blank=len(values) - len(filled))
    common = Counter(filled).most_common(TOP_VALUES)
    # For texts, only those written more than once: a template or a pasted text, worth a look.
    stats.top = [(v, n) for v, n in common if n > 1] if col.role in TEXT_ROLES else common
    if col.role in NUMERIC_ROLES or col.role == "timestamp":
        # A scale's ends written as words ("Strongly agree" for 10) count as their points.
        numbers = [n for v in filled if (n := _point(v, col)) is not None]
        # "<20" (a count too small to publish) has no value to add; the published ones still do.
        # Nor has an answer beside a scale ("Not applicable"): counted among the answers, not averaged.
        withheld = sum(bool(SUPPRESSED.match(v)) or v in col.off_scale for v in filled)
        if numbers and len(numbers) >= 0.9 * (len(filled) - withheld) and col.role != "timestamp":
            stats.total = sum(numbers)
            stats.mean = stats.total / len(numbers)
            stats.median = statistics.median(numbers)
            stats.minimum, stats.maximum = min(numbers), max(numbers)
    if col.role == "timestamp":
        # Only the range is wanted: parse each distinct value once (event logs repeat seconds).
        times = [t for v in set(filled) if (t := parse_cell_time(v, col.day_first)) is not None]
        if times:
            stats.first, stats.last = min(times).isoformat(), max(times).isoformat()
    return stats


def _point(value: str, col: ColumnProfile) -> float | None:
    number = to_number(value, col.decimal_comma)
    return number if number is not None else col.anchors.get(value)
