"""Infer every column's role from its values and its header together.

Values decide the type (number, date, flag, scale, choice list, free text); the header's cues,
read from the language lexicon, decide between roles of the same type (a 1-5 rating or a coded
region, a choice question or a segment, customer text or company text). A second pass looks at
the table as a whole: event logs (an event column beside a timestamp and a person), funnel rate
columns and their base, and company-written text in analytics tables. Nothing here names a word of
any language or domain; see `assistant/lexicons/`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from assistant.funnels.steps import StepTable
from assistant.ingest.dates import EXCEL_DAYS, day_first, parse_event_time
from assistant.profiling.choices import MIN_WRITE_INS, chosen, multi_select, option_part, typed_in
from assistant.profiling.lexicon import ColumnLexicon, normalise_header
from assistant.profiling.models import ColumnProfile
from assistant.profiling.scales import (
    ANCHORED_MIN_SHARE,
    NUMBERED_LABEL,
    SCORE_MAX,
    anchored_scale,
    degree_scale,
    excess_scale,
    fixed_scale,
    frequency_scale,
    numbered_labels,
    scale_top,
)
from assistant.profiling.values import SUPPRESSED, ColumnValues, decimal_comma, make_profile, to_number

SAMPLE_ROWS = 5000
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
CODE = re.compile(r"^[\w\-.:/#]+$")
PATH = re.compile(r"^/[^\s]*$")  # "/about-me", "/2016/05/post?x=1": a page on a site
HOST = re.compile(r"^([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", re.IGNORECASE)  # "www.ssa.gov", "sam.gov/"
TEMPLATE_WORDS = 3  # a template's text opens with the same words...
TEMPLATE_SHARE = 0.8  # ...on at least this share of its cells
SUPPRESSED_MIN_NUMBERS = 5  # ...beside at least this many published numbers
WORD_AND_NUMBER = re.compile(r"^([^\W\d_]{2,})[\s_\-#]*(\d+)$")  # "Variant 63", "group_12"
NUMBERED_SHARE = 0.9  # ...on nearly every cell, with one word
SHORT_CODE_CHARS = 4  # codes ("C", "AB12") average at most this many characters
NUMBERED = re.compile(r"[\s_\-#]*\d+$")  # "customer_12", "user 3"
SPEAKER_MAX_LABELS = 12  # a speaker column of role words has a handful of them...
SPEAKER_MAX_NAMED = 60  # ...or numbered customers beside at most this many company names...
SPEAKER_MIN_SHARE = 0.2  # ...with the numbered customers on at least this share of rows
DIGEST_WORDS = re.compile(r"(sha\d+|md5|hashed|hash|digest)\b")  # also glued on: "idsha256"
HASHED = re.compile(r"^[0-9a-f]{16,}$")  # md5 / sha hex digests
DURATION = re.compile(r"^-?\d{1,3}:\d{2}(:\d{2})?(\.\d+)?$")  # 1:05, 00:01:47.0
MIN_TEXT_WORDS = 3.0  # a column of free text averages at least this many words a cell...
MIN_TEXT_UNIQUE = 0.5  # ...and most of its cells are different
SELF_SHARE = 0.2  # a "Description" where a fifth of the cells say "I" or "my" is the writer's own account
NAME_MAX_WORDS = 6  # names of things (titles, products) are short...
NAME_MIN_UNIQUE = 0.8  # ...mostly different...
PLACE_MIN_UNIQUE = 0.3  # (names that repeat, as streets and places do, are at most this short:)
PLACE_MAX_WORDS = 3
NAME_MIN_CELLS = 20  # ...(seen on enough rows to tell)...
NAME_MIN_LONGER = 0.5  # ...(names of two words or more on at least half the rows)...
NAME_SHARE = 0.9  # ...and nearly all in title case...
LONG_NAME_SHARE = 0.9  # names longer than that: nearly all in title case still
ABBREVIATION_CHARS = 3  # "P.", "Jr.", "Inc.": a name's last word before a full stop is this short
NAME_CAPITALS = 0.6  # ...most of their words capitalised ("Far From the Madding Crowd")
MAX_CHOICES = 60  # a choice list longer than this is not a closed question
CHOICE_MAX_WORDS = 20  # ...nor one whose answers average this many words (real lists: 15 at most)...
PASSAGE_MIN_VALUES = 3  # ...among at least this many (a yes/no pair may be two long sentences)
PLACEHOLDER_MIN_NUMBERS = 0.8  # numbers with one word for "no value" on the rest are still numbers
CODED_MAX_DISTINCT = 20  # small integer codes (region 1-9) are categories, not quantities...
CODED_REPEAT = 0.2  # ...when each code is shared by several rows
OPT_OUT_MIN_POINTS = 3  # a scale with one answer in words beside it uses at least this many of its points
SEGMENT_MAX_WORDS = 3  # typed-in attributes (countries, cities) are short...
SEGMENT_MAX_UNIQUE = 0.2  # ...and shared by many rows
TYPED_SEGMENT_UNIQUE = 0.5  # typed-in attribute values (job titles) still repeat across rows
LABEL_MAX_UNIQUE = 0.125  # short labels on 8+ rows each, on average, group the rows (no one types alike)
EPOCH_SECONDS = (9e8, 2.2e9)  # 1998..2039, seconds or milliseconds since 1970
EPOCH_MS = (9e11, 2.2e12)
YEARS = (1900, 2100)
PERIOD_MAX = 53  # weeks of a year; months and quarters number fewer
ZERO_PADDED_SHARE = 0.2  # fixed-width digits with a leading zero on this share of cells are codes
INDEX_MAX_SPREAD = 2  # row numbers with gaps reach at most twice the row count
ID_MAX_SPREAD = 100  # numeric ids span less than this factor (counts and populations span more)
VERSION_DIGIT_SHARE = 0.5  # a column of versions has a number on most rows ("develop", "latest" beside them)


def infer_column(column: ColumnValues, lexicon: ColumnLexicon, funnel: StepTable) -> ColumnProfile:
    """The role of one column on its own (the table pass may still revise it)."""
    cells, header = column.cells, column.header
    if not cells:
        return make_profile(column, "other", "every cell is blank")
    if lexicon.system_column(column.name) and not lexicon.cue("identifier", header):
        return make_profile(column, "other", "a loader's bookkeeping column")
    if sum(bool(HASHED.match(c)) for c in cells) >= 0.9 * len(cells):
        # Digests stand in for personal data a loader removed: neither attributes nor text.
        named = DIGEST_WORDS.sub(" ", header).strip()  # "user id sha256" names a user id, hashed
        if lexicon.cue("identifier", named) or lexicon.cue("user_id", named):
            return make_profile(column, "identifier", "hashed ids")
        return make_profile(column, "other", "hashed values (personal data removed)")
    if column.distinct == 1 and column.blank and chosen(column, lexicon):
        return make_profile(column, "flag", f"{cells[0][:30]!r} or blank: chosen or not", true_value=cells[0])
    refusal = lexicon.yes_for_no.get(cells[0].lower()) if column.distinct == 1 else None
    if column.blank and refusal is not None and cells[0].isalpha():
        # "No" on the answered rows, blank on the rest: a yes/no field no one said yes to (yet).
        return make_profile(column, "flag", f"{cells[0]!r} or blank: a yes/no field", true_value=refusal)
    if column.distinct == 1 and column.blank and not lexicon.cue("timestamp", header):
        # One value on some rows, blank on the others: it tells the rows apart, unlike a constant.
        if lexicon.cue("identifier", header):
            return make_profile(column, "identifier", "an id, on some rows only")
        if to_number(cells[0]) == 0:
            # Zero where filled and blank elsewhere measures nothing: no figure can be read from it.
            return make_profile(column, "other", "0 on some rows, blank on others: nothing recorded")
        if to_number(cells[0]) is not None:
            return make_profile(
                column, "measure", f"one number ({cells[0][:20]!r}) on some rows, blank on others"
            )
        if lexicon.cue("write_in", header) and any(ch.isalpha() for ch in cells[0]):
            # An "Other" box one respondent (or several alike) typed into: their own words.
            return make_profile(
                column, "customer_text", f"one typed-in answer ({cells[0][:30]!r}), blank elsewhere"
            )
        return make_profile(column, "segment", f"{cells[0][:30]!r} on some rows, blank on others")
    if column.distinct == 1 and lexicon.cue("timestamp", header) and parse_event_time(cells[0]) is not None:
        # A trimmed export, or one day's: the one date is still every record's time.
        return make_profile(column, "timestamp", f"one date only ({cells[0][:30]!r}): the records' time")
    if (
        column.distinct == 1
        and len(cells) > 1
        and not lexicon.cue("customer_text", header)
        # One account's id over a trimmed export is still an id; a word ("WAVES") names the app.
        and not (lexicon.cue("identifier", header) and any(ch.isdigit() for ch in cells[0]))
    ):
        return make_profile(column, "other", f"one value only ({cells[0][:30]!r})")
    lowered = [c.lower() for c in cells]
    if column.distinct >= 2 and set(lowered) <= lexicon.dataset_splits:
        return make_profile(column, "other", "splits a data set (train / test): not about the customer")
    speaker = _speaker(column, lowered, lexicon)
    if speaker is not None:
        return speaker
    flag = _flag(column, lowered, lexicon)
    if flag is not None:
        return flag
    comma = decimal_comma(cells)
    numbers = [to_number(c, comma) for c in cells]
    numeric = [n for n in numbers if n is not None]
    pointed = sum(
        n is None and NUMBERED_LABEL.match(c) is not None for c, n in zip(cells, numbers, strict=True)
    )
    scale_like = len(numeric) + pointed >= ANCHORED_MIN_SHARE * len(cells)
    # Ends written as numbered words ("1 (None at all)", "10 (All my time)") make a scale even when
    # few answers chose them; a lone word among numbers is a placeholder, handled below.
    if pointed and scale_like and (anchored := anchored_scale(column, numeric, lexicon)) is not None:
        return anchored
    placeholder = _placeholder(cells, numbers)
    suppressed = _suppressed(cells, numbers)
    opt_out = _scale_opt_out(cells, numbers) if placeholder is None and suppressed is None else None
    if opt_out is not None:
        # "Not Applicable / Rarely use" beside 1-5 answers: the scale's answers, and one way out of it.
        profile = _numeric(column, numeric, lexicon, funnel)
        profile.off_scale = [opt_out]  # `journey inspect` says so beside the reason
        return profile
    if len(numeric) >= 0.95 * len(cells) or placeholder is not None or suppressed is not None:
        profile = _numeric(column, numeric, lexicon, funnel)
        profile.decimal_comma = comma
        if comma:
            profile.reason += " (written with a decimal comma)"
        if placeholder is not None:
            profile.reason += f" ({placeholder!r} on the other rows: no value)"
        if suppressed is not None:
            profile.reason += f" ({suppressed} on the other rows: too small to publish, left out of totals)"
        return profile
    # Word ends only ("Strongly agree" for 10); numbered ends were tried above.
    if not pointed and scale_like and (anchored := anchored_scale(column, numeric, lexicon)) is not None:
        return anchored
    if sum(bool(DURATION.match(c)) for c in cells) >= 0.9 * len(cells):
        if (
            lexicon.cue("timestamp", header)
            and not lexicon.cue("measure", header)
            and not lexicon.cue("average", header)  # "Avg. Time on Page" 00:01:09 is a duration
        ):
            # "Time" 13:08 beside a "Date" column: the clock time of the row's day, not a quantity.
            return make_profile(column, "other", "times of day (the date is in another column)")
        return make_profile(column, "measure", "durations (h:mm:ss)")
    time = _timestamp(column, lexicon)
    if time is not None:
        return time
    likert = (
        fixed_scale(column, lowered, lexicon)
        or numbered_labels(column, lexicon)
        or degree_scale(column, lowered, lexicon)
        or excess_scale(column, lowered, lexicon)
        or frequency_scale(column, lowered, lexicon)
    )
    if likert is not None:
        return likert
    return _textual(column, lexicon)


def _speaker(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    if not lexicon.cue("speaker", column.header):
        return None
    values = set(lowered)
    if column.distinct <= SPEAKER_MAX_LABELS:
        company = sorted(v for v in values if v in lexicon.company_speakers)
        customer = [v for v in values if v in lexicon.customer_speakers]
        if company and customer:
            originals = sorted({c for c in column.cells if c.lower() in company})
            return make_profile(column, "speaker", "says who wrote each row", company_values=originals)
    # Numbered customers ("customer_1", "customer_2") and named others (the brand's handles).
    numbered = {v for v in values if NUMBERED.sub("", v) in lexicon.customer_speakers and NUMBERED.search(v)}
    named = values - numbered
    rows = sum(v in numbered for v in lowered)
    if numbered and named and len(named) <= SPEAKER_MAX_NAMED and rows >= SPEAKER_MIN_SHARE * len(lowered):
        originals = sorted({c for c in column.cells if c.lower() in named})
        return make_profile(
            column,
            "speaker",
            "says who wrote each row: numbered customers, named company",
            company_values=originals,
        )
    return None


def _flag(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    values = set(lowered)
    if len(values) != 2:
        return None
    if lexicon.cue("measure", column.header) and all(v.isdigit() for v in values):
        return None  # a quantity that happens to be 0 or 1 in the sample
    for yes, no in lexicon.flag_pairs:
        if values == {yes, no}:
            true_value = next(c for c in column.cells if c.lower() == yes)
            return make_profile(column, "flag", f"two values: {yes} / {no}", true_value=true_value)
    unchosen = values & lexicon.unchosen
    if len(unchosen) == 1:
        # "Father or father figure(s)" / "Not selected": one ticked option of a select-all question.
        ticked = next(c for c in column.cells if c.lower() not in unchosen)
        return make_profile(column, "flag", f"{ticked[:30]!r} or {next(iter(unchosen))!r}", true_value=ticked)
    return None


def _numeric(
    column: ColumnValues, numbers: list[float], lexicon: ColumnLexicon, funnel: StepTable
) -> ColumnProfile:
    header = column.header
    integers = all(n.is_integer() for n in numbers)
    low, high = min(numbers), max(numbers)
    percent = sum(c.endswith("%") for c in column.cells) >= 0.5 * len(column.cells)
    if lexicon.cue("version", header):
        return make_profile(column, "segment", "a version number: a segment, never a date")
    if lexicon.cue("numeric_code", header):
        return make_profile(
            column, "segment", "numbers that code a place or class: a segment, not a quantity"
        )
    if _zero_padded(column.cells):
        # "0302", "0606": a fixed-width code keeps its leading zeros; no quantity is written so.
        if column.unique_ratio >= 0.95 and len(column.cells) > NAME_MIN_CELLS:
            return make_profile(column, "identifier", "fixed-width codes with leading zeros, one a row")
        return make_profile(column, "segment", "fixed-width codes with leading zeros: a category")
    if lexicon.cue("coordinate", header) and not integers:
        # Where a record was made; no total or average of it means anything.
        return make_profile(column, "other", "map coordinates: a place, not a figure")
    if lexicon.cue("timestamp", header) and integers and _epoch(low, high):
        return make_profile(column, "timestamp", "epoch seconds or milliseconds")
    if lexicon.cue("timestamp", header) and not integers and EXCEL_DAYS[0] <= low <= high <= EXCEL_DAYS[1]:
        # "43290.53487" under "Start Date": a spreadsheet's day number with the time as a fraction.
        return make_profile(column, "timestamp", "spreadsheet day numbers (days since 1899-12-30)")
    if (
        lexicon.cue("timestamp", header)
        and not lexicon.cue("question", header)
        and integers
        and YEARS[0] <= low <= high <= YEARS[1]
    ):
        return make_profile(column, "timestamp", "calendar years")
    if lexicon.cue("period_number", header) and integers and 0 <= low <= high <= PERIOD_MAX:
        # "Week" 1-53, "Month" 1-12, "hr" 0-23: which period a row is about, not a quantity.
        return make_profile(column, "other", "numbers of a period (hour, day, week or month)")
    step = funnel.step_of(_without_rate_words(header, lexicon))
    is_rate = lexicon.cue("rate", header) or percent
    if step is not None and low >= 0:
        if is_rate or (not integers and high <= 1.0):
            unit = "percent" if percent or high > 1.0 else "fraction"
            return make_profile(
                column, "funnel_rate", f"a rate of funnel step {step}", step=step, rate_unit=unit
            )
        return make_profile(column, "funnel_count", f"counts of funnel step {step}", step=step)
    if lexicon.cue("nps", header) and integers and low >= 0 and high <= 10:
        return make_profile(column, "nps", "0-10 likelihood to recommend", scale=(0.0, 10.0))
    if integers and low >= 0 and high <= 10 and column.distinct <= 11:
        if lexicon.cue("likert", header):
            return make_profile(column, "likert", "an agreement scale", scale=(min(low, 1.0), high))
        # "How long have you been using it?" 0-10 asks a quantity (years), not a score.
        if lexicon.cue("rating", header) or (
            lexicon.cue("question", header) and not lexicon.cue("measure", header)
        ):
            top = scale_top(high)
            return make_profile(
                column, "rating", f"a {int(min(low, 1))}-{int(top)} scale", scale=(min(low, 1.0), top)
            )
    halves = all((2 * n).is_integer() or (4 * n).is_integer() for n in numbers)
    summed = lexicon.cue("measure", header)  # "total_score" 37.5 is a sum of scores, not a score
    # An average of a time ("avg_time_generation" 0.42 s, "Avg. Time on Page") is no score.
    averaged = lexicon.cue("average", header) and not lexicon.cue("timestamp", header)
    scored = lexicon.cue("rating", header) or averaged
    if scored and not integers and low >= 0 and high <= 10 and not (is_rate or summed):
        # Scores in halves or quarters, or averages of scores ("average_score" 7.45, "CSat" 4.12).
        top = 5.0 if high <= 5 else 10.0
        what = "score in halves or quarters" if halves else "average score"
        return make_profile(
            column, "rating", f"a {min(low, 1.0):g}-{top:g} {what}", scale=(min(low, 1.0), top)
        )
    if (
        lexicon.cue("user_id", header)
        and not lexicon.cue("measure", header)  # "num_applications_in_person" counts, it names no one
        and integers  # "Metacritic_User" 7.1: a score users gave, not a person
        # "RottenTomatoes_User" 86: a 0-100 score users gave; a bare "user" or "case" is still the person
        and not (high <= 100 and " " in header and not lexicon.cue("identifier", header))
        and column.unique_ratio < 0.9
        and column.distinct > 1
    ):
        return make_profile(column, "user_id", "an id that repeats: the person or case of each row")
    # "years_code" counts years of coding: a unit word beside "code" names a quantity, not an id.
    if lexicon.cue("identifier", header) and integers and not lexicon.cue("time_unit", header):
        if low >= 0 and high <= CODED_MAX_DISTINCT and column.distinct <= CODED_REPEAT * len(column.cells):
            # "Group ID" 1/2 over thousands of rows tells no rows apart: it numbers a few groups.
            return make_profile(column, "segment", f"{column.distinct} codes shared by many rows: a group")
        return make_profile(column, "identifier", "an id or code")
    if (
        integers
        and len(numbers) > 20
        and column.unique_ratio == 1.0
        and low in (0, 1)
        and (
            high - low == len(numbers) - 1
            # A saved data frame's index after rows were dropped: rising, with gaps, not far past the count.
            or (high <= INDEX_MAX_SPREAD * len(numbers) and _rising(numbers))
        )
    ):
        return make_profile(column, "identifier", "row numbers (0 or 1 up to the row count)")
    if (
        integers
        and column.unique_ratio >= 0.999
        and len(column.cells) > 20
        and high >= 1000
        and not lexicon.cue("measure", header)
        # Counts spread over orders of magnitude; a nameless column of them is a saved index all the same.
        and (not _orders_of_magnitude(low, high) or lexicon.cue("unnamed", header))
    ):
        return make_profile(column, "identifier", "a different whole number on every row")
    if is_rate:
        return make_profile(column, "measure", "a rate or share")
    if (
        lexicon.cue("segment", header)
        and not lexicon.cue("measure", header.replace("age", ""))
        and integers
        and column.distinct <= CODED_MAX_DISTINCT
    ):
        return make_profile(column, "segment", "a grouping attribute")
    if integers and low == -1 and high <= 1 and not lexicon.cue("measure", header):
        # -1 / 0 / 1: a state (rejected, unseen, accepted), not a quantity to add up.
        return make_profile(column, "segment", "a -1/0/1 code: a state, not a quantity")
    coded = column.distinct <= CODED_MAX_DISTINCT and column.distinct <= CODED_REPEAT * len(column.cells)
    if integers and low >= 1 and coded and not lexicon.cue("measure", header):
        return make_profile(column, "segment", "small whole-number codes: a category")
    return make_profile(column, "measure", "a numeric measure")


def _template_opening(cells: list[str]) -> str | None:
    """The opening words that nearly every cell starts with, when there are enough cells to tell."""
    if len(cells) <= NAME_MIN_CELLS:
        return None
    openings = Counter(" ".join(c.split()[:TEMPLATE_WORDS]).lower() for c in cells)
    opening, count = openings.most_common(1)[0]
    if len(opening.split()) < TEMPLATE_WORDS or count < TEMPLATE_SHARE * len(cells):
        return None
    return " ".join(next(c for c in cells if c.lower().startswith(opening)).split()[:TEMPLATE_WORDS])


def _numbered_label(cells: list[str]) -> str | None:
    """The one word that, with a number after it, makes nearly every cell ("Variant 63")."""
    words = [m.group(1).lower() for c in cells if (m := WORD_AND_NUMBER.match(c))]
    if len(words) < NUMBERED_SHARE * len(cells) or len(set(words)) != 1 or len(cells) < 2:
        return None
    first = next(m for c in cells if (m := WORD_AND_NUMBER.match(c)))
    return first.group(1)


def _zero_padded(cells: list[str]) -> bool:
    """Digits all of one width, many of them led by a zero ("0302", "0101")."""
    if not cells or not all(c.isdigit() for c in cells) or len({len(c) for c in cells}) != 1:
        return False
    return len(cells[0]) >= 2 and sum(c.startswith("0") for c in cells) >= ZERO_PADDED_SHARE * len(cells)


def _placeholder(cells: list[str], numbers: list[float | None]) -> str | None:
    """The one word that stands for a missing number ("Error", "Unknown") in a column of numbers."""
    words = {c for c, n in zip(cells, numbers, strict=True) if n is None}
    numeric = len(cells) - sum(n is None for n in numbers)
    if len(words) != 1 or numeric < PLACEHOLDER_MIN_NUMBERS * len(cells):
        return None
    word = next(iter(words))
    return word if word.isalpha() else None


def _scale_opt_out(cells: list[str], numbers: list[float | None]) -> str | None:
    """The one answer in words beside whole numbers on a short scale ("Not applicable" beside 1-5).

    The numbers must be most of the answers and take at least three points of a 0-10 scale; the
    words must not be a number's band ("More than 3" beside 1, 2, 3 is the scale's top).
    """
    words = {c for c, n in zip(cells, numbers, strict=True) if n is None}
    points = {n for n in numbers if n is not None}
    numeric = len(cells) - sum(n is None for n in numbers)
    if len(words) != 1 or numeric < ANCHORED_MIN_SHARE * len(cells) or len(points) < OPT_OUT_MIN_POINTS:
        return None
    if not all(n.is_integer() and 0 <= n <= SCORE_MAX for n in points):
        return None
    word = next(iter(words))
    return None if any(ch.isdigit() for ch in word) else word


def _suppressed(cells: list[str], numbers: list[float | None]) -> str | None:
    """The "<20"-style codes a publisher writes for small counts, when they are all a column's non-numbers."""
    codes = {c for c, n in zip(cells, numbers, strict=True) if n is None}
    numeric = len(cells) - sum(n is None for n in numbers)
    if not codes or numeric < SUPPRESSED_MIN_NUMBERS or not all(SUPPRESSED.match(c) for c in codes):
        return None
    return ", ".join(repr(c) for c in sorted(codes)[:3])


def _rising(numbers: list[float]) -> bool:
    return all(a < b for a, b in itertools.pairwise(numbers))


def _orders_of_magnitude(low: float, high: float) -> bool:
    """Values spread over two orders of magnitude or more are quantities: ids keep their width."""
    return low > 0 and high / low >= ID_MAX_SPREAD


def _without_rate_words(header: str, lexicon: ColumnLexicon) -> str:
    pattern = lexicon.cues.get("rate")
    return pattern.sub(" ", header).strip() if pattern else header


def _epoch(low: float, high: float) -> bool:
    return (EPOCH_SECONDS[0] <= low and high <= EPOCH_SECONDS[1]) or (
        EPOCH_MS[0] <= low and high <= EPOCH_MS[1]
    )


def _timestamp(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile | None:
    if lexicon.cue("version", column.header):
        return None
    sample = column.cells[:400]
    parsed = sum(parse_event_time(v) is not None for v in sample)
    if parsed >= 0.9 * len(sample):
        profile = make_profile(column, "timestamp", "values are dates or times")
        profile.day_first = day_first(column.cells)
        if profile.day_first:
            profile.reason += " (written day first)"
        return profile
    return None


def _textual(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile:
    cells, header = column.cells, column.header
    if sum(c.startswith(("{", "[")) and c.endswith(("}", "]")) for c in cells) >= 0.9 * len(cells):
        return make_profile(column, "other", "structured data (JSON), not text anyone wrote")
    if sum(bool(URL.match(c)) for c in cells) >= 0.8 * len(cells):
        return make_profile(column, "identifier", "links")
    if sum(bool(PATH.match(c)) for c in cells) >= 0.8 * len(cells):
        # "/about-me", "/index": the pages of a site report, one a row or shared by rows.
        if column.unique_ratio >= 0.95:
            return make_profile(column, "identifier", "paths of pages")
        return make_profile(column, "segment", f"{column.distinct} page paths shared by rows")
    if sum(bool(HOST.match(c)) for c in cells) >= 0.8 * len(cells):
        # "www.irs.gov" repeated over a site report's rows groups them; "sam.gov/path" names a page.
        if any("/" in c for c in cells[:SAMPLE_ROWS]) or column.unique_ratio >= 0.95:
            return make_profile(column, "identifier", "links (pages, without the scheme)")
        return make_profile(column, "segment", f"{column.distinct} web sites: a grouping attribute")
    if lexicon.cue("version", header) and _numbered_share(cells) >= VERSION_DIGIT_SHARE:
        # "0.23, develop": a respondent may tick several versions; a version is never a date. Answers
        # without numbers ("Releases are too frequent", "Weekly") are about releases, not versions.
        return multi_select(column, lexicon) or make_profile(
            column, "segment", "a version string: a segment, never a date"
        )
    if lexicon.cue("person_name", header):
        return make_profile(column, "identifier", "people's names: personal data that tells rows apart")
    if (
        lexicon.cue("address", header)
        and not lexicon.cue("question", header)
        and not lexicon.cue("segment", header)  # "Shipping Address State", "Address Type": attributes
        and not lexicon.cue("category", header)
    ):
        return make_profile(column, "other", "a postal address: personal data, not feedback")
    words = sum(len(c.split()) for c in cells) / len(cells)
    option = option_part(column.name)
    if option and lexicon.cue("write_in", normalise_header(option)) and column.distinct >= MIN_WRITE_INS:
        # "Which of these…? Select all that apply. - Other (please specify)": the typed-in answers.
        return make_profile(column, "customer_text", "typed-in answers to a question's 'other' option")
    if lexicon.cue("user_id", header) and column.unique_ratio < 0.9 and words <= 3:
        return make_profile(column, "user_id", "an id that repeats: the person or case of each row")
    letters = sum(sum(ch.isalpha() for ch in c) for c in cells) / max(1, sum(len(c) for c in cells))
    if lexicon.cue("write_in", header) and letters >= 0.5 and typed_in(column):
        # "brew_other", "favorite_specify": what people typed in, however short, is their own words.
        return make_profile(column, "customer_text", "typed-in answers (the header asks for their words)")
    multi = multi_select(column, lexicon)
    if multi is not None:
        return multi
    numbered = None if lexicon.cue("identifier", header) else _numbered_label(cells)
    if numbered is not None:
        # "Variant 63", "Group 12": one word numbering groups (or, different on every row, records).
        if column.unique_ratio >= 0.95 and len(cells) > NAME_MIN_CELLS:
            return make_profile(column, "identifier", f"{numbered!r} and a number, different on every row")
        return make_profile(column, "segment", f"{numbered!r} and a number: numbered groups")
    if (
        _groups_respondents(header, lexicon)
        and words <= SEGMENT_MAX_WORDS
        and column.unique_ratio <= SEGMENT_MAX_UNIQUE
    ):
        return make_profile(
            column, "segment", f"{column.distinct} short values shared by many rows: a grouping attribute"
        )
    if (
        words <= (NAME_MAX_WORDS if column.unique_ratio >= NAME_MIN_UNIQUE else PLACE_MAX_WORDS)
        and len(cells) > NAME_MIN_CELLS
        and letters >= 0.5  # "POINT (-73.96 40.77)" is coordinates, not a name
        and column.unique_ratio >= PLACE_MIN_UNIQUE
        and not lexicon.cue("customer_text", header)
        and not lexicon.cue("demographic", header)  # "Job title": what people typed about themselves
        and _names_of_things(cells)
    ):
        # "Avengers: Age of Ultron (2015)", "Cup Noodles Chicken Vegetable": things named, not sentences.
        if column.unique_ratio >= 0.95:
            return make_profile(column, "identifier", "a different name (title case) on every row")
        return make_profile(column, "segment", "names of things (title case), not sentences")
    if (
        words > NAME_MAX_WORDS
        and len(cells) > NAME_MIN_CELLS
        and letters >= 0.5
        and not lexicon.cue("customer_text", header)
        and sum(_title_like(c) for c in cells) >= LONG_NAME_SHARE * len(cells)
    ):
        # "Arm & Hammer Fresh Mint Dental Chews with Baking Soda": a listing's title, however long;
        # people's own sentences are in title case a third of the time at most (real open answers).
        if column.unique_ratio >= 0.95:
            return make_profile(column, "identifier", "a different long name (title case) on every row")
        return make_profile(column, "segment", "long names of things (title case), not sentences")
    if words >= MIN_TEXT_WORDS and letters >= 0.5 and column.unique_ratio >= MIN_TEXT_UNIQUE:
        opening = _template_opening(cells)
        if opening is not None:
            # "Case Closed. Closed date : …" on nearly every row: a system or staff template wrote it.
            return make_profile(
                column, "company_text", f"nearly every cell opens with {opening!r}: a template"
            )
        if lexicon.cue("company_text", header) and not lexicon.cue(
            "customer_text", _without_containers(header, lexicon)
        ):
            if lexicon.cue("self_described", header) and _first_person_share(cells, lexicon) >= SELF_SHARE:
                # A ticket's "Description" is the reporter's own account ("I clicked…"); a
                # catalogue's describes a product and nobody in it says "I".
                reason = "descriptions in the writer's own words ('I', 'my')"
                return make_profile(column, "customer_text", reason)
            return make_profile(column, "company_text", "free text the company wrote")
        return make_profile(column, "customer_text", f"free text ({words:.0f} words a cell on average)")
    if (
        lexicon.cue("identifier", header)
        and (column.unique_ratio >= 0.5 or words <= 2)
        # "Would you recommend a CodeRefinery workshop?" names a code word; two answers tell no row apart.
        and not (
            lexicon.cue("question", header) and column.distinct <= MAX_CHOICES and column.unique_ratio < 0.5
        )
    ):
        return make_profile(column, "identifier", "an id or code")
    if column.unique_ratio >= 0.95 and len(cells) > 20 and all(CODE.match(c) for c in cells[:200]):
        return make_profile(column, "identifier", "a different code on every row")
    if (column.distinct <= MAX_CHOICES or column.distinct <= 0.05 * len(cells)) and not _passages(column):
        # Who the respondent is (age, income, where they live) groups them, even asked as a question.
        if _groups_respondents(header, lexicon):
            return make_profile(column, "segment", "a grouping attribute")
        return make_profile(column, "closed_single", f"one of {column.distinct} answers")
    if (
        column.unique_ratio <= LABEL_MAX_UNIQUE
        and words <= NAME_MAX_WORDS
        and letters >= 0.5
        and len(cells) > NAME_MIN_CELLS
    ):
        if lexicon.cue("question", header) and not _groups_respondents(header, lexicon):
            # A question answered mostly from its list, with write-ins beside: still a closed question.
            return make_profile(column, "closed_single", f"one of {column.distinct} answers, mostly repeated")
        # Airports, agencies, places: too many for a choice list, each written on many rows alike.
        return make_profile(
            column, "segment", f"{column.distinct} short labels, each on many rows: a grouping attribute"
        )
    attribute = lexicon.cue("segment", header) and words <= SEGMENT_MAX_WORDS and letters >= 0.5
    if (
        lexicon.cue("category", header)
        and words <= SEGMENT_MAX_WORDS
        and column.unique_ratio <= TYPED_SEGMENT_UNIQUE
    ):
        # "role_description_cat": the header says categories, so a word for text in it loses.
        return make_profile(column, "segment", f"{column.distinct} typed-in values of a grouping attribute")
    if attribute and column.unique_ratio <= TYPED_SEGMENT_UNIQUE:
        # "What industry do you work in?": typed in, but most answers are shared ("Geoscience").
        return make_profile(column, "segment", f"{column.distinct} typed-in values of a grouping attribute")
    if words >= 2 and letters >= 0.5:
        if lexicon.cue("company_text", header):
            return make_profile(column, "company_text", "short text the company wrote")
        return make_profile(column, "customer_text", "short free text")
    if attribute:
        return make_profile(column, "segment", f"{column.distinct} typed-in values of a grouping attribute")
    if (
        words <= 1
        and sum(len(c) for c in cells) <= SHORT_CODE_CHARS * len(cells)
        and column.unique_ratio <= TYPED_SEGMENT_UNIQUE
        and column.distinct >= 2
    ):
        # "C", "B", "AB": codes too many for a choice list, each shared by several rows.
        return make_profile(column, "segment", f"{column.distinct} short codes shared by rows: a group")
    return make_profile(column, "other", "short values with no pattern")


def _numbered_share(cells: Sequence[str]) -> float:
    """The share of cells with a digit in them ("24.09.30", "v2", "0.23, develop")."""
    sample = cells[:SAMPLE_ROWS]
    return sum(any(ch.isdigit() for ch in c) for c in sample) / max(1, len(sample))


def _without_containers(header: str, lexicon: ColumnLexicon) -> str:
    """A header without words any text column may carry ("content", "text"): "reply content" -> "reply"."""
    pattern = lexicon.cues.get("text_container")
    return pattern.sub(" ", header).strip() if pattern else header


def _first_person_share(cells: Sequence[str], lexicon: ColumnLexicon) -> float:
    sample = cells[:SAMPLE_ROWS]
    return sum(lexicon.speaks_as_self(c) for c in sample) / max(1, len(sample))


def _passages(column: ColumnValues) -> bool:
    """A few long texts pasted on many rows (notes, descriptions): text, not a list of answers."""
    values = set(column.cells)
    if len(values) < PASSAGE_MIN_VALUES:
        return False
    return sum(len(v.split()) for v in values) / len(values) >= CHOICE_MAX_WORDS


def _groups_respondents(header: str, lexicon: ColumnLexicon) -> bool:
    """A grouping attribute's header: who the respondent is, or a segment word that is not a question.

    "Which category best describes the work you do?" asks about the subject; "Country" and "How
    old are you?" say who answered.
    """
    if lexicon.cue("demographic", re.sub(r"\([^)]*\)", " ", header)):  # not "(e.g. education materials)"
        return True
    return lexicon.cue("segment", header) and not lexicon.cue("question", header)


def _names_of_things(cells: list[str]) -> bool:
    """Nearly all names in title case; one-word names ("Penguin", "Interstellar") only capitalised.

    Enough names of two words or more must be seen to tell: one capitalised word ("Good") is also
    how people answer.
    """
    longer = [c for c in cells if len(c.split()) >= 2]
    single = [c for c in cells if len(c.split()) == 1]
    if len(longer) < NAME_MIN_LONGER * len(cells):
        return False
    capitalised = sum(c[0].isupper() or c[0].isdigit() or not c[0].isalpha() for c in single)
    titled = sum(_title_like(c) for c in longer)
    return capitalised + titled >= NAME_SHARE * len(cells)


def _title_like(cell: str) -> bool:
    """A name in title case: most words capitalised, and not a sentence ending in a full stop."""
    words = cell.split()
    # A full stop ends a sentence, not an initial or an abbreviation ("Feynman, Richard P.", "Co.").
    sentence = cell.endswith("!") or (cell.endswith(".") and len(words[-1].rstrip(".")) > ABBREVIATION_CHARS)
    if len(words) < 2 or not (cell[0].isupper() or cell[0].isdigit()) or sentence:
        return False
    capital = sum(w[0].isupper() or not w[0].isalpha() for w in words)
    return capital >= NAME_CAPITALS * len(words)
