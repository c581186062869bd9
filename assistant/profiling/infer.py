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
from dataclasses import dataclass

from assistant.funnels.steps import StepTable
from assistant.ingest.dates import parse_event_time
from assistant.profiling.lexicon import ColumnLexicon, normalise_header
from assistant.profiling.models import ColumnProfile, ColumnRole

SAMPLE_ROWS = 5000
NUMBER = re.compile(r"^[-+]?[$€£¥]?\s?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?\s?%?$")
DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
DECIMAL_COMMA_SHARE = 0.3  # at least this share of a column's cells have a fraction after the comma
NUMBERED_LABEL = re.compile(r"^\(?(\d{1,2})[)\].:]?\s*[-–:]?\s+[^\W\d_]")  # "(2) Minor", "3 - Often"
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
CODE = re.compile(r"^[\w\-.:/#]+$")
NUMBERED = re.compile(r"[\s_\-#]*\d+$")  # "customer_12", "user 3"
SPEAKER_MAX_LABELS = 12  # a speaker column of role words has a handful of them...
SPEAKER_MAX_NAMED = 60  # ...or numbered customers beside at most this many company names...
SPEAKER_MIN_SHARE = 0.2  # ...with the numbered customers on at least this share of rows
HASHED = re.compile(r"^[0-9a-f]{16,}$")  # md5 / sha hex digests
DURATION = re.compile(r"^-?\d{1,3}:\d{2}(:\d{2})?(\.\d+)?$")  # 1:05, 00:01:47.0
MIN_TEXT_WORDS = 3.0  # a column of free text averages at least this many words a cell...
MIN_TEXT_UNIQUE = 0.5  # ...and most of its cells are different
MIN_OPTION_CHARS = 1  # an option label the header ends with is at least this long ("R.")
OPTION_SEPARATORS = (":", " - ")  # how exports join a question and one of its options in a header
NAME_MAX_WORDS = 6  # names of things (titles, products) are short...
NAME_MIN_UNIQUE = 0.8  # ...mostly different...
PLACE_MIN_UNIQUE = 0.3  # (names that repeat, as streets and places do, are at most this short:)
PLACE_MAX_WORDS = 3
NAME_MIN_CELLS = 20  # ...(seen on enough rows to tell)...
NAME_SHARE = 0.9  # ...and nearly all in title case...
NAME_CAPITALS = 0.6  # ...most of their words capitalised ("Far From the Madding Crowd")
MIN_WRITE_INS = 3  # an 'other' option column with this many different answers holds what people typed
WRITE_IN_UNIQUE = 0.5
WRITE_IN_REST_UNIQUE = 0.8  # ...or when, besides one common answer, nearly every answer is different
ANCHORED_MIN_SHARE = 0.5  # a numbered scale with its end labels in words is mostly numbers
MAX_DEGREE_POINTS = 7  # an ordered scale of degree words has at most this many points
MAX_OUTSIDE_SCALE = 1  # a degree scale may sit beside one answer that is not on it ("I don't do this")
STEM_MIN_LENGTH = 6  # words this long are compared without their last two letters
MAX_FREQUENCY_POINTS = 10  # a how-often scale has at most this many answers...
FREQUENCY_SHARE = 0.8  # ...nearly all of them saying how often (an opt-out answer may be among them)
FREQUENCY_MAX_WORDS = 6  # ...in a few words ("Never, and not open to it")
MAX_CHOICES = 60  # a choice list longer than this is not a closed question
MAX_PIECE_WORDS = 12  # a multi-select option is a label, not a sentence
CODED_MAX_DISTINCT = 20  # small integer codes (region 1-9) are categories, not quantities...
CODED_REPEAT = 0.2  # ...when each code is shared by several rows
SEGMENT_MAX_WORDS = 3  # typed-in attributes (countries, cities) are short...
SEGMENT_MAX_UNIQUE = 0.2  # ...and shared by many rows
TYPED_SEGMENT_UNIQUE = 0.5  # typed-in attribute values (job titles) still repeat across rows
MIN_OPTIONS_A_CELL = 1.2  # a multi-select column averages more than one answer a cell...
STANDALONE_SHARE = 0.8  # options that are mostly also answered alone form a vocabulary
MIN_TOP_COVERAGE = 0.6  # ...and a dozen options make most of its answers (free text does not)
EPOCH_SECONDS = (9e8, 2.2e9)  # 1998..2039, seconds or milliseconds since 1970
EPOCH_MS = (9e11, 2.2e12)
YEARS = (1900, 2100)
MIN_GLUE = 3  # pieces seen side by side at least this often...
GLUE_SHARE = 0.95  # ...and almost never apart are one option label
ID_MAX_SPREAD = 100  # numeric ids span less than this factor (counts and populations span more)


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
        text = value.strip()
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


def _decimal_comma(cells: Sequence[str]) -> bool:
    """Numbers written "12,96": a comma before other than three digits, and no decimal point anywhere."""
    if any("." in c for c in cells[:500]):
        return False
    commas = [c for c in cells if DECIMAL_COMMA.match(c)]
    return len(commas) >= DECIMAL_COMMA_SHARE * len(cells) and any(
        not THOUSANDS.match(c.lstrip("-+")) for c in commas
    )


def _profile(column: ColumnValues, role: ColumnRole, reason: str, **extra: object) -> ColumnProfile:
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


def infer_column(column: ColumnValues, lexicon: ColumnLexicon, funnel: StepTable) -> ColumnProfile:
    """The role of one column on its own (the table pass may still revise it)."""
    cells, header = column.cells, column.header
    if not cells:
        return _profile(column, "other", "every cell is blank")
    if lexicon.system_column(column.name) and not lexicon.cue("identifier", header):
        return _profile(column, "other", "a loader's bookkeeping column")
    if sum(bool(HASHED.match(c)) for c in cells) >= 0.9 * len(cells):
        # Digests stand in for personal data a loader removed: neither attributes nor text.
        if lexicon.cue("identifier", header) or lexicon.cue("user_id", header):
            return _profile(column, "identifier", "hashed ids")
        return _profile(column, "other", "hashed values (personal data removed)")
    if column.distinct == 1 and column.blank and _chosen(column, lexicon):
        return _profile(column, "flag", f"{cells[0][:30]!r} or blank: chosen or not", true_value=cells[0])
    refusals = {no: yes for yes, no in lexicon.flag_pairs}
    refusal = refusals.get(cells[0].lower()) if column.distinct == 1 else None
    if column.blank and refusal is not None and cells[0].isalpha():
        # "No" on the answered rows, blank on the rest: a yes/no field no one said yes to (yet).
        return _profile(column, "flag", f"{cells[0]!r} or blank: a yes/no field", true_value=refusal)
    if column.distinct == 1 and column.blank and not lexicon.cue("timestamp", header):
        # One value on some rows, blank on the others: it tells the rows apart, unlike a constant.
        if lexicon.cue("identifier", header):
            return _profile(column, "identifier", "an id, on some rows only")
        if to_number(cells[0]) is not None:
            return _profile(
                column, "measure", f"one number ({cells[0][:20]!r}) on some rows, blank on others"
            )
        return _profile(column, "segment", f"{cells[0][:30]!r} on some rows, blank on others")
    if column.distinct == 1 and lexicon.cue("timestamp", header) and parse_event_time(cells[0]) is not None:
        # A trimmed export, or one day's: the one date is still every record's time.
        return _profile(column, "timestamp", f"one date only ({cells[0][:30]!r}): the records' time")
    if (
        column.distinct == 1
        and len(cells) > 1
        and not lexicon.cue("customer_text", header)
        and not lexicon.cue("identifier", header)
    ):
        return _profile(column, "other", f"one value only ({cells[0][:30]!r})")
    lowered = [c.lower() for c in cells]
    if column.distinct >= 2 and set(lowered) <= lexicon.dataset_splits:
        return _profile(column, "other", "splits a data set (train / test): not about the customer")
    speaker = _speaker(column, lowered, lexicon)
    if speaker is not None:
        return speaker
    flag = _flag(column, lowered, lexicon)
    if flag is not None:
        return flag
    comma = _decimal_comma(cells)
    numbers = [to_number(c, comma) for c in cells]
    numeric = [n for n in numbers if n is not None]
    if len(numeric) >= 0.95 * len(cells):
        profile = _numeric(column, numeric, lexicon, funnel)
        profile.decimal_comma = comma
        if comma:
            profile.reason += " (written with a decimal comma)"
        return profile
    if len(numeric) >= ANCHORED_MIN_SHARE * len(cells):
        anchored = _anchored_scale(column, numeric, lexicon)
        if anchored is not None:
            return anchored
    if sum(bool(DURATION.match(c)) for c in cells) >= 0.9 * len(cells):
        if lexicon.cue("timestamp", header) and not lexicon.cue("measure", header):
            # "Time" 13:08 beside a "Date" column: the clock time of the row's day, not a quantity.
            return _profile(column, "other", "times of day (the date is in another column)")
        return _profile(column, "measure", "durations (h:mm:ss)")
    time = _timestamp(column, lexicon)
    if time is not None:
        return time
    likert = (
        _likert(column, lowered, lexicon)
        or _numbered_labels(column)
        or _degree_scale(column, lowered, lexicon)
        or _frequency_scale(column, lowered, lexicon)
    )
    if likert is not None:
        return likert
    return _textual(column, lexicon)


def _chosen(column: ColumnValues, lexicon: ColumnLexicon) -> bool:
    """One value or blank, where the value is a yes word or the option the header names ("Q: 1.16")."""
    value = column.cells[0].strip().lower()
    option = option_part(column.name)
    if value in {yes for yes, _no in lexicon.flag_pairs} or value == (option or "").lower():
        return True
    # "3. Python." holding "Python.": the header is the question's number and the option itself.
    label, header = _bare(value), _bare(column.name.lower())
    return len(label) >= MIN_OPTION_CHARS and header.endswith(label)


def _bare(text: str) -> str:
    """Text without its closing full stop and with plain spaces (exports mix in no-break spaces)."""
    return " ".join(text.replace("\xa0", " ").split()).rstrip(". ")


def option_part(name: str) -> str | None:
    """The option a select-all column stands for: "Q: Option" or "Q - Option" (SurveyMonkey)."""
    for separator in OPTION_SEPARATORS:
        if separator in name:
            return name.rsplit(separator, 1)[-1].strip() or None
    return None


def _speaker(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    if not lexicon.cue("speaker", column.header):
        return None
    values = set(lowered)
    if column.distinct <= SPEAKER_MAX_LABELS:
        company = sorted(v for v in values if v in lexicon.company_speakers)
        customer = [v for v in values if v in lexicon.customer_speakers]
        if company and customer:
            originals = sorted({c for c in column.cells if c.lower() in company})
            return _profile(column, "speaker", "says who wrote each row", company_values=originals)
    # Numbered customers ("customer_1", "customer_2") and named others (the brand's handles).
    numbered = {v for v in values if NUMBERED.sub("", v) in lexicon.customer_speakers and NUMBERED.search(v)}
    named = values - numbered
    rows = sum(v in numbered for v in lowered)
    if numbered and named and len(named) <= SPEAKER_MAX_NAMED and rows >= SPEAKER_MIN_SHARE * len(lowered):
        originals = sorted({c for c in column.cells if c.lower() in named})
        return _profile(
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
            return _profile(column, "flag", f"two values: {yes} / {no}", true_value=true_value)
    unchosen = values & lexicon.unchosen
    if len(unchosen) == 1:
        # "Father or father figure(s)" / "Not selected": one ticked option of a select-all question.
        chosen = next(c for c in column.cells if c.lower() not in unchosen)
        return _profile(column, "flag", f"{chosen[:30]!r} or {next(iter(unchosen))!r}", true_value=chosen)
    return None


def _numeric(
    column: ColumnValues, numbers: list[float], lexicon: ColumnLexicon, funnel: StepTable
) -> ColumnProfile:
    header = column.header
    integers = all(n.is_integer() for n in numbers)
    low, high = min(numbers), max(numbers)
    percent = sum(c.endswith("%") for c in column.cells) >= 0.5 * len(column.cells)
    if lexicon.cue("version", header):
        return _profile(column, "segment", "a version number: a segment, never a date")
    if lexicon.cue("numeric_code", header):
        return _profile(column, "segment", "numbers that code a place or class: a segment, not a quantity")
    if lexicon.cue("timestamp", header) and integers and _epoch(low, high):
        return _profile(column, "timestamp", "epoch seconds or milliseconds")
    if (
        lexicon.cue("timestamp", header)
        and not lexicon.cue("question", header)
        and integers
        and YEARS[0] <= low <= high <= YEARS[1]
    ):
        return _profile(column, "timestamp", "calendar years")
    step = funnel.step_of(_without_rate_words(header, lexicon))
    is_rate = lexicon.cue("rate", header) or percent
    if step is not None and low >= 0:
        if is_rate or (not integers and high <= 1.0):
            unit = "percent" if percent or high > 1.0 else "fraction"
            return _profile(column, "funnel_rate", f"a rate of funnel step {step}", step=step, rate_unit=unit)
        return _profile(column, "funnel_count", f"counts of funnel step {step}", step=step)
    if lexicon.cue("nps", header) and integers and low >= 0 and high <= 10:
        return _profile(column, "nps", "0-10 likelihood to recommend", scale=(0.0, 10.0))
    if integers and low >= 0 and high <= 10 and column.distinct <= 11:
        if lexicon.cue("likert", header):
            return _profile(column, "likert", "an agreement scale", scale=(min(low, 1.0), high))
        if lexicon.cue("rating", header) or lexicon.cue("question", header):
            top = scale_top(high)
            return _profile(
                column, "rating", f"a {int(min(low, 1))}-{int(top)} scale", scale=(min(low, 1.0), top)
            )
    halves = all((2 * n).is_integer() or (4 * n).is_integer() for n in numbers)
    if lexicon.cue("rating", header) and not integers and halves and low >= 0 and high <= 10:
        top = 5.0 if high <= 5 else 10.0
        return _profile(
            column,
            "rating",
            f"a {min(low, 1.0):g}-{top:g} score in halves or quarters",
            scale=(min(low, 1.0), top),
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
        return _profile(column, "user_id", "an id that repeats: the person or case of each row")
    if lexicon.cue("identifier", header) and integers:
        return _profile(column, "identifier", "an id or code")
    if (
        integers
        and len(numbers) > 20
        and column.unique_ratio == 1.0
        and high - low == len(numbers) - 1
        and low in (0, 1)
    ):
        return _profile(column, "identifier", "row numbers (0 or 1 up to the row count)")
    if (
        integers
        and column.unique_ratio >= 0.999
        and len(column.cells) > 20
        and high >= 1000
        and not lexicon.cue("measure", header)
        and not _orders_of_magnitude(low, high)
    ):
        return _profile(column, "identifier", "a different whole number on every row")
    if is_rate:
        return _profile(column, "measure", "a rate or share")
    if (
        lexicon.cue("segment", header)
        and not lexicon.cue("measure", header.replace("age", ""))
        and integers
        and column.distinct <= CODED_MAX_DISTINCT
    ):
        return _profile(column, "segment", "a grouping attribute")
    coded = column.distinct <= CODED_MAX_DISTINCT and column.distinct <= CODED_REPEAT * len(column.cells)
    if integers and low >= 1 and coded and not lexicon.cue("measure", header):
        return _profile(column, "segment", "small whole-number codes: a category")
    return _profile(column, "measure", "a numeric measure")


def _orders_of_magnitude(low: float, high: float) -> bool:
    """Values spread over two orders of magnitude or more are quantities: ids keep their width."""
    return low > 0 and high / low >= ID_MAX_SPREAD


def scale_top(high: float) -> float:
    """The top point of the usual scale (1-5, 1-7, 0/1-10) that reaches a column's highest value."""
    return 5.0 if high <= 5 else (7.0 if high <= 7 else 10.0)


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
        return _profile(column, "timestamp", "values are dates or times")
    return None


def _likert(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    values = set(lowered)
    for scale in lexicon.likert_scales:
        inside = sum(v in scale for v in lowered)
        if inside >= 0.9 * len(lowered) and len(values & set(scale)) >= 2:
            labels = [next(c for c in column.cells if c.lower() == w) for w in scale if w in values]
            return _profile(column, "likert", "answers on an agreement scale", scale_labels=labels)
    return None


def _anchored_scale(
    column: ColumnValues, numbers: list[float], lexicon: ColumnLexicon
) -> ColumnProfile | None:
    """Points 2-9 written as numbers and the ends as words ("Strongly agree" for 10): one scale."""
    if not numbers or not all(n.is_integer() and 0 <= n <= 10 for n in numbers):
        return None
    words = {c for c in column.cells if to_number(c) is None}
    if not 1 <= len(words) <= 2:
        return None
    low, high = min(numbers), max(numbers)
    top = scale_top(high)
    bottom = 0.0 if low == 0 else 1.0
    anchors: dict[str, float] = {}
    for word in words:
        if word.lower() in lexicon.anchors_high:
            anchors[word] = top
        elif word.lower() in lexicon.anchors_low:
            anchors[word] = bottom
        else:
            return None
    role: ColumnRole = "nps" if lexicon.cue("nps", column.header) and top == 10 else "rating"
    labels = ", ".join(f"{w!r} = {v:g}" for w, v in sorted(anchors.items(), key=lambda a: a[1]))
    return _profile(
        column,
        role,
        f"a {bottom:g}-{top:g} scale with its ends in words ({labels})",
        scale=(bottom, top),
        anchors=anchors,
    )


def _degree_scale(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Answers that grade one word by degree words ("Somewhat effective", "Yes, very rude"), in order.

    A leading yes/no ("No, not rude at all") and the degree's place ("not at all rude") do not
    matter; a "Neither … nor …" answer is the middle; "likely"/"unlikely" grade one scale.
    """
    values = set(lowered)
    if not lexicon.degree_words or not 3 <= len(values) <= MAX_DEGREE_POINTS:
        return None
    degree_tokens = {t for phrase in lexicon.degree_words for t in phrase.split()}
    answer_words = {w for pair in lexicon.flag_pairs for w in pair if w.isalpha()}
    graded: dict[str, tuple[str, int]] = {}  # value -> (graded word, degree rank)
    ranks: dict[str, int] = {}
    outside: list[str] = []
    for value in values:
        words = re.sub(r"\([^)]*\)", " ", value).replace(",", " ").split()
        if words and words[0] in answer_words and len(words) > 1:
            words = words[1:]  # "yes, somewhat rude"
        if words and words[0] in lexicon.scale_middles:
            ranks[value] = 0  # "Neither important nor unimportant (neutral)"
            continue
        content = [_stem(w) for w in words if w not in degree_tokens]
        degree = " ".join(w for w in words if w in degree_tokens)
        if len(content) != 1 or degree not in lexicon.degree_words:
            outside.append(value)  # "I don't do this": an opt-out beside the scale
            continue
        graded[value] = (content[0], lexicon.degree_words.index(degree) + 1)
    if len(outside) > MAX_OUTSIDE_SCALE or len(graded) < 3:
        return None
    word = _polar_word({w for w, _ in graded.values()}, lexicon)
    if word is None:
        return None
    for value, (graded_word, rank) in graded.items():
        # "Very unlikely" < "Somewhat unlikely" < "Somewhat likely" < "Very likely".
        ranks[value] = rank if graded_word == word else -rank
    labels = [next(c for c in column.cells if c.lower() == v) for v in sorted(ranks, key=lambda v: ranks[v])]
    return _profile(column, "likert", f"degrees of {word!r}, an ordered scale", scale_labels=labels)


def _numbered_labels(column: ColumnValues) -> ColumnProfile | None:
    """Answers that carry their point: "(0) Not a problem" … "(4) Critical" (an opt-out aside)."""
    values = set(column.cells)
    points = {v: int(m.group(1)) for v in values if (m := NUMBERED_LABEL.match(v))}
    if len(set(points.values())) < 3 or len(values) - len(points) > MAX_OUTSIDE_SCALE:
        return None
    labels = sorted(points, key=lambda v: points[v])
    return _profile(column, "likert", "answers numbered in scale order", scale_labels=labels)


def _stem(word: str) -> str:
    """One form for a graded word and its adverb ("comfortable" / "comfortably")."""
    return word[:-2] if len(word) >= STEM_MIN_LENGTH else word


def _frequency_scale(
    column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon
) -> ColumnProfile | None:
    """Answers saying how often ("Every day", "A few times per week", "Never"): an ordered scale.

    Their order is not worked out here, so no mean is computed from them.
    """
    values = set(lowered)
    if not lexicon.frequency_words or not 3 <= len(values) <= MAX_FREQUENCY_POINTS:
        return None
    said = [v for v in values if set(re.findall(r"[a-z']+", v)) & lexicon.frequency_words]
    # Short answers only: statements ("Yes, I use it often") are a choice among sentences.
    if len(said) < FREQUENCY_SHARE * len(values) or any(
        len(v.split()) > FREQUENCY_MAX_WORDS or lexicon.speaks_as_self(v) for v in said
    ):
        return None
    return _profile(column, "likert", "answers say how often: an ordered frequency scale")


def _polar_word(shared: set[str], lexicon: ColumnLexicon) -> str | None:
    """The one word a degree scale grades ("effective"), or the positive of a pair ("likely"/"unlikely")."""
    if len(shared) == 1:
        return next(iter(shared))
    if len(shared) == 2:
        first, second = sorted(shared, key=len)
        if any(second == prefix + first for prefix in lexicon.negating_prefixes):
            return first
    return None


def _textual(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile:
    cells, header = column.cells, column.header
    if sum(c.startswith(("{", "[")) and c.endswith(("}", "]")) for c in cells) >= 0.9 * len(cells):
        return _profile(column, "other", "structured data (JSON), not text anyone wrote")
    if sum(bool(URL.match(c)) for c in cells) >= 0.8 * len(cells):
        return _profile(column, "identifier", "links")
    if lexicon.cue("version", header):
        return _profile(column, "segment", "a version string: a segment, never a date")
    if lexicon.cue("person_name", header):
        return _profile(column, "identifier", "people's names: personal data that tells rows apart")
    if (
        lexicon.cue("address", header)
        and not lexicon.cue("question", header)
        and not lexicon.cue("segment", header)  # "Shipping Address State", "Address Type": attributes
        and not lexicon.cue("category", header)
    ):
        return _profile(column, "other", "a postal address: personal data, not feedback")
    words = sum(len(c.split()) for c in cells) / len(cells)
    option = option_part(column.name)
    if option and lexicon.cue("write_in", normalise_header(option)) and column.distinct >= MIN_WRITE_INS:
        # "Which of these…? Select all that apply. - Other (please specify)": the typed-in answers.
        return _profile(column, "customer_text", "typed-in answers to a question's 'other' option")
    if lexicon.cue("user_id", header) and column.unique_ratio < 0.9 and words <= 3:
        return _profile(column, "user_id", "an id that repeats: the person or case of each row")
    letters = sum(sum(ch.isalpha() for ch in c) for c in cells) / max(1, sum(len(c) for c in cells))
    if lexicon.cue("write_in", header) and letters >= 0.5 and _typed_in(column):
        # "brew_other", "favorite_specify": what people typed in, however short, is their own words.
        return _profile(column, "customer_text", "typed-in answers (the header asks for their words)")
    multi = _multi_select(column, lexicon)
    if multi is not None:
        return multi
    if (
        _groups_respondents(header, lexicon)
        and words <= SEGMENT_MAX_WORDS
        and column.unique_ratio <= SEGMENT_MAX_UNIQUE
    ):
        return _profile(
            column, "segment", f"{column.distinct} short values shared by many rows: a grouping attribute"
        )
    if (
        words <= (NAME_MAX_WORDS if column.unique_ratio >= NAME_MIN_UNIQUE else PLACE_MAX_WORDS)
        and len(cells) > NAME_MIN_CELLS
        and letters >= 0.5  # "POINT (-73.96 40.77)" is coordinates, not a name
        and column.unique_ratio >= PLACE_MIN_UNIQUE
        and not lexicon.cue("customer_text", header)
        and sum(_title_like(c) for c in cells) >= NAME_SHARE * len(cells)
    ):
        # "Avengers: Age of Ultron (2015)", "Cup Noodles Chicken Vegetable": things named, not sentences.
        if column.unique_ratio >= 0.95:
            return _profile(column, "identifier", "a different name (title case) on every row")
        return _profile(column, "segment", "names of things (title case), not sentences")
    if words >= MIN_TEXT_WORDS and letters >= 0.5 and column.unique_ratio >= MIN_TEXT_UNIQUE:
        if lexicon.cue("company_text", header) and not lexicon.cue("customer_text", header):
            return _profile(column, "company_text", "free text the company wrote")
        return _profile(column, "customer_text", f"free text ({words:.0f} words a cell on average)")
    if lexicon.cue("identifier", header) and (column.unique_ratio >= 0.5 or words <= 2):
        return _profile(column, "identifier", "an id or code")
    if column.unique_ratio >= 0.95 and len(cells) > 20 and all(CODE.match(c) for c in cells[:200]):
        return _profile(column, "identifier", "a different code on every row")
    if column.distinct <= MAX_CHOICES or column.distinct <= 0.05 * len(cells):
        # Who the respondent is (age, income, where they live) groups them, even asked as a question.
        if _groups_respondents(header, lexicon):
            return _profile(column, "segment", "a grouping attribute")
        return _profile(column, "closed_single", f"one of {column.distinct} answers")
    attribute = lexicon.cue("segment", header) and words <= SEGMENT_MAX_WORDS and letters >= 0.5
    if (
        lexicon.cue("category", header)
        and words <= SEGMENT_MAX_WORDS
        and column.unique_ratio <= TYPED_SEGMENT_UNIQUE
    ):
        # "role_description_cat": the header says categories, so a word for text in it loses.
        return _profile(column, "segment", f"{column.distinct} typed-in values of a grouping attribute")
    if words >= 2 and letters >= 0.5:
        if lexicon.cue("company_text", header):
            return _profile(column, "company_text", "short text the company wrote")
        return _profile(column, "customer_text", "short free text")
    if attribute:
        return _profile(column, "segment", f"{column.distinct} typed-in values of a grouping attribute")
    return _profile(column, "other", "short values with no pattern")


def _groups_respondents(header: str, lexicon: ColumnLexicon) -> bool:
    """A grouping attribute's header: who the respondent is, or a segment word that is not a question.

    "Which category best describes the work you do?" asks about the subject; "Country" and "How
    old are you?" say who answered.
    """
    if lexicon.cue("demographic", re.sub(r"\([^)]*\)", " ", header)):  # not "(e.g. education materials)"
        return True
    return lexicon.cue("segment", header) and not lexicon.cue("question", header)


def _typed_in(column: ColumnValues) -> bool:
    """Mostly different answers, leaving aside the one most people gave ("No" before what others typed)."""
    if column.distinct < 2:
        return False
    if column.unique_ratio >= WRITE_IN_UNIQUE:
        return True
    _top, count = Counter(column.cells).most_common(1)[0]
    rest = len(column.cells) - count
    return rest >= MIN_WRITE_INS and (column.distinct - 1) / rest >= WRITE_IN_REST_UNIQUE


def _title_like(cell: str) -> bool:
    """A name in title case: most words capitalised, and not a sentence ending in a full stop."""
    words = cell.split()
    if len(words) < 2 or not (cell[0].isupper() or cell[0].isdigit()) or cell.endswith((".", "!")):
        return False
    capital = sum(w[0].isupper() or not w[0].isalpha() for w in words)
    return capital >= NAME_CAPITALS * len(words)


def _multi_select(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile | None:
    cells = column.cells
    cued = lexicon.cue("multi_select", column.header)
    separators = lexicon.separators
    if cued:  # the header says several answers: take the separator most cells use
        separators = tuple(sorted(separators, key=lambda sep: -sum(sep in c for c in cells)))
    alone = set(cells)
    for separator in separators:
        joined = [c for c in cells if separator in c]
        if len(joined) < (1 if cued else 3):
            continue
        options = split_options(cells, separator)
        pieces: Counter[str] = Counter()
        for cell_options in options:
            pieces.update(set(cell_options))
        if not pieces:
            continue
        # Options that are also chosen alone make a small vocabulary combined in some cells
        # ("EXTERN", "EXTERN,INTERN"): several answers, even when few cells combine them.
        standalone = sum(n for p, n in pieces.items() if p in alone) / sum(pieces.values())
        vocabulary = standalone >= STANDALONE_SHARE and column.distinct > len(pieces)
        if len(joined) < 0.15 * len(cells) and not (cued or vocabulary):
            continue
        mean_words = sum(len(p.split()) * n for p, n in pieces.items()) / sum(pieces.values())
        top = sum(n for _, n in pieces.most_common(12)) / sum(pieces.values())
        per_cell = sum(len(o) for o in options) / len(options)
        if not (cued or vocabulary) and (per_cell < MIN_OPTIONS_A_CELL or column.distinct <= len(pieces)):
            # Separators inside single answers ("Yes, daily"): several answers would make more
            # distinct combinations than there are options.
            continue
        cued = lexicon.cue("multi_select", column.header)
        if cued or (mean_words <= MAX_PIECE_WORDS and top >= MIN_TOP_COVERAGE):
            known = [p for p, n in pieces.most_common(40) if n >= 2]
            return _profile(
                column,
                "multi_select",
                f"several answers a cell, separated by {separator!r}",
                separator=separator,
                options=known,
            )
    return None


def split_options(cells: Sequence[str], separator: str) -> list[list[str]]:
    """Split multi-select cells, keeping option labels that contain the separator whole.

    An option label may itself hold the separator ("Social media such as blogs, Twitter, or
    GitHub"): its pieces then always stand side by side, in the same order, while real options
    are chosen in many combinations. Adjacent pieces that (almost) never appear apart are joined.
    """
    split = [[p.strip() for p in _split_outside_brackets(cell, separator) if p.strip()] for cell in cells]
    pieces: Counter[str] = Counter(p for parts in split for p in parts)
    pairs: Counter[tuple[str, str]] = Counter((a, b) for parts in split for a, b in itertools.pairwise(parts))
    glued = {
        pair
        for pair, n in pairs.items()
        if n >= MIN_GLUE and n >= GLUE_SHARE * pieces[pair[0]] and n >= GLUE_SHARE * pieces[pair[1]]
    }
    result = []
    for parts in split:
        options: list[str] = []
        for index, part in enumerate(parts):
            if index and (parts[index - 1], part) in glued:
                options[-1] = options[-1] + separator + part
            else:
                options.append(part)
        result.append(options)
    return result


def _split_outside_brackets(cell: str, separator: str) -> list[str]:
    """Split on the separator except inside brackets ("Artificial sweeteners (e.g., Splenda)")."""
    if "(" not in cell and "[" not in cell:
        return cell.split(separator)
    parts, depth, start, index = [], 0, 0, 0
    while index < len(cell):
        char = cell[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and cell.startswith(separator, index):
            parts.append(cell[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(cell[start:])
    return parts
