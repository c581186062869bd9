"""Per-column figures over every distinct row: counts, sums, means, time ranges."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from assistant.ingest.dates import parse_event_time
from assistant.profiling.lexicon import column_lexicon
from assistant.profiling.models import ColumnProfile, ColumnStats
from assistant.profiling.values import SUPPRESSED, to_number

TOP_VALUES = 10
NUMERIC_ROLES = frozenset(
    {"measure", "funnel_count", "funnel_rate", "rating", "nps", "likert", "segment", "flag"}
)
TEXT_ROLES = frozenset({"customer_text", "company_text"})
EPOCH_MS = 1e11  # an epoch above this is in milliseconds


def column_stats(col: ColumnProfile, cells: Sequence[str]) -> ColumnStats:
    """The figures of one column, from all its cells."""
    missing = column_lexicon().missing
    values = [c.strip() for c in cells]
    filled = [v for v in values if v.lower() not in missing]
    stats = ColumnStats(distinct=len(set(filled)), blank=len(values) - len(filled))
    common = Counter(filled).most_common(TOP_VALUES)
    # For texts, only those written more than once: a template or a pasted text, worth a look.
    stats.top = [(v, n) for v, n in common if n > 1] if col.role in TEXT_ROLES else common
    if col.role in NUMERIC_ROLES or col.role == "timestamp":
        numbers = [n for v in filled if (n := to_number(v, col.decimal_comma)) is not None]
        # "<20" (a count too small to publish) has no value to add; the published ones still do.
        withheld = sum(bool(SUPPRESSED.match(v)) for v in filled)
        if numbers and len(numbers) >= 0.9 * (len(filled) - withheld) and col.role != "timestamp":
            stats.total = sum(numbers)
            stats.mean = stats.total / len(numbers)
            stats.median = statistics.median(numbers)
            stats.minimum, stats.maximum = min(numbers), max(numbers)
    if col.role == "timestamp":
        # Only the range is wanted: parse each distinct value once (event logs repeat seconds).
        times = [t for v in set(filled) if (t := _time(v, col.day_first)) is not None]
        if times:
            stats.first, stats.last = min(times).isoformat(), max(times).isoformat()
    return stats


def _time(value: str, day_first: bool = False) -> datetime | None:
    number = to_number(value)
    if number is not None and "." not in value:
        if 1900 <= number <= 2100:
            return datetime(int(number), 1, 1)
        seconds = number / 1000 if number > EPOCH_MS else number
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    parsed = parse_event_time(value, day_first)
    return parsed.replace(tzinfo=None) if parsed and parsed.tzinfo else parsed
