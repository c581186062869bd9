"""Read a cell as an event time, strictly: version strings, ids and codes are never dates."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as date_parser

# A date names its year in full (1900-2099); "24.09.30" (an app version)
# or "5.1.0" name neither, and dateutil would happily read them as 2030-09-24 and 2000-05-01.
FULL_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
BARE_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")
VERSION = re.compile(r"^v?\d{1,4}(\.\d{1,4}){1,3}([-+][\w.]+)?$", re.IGNORECASE)
# US exports write month/day/two-digit year ("10/22/12", "9/24/19 14:05"); versions never use slashes.
SHORT_YEAR = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}(\s+\d{1,2}:\d{2}(:\d{2})?(\s?[AaPp][Mm])?)?$")
MAX_LENGTH = 40


def parse_event_time(value: str) -> datetime | None:
    """Parse a date or datetime; None for anything that is not clearly one."""
    text = value.strip()
    if not text or len(text) > MAX_LENGTH or BARE_NUMBER.match(text):
        return None
    if VERSION.match(text) and not re.match(r"^(19|20)\d{2}\.\d{1,2}\.\d{1,2}$", text):
        return None
    if SHORT_YEAR.match(text):
        try:
            return date_parser.parse(text)  # month first unless the first part cannot be a month
        except (ValueError, OverflowError):
            return None
    if not FULL_YEAR.search(text):
        return None  # "Feb" or "3 March" alone have no year: a period label, not a time
    try:
        # ISO 8601 (what exports mostly write) parses a hundred times faster this way.
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        return None
