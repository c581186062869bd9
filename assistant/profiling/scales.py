"""Ordered answer scales: fixed vocabularies, numbers with word ends, degrees, numbered labels, how often.

Every word they rely on comes from the lexicon (`assistant/lexicons/columns.yaml`).
"""

from __future__ import annotations

import re

from assistant.profiling.lexicon import ColumnLexicon
from assistant.profiling.models import ColumnProfile, ColumnRole
from assistant.profiling.values import ColumnValues, make_profile, to_number

NUMBERED_LABEL = re.compile(r"^\(?(\d{1,2})[)\].:]?\s*[-–:]?\s+\(?[^\W\d_]")  # "(2) Minor", "3 - Often"
RANGE_START = re.compile(r"^(to|and|or|-|–)?\s*\d")  # "to 34 years": the rest of a band, not a label
NUMBERED_POINT = re.compile(r"^\(?\d{1,2}[)\].:]?\s*[-–:]?\s+")  # the "(2) " of "(2) Minor"
ANCHORED_MIN_SHARE = 0.5  # a numbered scale with its end labels in words is mostly numbers
SCORE_MAX = 10  # a score on a short scale is a whole number from 0 or 1 up to this
MAX_DEGREE_POINTS = 7  # an ordered scale of degree words has at most this many points
MAX_OUTSIDE_SCALE = 1  # a degree scale may sit beside one answer that is not on it ("I don't do this")
STEM_MIN_LENGTH = 6  # words this long are compared without their last two letters
MAX_FREQUENCY_POINTS = 10  # a how-often scale has at most this many answers...
FREQUENCY_SHARE = 0.8  # ...nearly all of them saying how often (an opt-out answer may be among them)
FREQUENCY_MAX_WORDS = 6  # ...in a few words ("Never, and not open to it")


def small_scale(col: ColumnProfile) -> tuple[float, float] | None:
    """Lowest and highest of a column's most common values when they are whole numbers 0-10."""
    values = [to_number(e) for e in col.examples]
    if col.distinct > SCORE_MAX + 1 or col.distinct < 3 or any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    if not all(v.is_integer() and 0 <= v <= SCORE_MAX for v in numbers):
        return None
    return min(numbers), max(numbers)


def scale_top(high: float) -> float:
    """The top point of the usual scale (1-5, 1-7, 0/1-10) that reaches a column's highest value."""
    return 5.0 if high <= 5 else (7.0 if high <= 7 else 10.0)


def fixed_scale(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Answers from one of the lexicon's fixed scales ("Strongly disagree" … "Strongly agree")."""
    values = set(lowered)
    for scale in lexicon.likert_scales:
        inside = sum(v in scale for v in lowered)
        if inside >= 0.9 * len(lowered) and len(values & set(scale)) >= 2:
            labels = [next(c for c in column.cells if c.lower() == w) for w in scale if w in values]
            reason = f"answers on a scale from {labels[0]!r} to {labels[-1]!r}"
            return make_profile(column, "likert", reason, scale_labels=labels)
    return None


def excess_scale(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Answers of too little, about right and too much ("Too short", "Adequate", "Too long"), in order."""
    values = set(lowered)
    if not lexicon.excess_word or not 2 <= len(values) <= MAX_DEGREE_POINTS:
        return None
    prefix = lexicon.excess_word + " "
    ends = {v: v[len(prefix) :] for v in values if v.startswith(prefix) and len(v.split()) == 2}
    middles = values & lexicon.excess_middles
    if not ends or not middles or len(ends) + len(middles) != len(values) or len(ends) > 2:
        return None
    # The lower end of a known pair below the middle, the other above; two unknown ends straddle it.
    lower = {a for a, _ in lexicon.excess_pairs}
    below = [v for v in sorted(ends) if ends[v] in lower][:1] or sorted(ends)[: len(ends) // 2]
    points = below + sorted(middles) + [v for v in ends if v not in below]
    labels = [next(c for c in column.cells if c.lower() == v) for v in points]
    reason = f"answers of too little, about right or too much ({', '.join(repr(x) for x in labels)})"
    return make_profile(column, "likert", reason, scale_labels=labels)


def anchored_scale(
    column: ColumnValues, numbers: list[float], lexicon: ColumnLexicon
) -> ColumnProfile | None:
    """Points 2-9 written as numbers and the ends as words ("Strongly agree" for 10): one scale."""
    if not numbers or not all(n.is_integer() and 0 <= n <= 10 for n in numbers):
        return None
    words = {c for c in column.cells if to_number(c) is None}
    numbered = all(NUMBERED_LABEL.match(w) for w in words)  # "1: never", "3: monthly", "5: everyday"
    if not 1 <= len(words) <= (MAX_DEGREE_POINTS if numbered else 2):
        return None
    points = numbers + [float(m.group(1)) for w in words if (m := NUMBERED_LABEL.match(w))]
    low, high = min(points), max(points)
    top = scale_top(high)
    bottom = 0.0 if low == 0 else 1.0
    anchors: dict[str, float] = {}
    for word in words:
        if (point := NUMBERED_LABEL.match(word)) is not None and 0 <= int(point.group(1)) <= 10:
            anchors[word] = float(point.group(1))  # "1: not challenging at all" is the point 1
        elif word.lower() in lexicon.anchors_high:
            anchors[word] = top
        elif word.lower() in lexicon.anchors_low:
            anchors[word] = bottom
        else:
            return None
    role: ColumnRole = "nps" if lexicon.cue("nps", column.header) and top == 10 else "rating"
    labels = ", ".join(f"{w!r} = {v:g}" for w, v in sorted(anchors.items(), key=lambda a: a[1]))
    return make_profile(
        column,
        role,
        f"a {bottom:g}-{top:g} scale with its ends in words ({labels})",
        scale=(bottom, top),
        anchors=anchors,
    )


def degree_scale(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Answers that grade one word by degree words ("Somewhat effective", "Yes, very rude"), in order.

    A leading yes/no ("No, not rude at all") and the degree's place ("not at all rude") do not
    matter; a "Neither … nor …" answer is the middle; "likely"/"unlikely" grade one scale.
    """
    values = set(lowered)
    if not lexicon.degree_words or not 3 <= len(values) <= MAX_DEGREE_POINTS:
        return None
    degree_tokens = {t for phrase in lexicon.degree_words for t in phrase.split()}
    graded: dict[str, tuple[str, int]] = {}  # value -> (graded word, degree rank)
    ranks: dict[str, int] = {}
    outside: list[str] = []
    for value in values:
        words = re.sub(r"\([^)]*\)", " ", value).replace(",", " ").split()
        if words and words[0] in lexicon.answer_words and len(words) > 1:
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
    reason = f"graded answers, {labels[0]!r} to {labels[-1]!r}: an ordered scale"
    return make_profile(column, "likert", reason, scale_labels=labels)


def numbered_labels(column: ColumnValues, lexicon: ColumnLexicon) -> ColumnProfile | None:
    """Answers that carry their point: "(0) Not a problem" … "(4) Critical" (an opt-out aside)."""
    values = set(column.cells)
    points = {v: int(m.group(1)) for v in values if (m := NUMBERED_LABEL.match(v))}
    if any(RANGE_START.match(_point_label(v)) for v in points) or any(p > SCORE_MAX for p in points.values()):
        # "25 to 34 years", "18 - 24": bands of a quantity (ages, sizes), not the points of a scale.
        return None
    if len(set(points.values())) < 3 or len(values) - len(points) > MAX_OUTSIDE_SCALE:
        return None
    if any(_point_label(v) in lexicon.catch_all_answers for v in points):
        # A scale never numbers "other" as one of its points: "1. received … 4. other" is a list of kinds.
        return None
    labels = sorted(points, key=lambda v: points[v])
    return make_profile(column, "likert", "answers numbered in scale order", scale_labels=labels)


def _point_label(value: str) -> str:
    """A numbered answer's words alone: "4. Other." -> "other"."""
    return NUMBERED_POINT.sub("", value).strip(" .").lower()


def _stem(word: str) -> str:
    """One form for a graded word and its adverb ("comfortable" / "comfortably")."""
    return word[:-2] if len(word) >= STEM_MIN_LENGTH else word


def frequency_scale(column: ColumnValues, lowered: list[str], lexicon: ColumnLexicon) -> ColumnProfile | None:
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
    return make_profile(column, "likert", "answers say how often: an ordered frequency scale")


def _polar_word(shared: set[str], lexicon: ColumnLexicon) -> str | None:
    """The one word a degree scale grades ("effective"), or the positive of a pair ("likely"/"unlikely")."""
    if len(shared) == 1:
        return next(iter(shared))
    if len(shared) == 2:
        first, second = sorted(shared, key=len)
        if any(second == prefix + first for prefix in lexicon.negating_prefixes):
            return first
    return None
