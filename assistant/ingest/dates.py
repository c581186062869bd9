"""Read a cell as an event time, strictly: version strings, ids and codes are never dates."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

from dateutil import parser as date_parser

# "2018-02-03 10:15 WIB": a zone name dateutil does not know is read as local time; its warning
# would print once per cell of a whole column during ingest, which tells the user nothing they can act on.
warnings.filterwarnings("ignore", category=date_parser.UnknownTimezoneWarning)

# A date names its year in full (1900-2099); "24.09.30" (an app version)
# or "5.1.0" name neither, and dateutil would happily read them as 2030-09-24 and 2000-05-01.
FULL_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
BARE_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")
VERSION = re.compile(r"^v?\d{1,4}(\.\d{1,4}){1,3}([-+][\w.]+)?$", re.IGNORECASE)
# US exports write month/day/two-digit year ("10/22/12", "9/24/19 14:05"); versions never use slashes.
SHORT_YEAR = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}(\s+\d{1,2}:\d{2}(:\d{2})?(\s?[AaPp][Mm])?)?$")
MAX_LENGTH = 40
# What dateutil fills in for a part a value leaves out: "2023-04" is 1 April, not today's day of April.
UNSTATED = datetime(2000, 1, 1)
# An ISO 8601 interval ("2023-04-01/P1M", "2023-04-01/2023-06-30") is a period: its start is the time.
ISO_INTERVAL = re.compile(r"^(\d{4}-\d{2}(?:-\d{2})?(?:T[\d:.]+Z?)?)/(?:P[\dYMWDTHS.]+|\d{4}-\d{2}\S*)$")
# Two numbers before a full or short year: "31/05/2022", "01.02.2022", "9/24/19".
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def day_first(cells: list[str]) -> bool:
    """Whether a column writes dates day first: some first part is above 12 and no second part is.

    One "31/05/2022" in a column means its "01/02/2022" is 1 February, not 2 January.
    """
    firsts, seconds = [], []
    for cell in cells:
        if (found := NUMERIC_DATE.match(cell.strip())) is not None:
            firsts.append(int(found.group(1)))
            seconds.append(int(found.group(2)))
    return bool(firsts) and max(firsts) > 12 and max(seconds) <= 12


def parse_event_time(value: str, day_first: bool = False) -> datetime | None:
    """Parse a date or datetime; None for anything that is not clearly one.

    Numeric dates are read month first unless the column writes them day first (`day_first`).
    """
    text = value.strip()
    if not text or len(text) > MAX_LENGTH or BARE_NUMBER.match(text):
        return None
    if VERSION.match(text) and not re.match(r"^(19|20)\d{2}\.\d{1,2}\.\d{1,2}$", text):
        return None
    if SHORT_YEAR.match(text):
        try:
            return date_parser.parse(text, dayfirst=day_first, default=UNSTATED)
        except (ValueError, OverflowError):
            return None
    if (interval := ISO_INTERVAL.match(text)) is not None:
        text = interval.group(1)
    if not FULL_YEAR.search(text):
        return None  # "Feb" or "3 March" alone have no year: a period label, not a time
    try:
        # ISO 8601 (what exports mostly write) parses a hundred times faster this way.
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text, dayfirst=day_first, default=UNSTATED)
    except (ValueError, OverflowError):
        return None


def states_day(value: str) -> bool:
    """Whether a date names its day ("2018-09-14"), not just a month or a year ("2018-09")."""
    if parse_event_time(value) is None:
        return False
    text = value.strip()
    if (interval := ISO_INTERVAL.match(text)) is not None:
        text = interval.group(1)
    try:
        # Two defaults one day apart give the same date only when the text states the day.
        one = date_parser.parse(text, default=UNSTATED)
        two = date_parser.parse(text, default=UNSTATED.replace(day=2))
    except (ValueError, OverflowError):
        return True  # read by fromisoformat alone, which takes only whole dates
    return one.day == two.day


EPOCH_MS = 1e11  # an epoch above this is in milliseconds
EXCEL_DAYS = (20000.0, 80000.0)  # spreadsheet day numbers of 1954..2119 ("43290.53487")
EXCEL_ZERO = datetime(1899, 12, 30)  # the day spreadsheets count from


def parse_cell_time(value: str, day_first: bool = False, keep_zone: bool = False) -> datetime | None:
    """A timestamp column's cell: text, a bare year, epoch s/ms or a spreadsheet day number.

    Numbers are read as UTC, naive; a written time keeps its zone only with `keep_zone`.
    """
    text = value.strip()
    if BARE_NUMBER.match(text):
        number = float(text.replace(",", "."))
        if EXCEL_DAYS[0] <= number <= EXCEL_DAYS[1]:
            return EXCEL_ZERO + timedelta(days=number)
        if "." not in text and "," not in text:
            if 1900 <= number <= 2100:
                return datetime(int(number), 1, 1)
            seconds = number / 1000 if number > EPOCH_MS else number
            try:
                return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
            except (OverflowError, OSError, ValueError):
                return None
        return None
    parsed = parse_event_time(text, day_first)
    return parsed.replace(tzinfo=None) if parsed and parsed.tzinfo and not keep_zone else parsed
