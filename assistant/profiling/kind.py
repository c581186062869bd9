"""The kind of evidence a file holds, from its content: a table's profile, or a prose text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from assistant.models import EvidenceKind
from assistant.profiling.lexicon import ColumnLexicon, column_lexicon, normalise_header
from assistant.profiling.models import ColumnProfile, TableProfile
from assistant.profiling.scales import scale_top, small_scale

SMALL_TABLE = 200  # a table of shares this small describes groups, not individual people
GROUPS_TABLE = 2000  # one row per named group, no people, no dates: published figures up to this size
BI_MEASURES = 5  # a table with this many numeric measures and no customer scale is a BI export
SURVEY_QUESTIONS = 3  # a table with this many question headers (and customer text) is a survey
SURVEY_MULTI_SELECTS = 2  # this many multi-select columns, and no record ids, are a questionnaire
QUESTION_MIN_WORDS = 4  # a header that only ends in '?' is a question when it is this long
ITEM_CODE = re.compile(r"^([^\W\d_]+)[_.\-]?(\d{1,2})$")  # "qual_3", "Q7", "item12": a numbered item
FAMILY_MIN_ITEMS = 2  # a family of items numbers at least two of them
RESEARCH_MARGIN = 1.5  # prose is research when its statistics cues outnumber its voice cues this much
# People writing to a company ask it things: at least this share of their texts hold a question
# (0.35-0.76 in three real request and support logs; at most 0.14 in real reviews, 0.03 in surveys).
ASKING_TEXTS = 0.3


def table_kind(
    profile: TableProfile, lexicon: ColumnLexicon | None = None, asking_share: float = 0.0
) -> tuple[EvidenceKind, str]:
    """The kind of a profiled table, and why.

    `asking_share` is the share of the customer texts that ask something (hold a question mark).
    """
    lex = lexicon or column_lexicon()
    roles = {c.role for c in profile.columns}
    headers = " ".join(c.name for c in profile.columns)
    if profile.shape in ("event_log", "aggregate"):
        return "analytics", f"an {profile.shape.replace('_', ' ')}: analytics"
    if _mostly_numbers(profile):
        return "analytics", "mostly counts and measures: a BI export"
    speaker = next((c for c in profile.columns if c.role == "speaker"), None)
    if speaker is not None and "customer_text" in roles:
        return "ticket", f"customer and company turns ({speaker.name})"
    if _published_statistics(profile, lex):
        return "research", "a small table of shares with no individual people: published statistics"
    asked = [c for c in profile.columns if asks(normalise_header(c.name), lex)]
    if len(asked) >= SURVEY_QUESTIONS:
        # Rows answering questions put to them are respondents, however few and however numeric; long
        # question headers contain any word ("use cases"), so they are read before word cues.
        return "survey", f"{len(asked)} columns are questions"
    if "customer_text" not in roles:
        if _figures_per_group(profile, lex):
            return (
                "research",
                "one row of figures per named group, no people and no dates: published statistics",
            )
        if _shares_only(profile):
            return "research", "a small table whose figures are all shares (0-100): published statistics"
        pattern = lex.kind_cues_without_text.get("ticket")
        if pattern and pattern.search(headers.replace("_", " ")):
            return "ticket", "one row per conversation or ticket (its headers say so), without the text"
        pattern = lex.kind_cues_without_text.get("review")
        if pattern and pattern.search(headers.replace("_", " ")) and "rating" in roles:
            return "review", "ratings from reviews (its headers say so), without the text"
        questions = [
            c
            for c in profile.columns
            if c.role in ("closed_single", "multi_select", "likert", "nps")
            and lex.cue("question", normalise_header(c.name))
        ]
        if len(questions) >= 2 or roles & {"nps", "likert"}:
            return "survey", f"{len(questions)} closed questions"
        if ticked_answers(profile):
            return "survey", "several multi-select answers a row, no record ids: a questionnaire"
        battery = _scale_battery(profile, lex)
        if battery:
            return "survey", f"{battery} columns of answers on one short scale, headed by what they rate"
        named = _kind_from_file_name(profile.source, lex)
        if named is not None:
            return named, (
                f"its file name ({profile.source!r}) reads as {named}s; its columns do not say otherwise"
            )
        return "analytics", "no customer text: kept as a table"
    if asking_share >= ASKING_TEXTS:
        return "ticket", f"{asking_share:.0%} of the texts ask something: people writing to the company"
    for kind in ("ticket", "review", "survey"):
        pattern = lex.kind_cues.get(kind)
        if pattern and pattern.search(headers.replace("_", " ")):
            return kind, f"its headers read like a {kind} export"  # type: ignore[return-value]
    named = _kind_from_file_name(profile.source, lex)
    if named is not None:
        return named, f"its file name ({profile.source!r}) reads as {named}s"
    if "rating" in roles:
        return "review", "customer text with a rating"
    closed = [c for c in profile.columns if c.role in ("closed_single", "multi_select", "likert", "nps")]
    if len(closed) >= 2 or len(profile.text_columns) >= 2:
        return "survey", "open and closed questions"
    return "other", "customer text with no sign of its kind (set the kind to change it)"


def asks(header: str, lexicon: ColumnLexicon) -> bool:
    """A header put to a respondent: it opens with a question word, or is a whole question ending in '?'.

    Short field labels with a question mark ("Timely response?", "Consumer disputed?") are a
    record's yes/no fields, not a questionnaire.
    """
    if not lexicon.cue("question", header):
        return False
    return lexicon.cue("question", header.rstrip("? ")) or len(header.split()) >= QUESTION_MIN_WORDS


def ticked_answers(profile: TableProfile) -> bool:
    """Two or more multi-select columns in rows no id names: people ticking answers, one row each.

    Catalogues tag their items with lists too, but each item has an id; a questionnaire's export
    (with or without its header line) has none.
    """
    if any(c.role in ("identifier", "user_id", "event_name") for c in profile.columns):
        return False
    return sum(c.role == "multi_select" for c in profile.columns) >= SURVEY_MULTI_SELECTS


def _kind_from_file_name(source: str, lexicon: ColumnLexicon) -> EvidenceKind | None:
    """What the file's own name says it holds ("complaints-2016.csv"), when it names a kind."""
    # "survey2", "2021reviews": a number run into the word still leaves the word.
    stem = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", normalise_header(PurePath(source).stem))
    for kind in ("ticket", "review", "survey"):
        pattern = lexicon.file_name_cues.get(kind)
        if pattern is not None and pattern.search(stem):
            return kind  # type: ignore[return-value]
    return None


def _mostly_numbers(profile: TableProfile) -> bool:
    roles = [c.role for c in profile.columns]
    numbers = sum(r in ("measure", "funnel_count", "funnel_rate") for r in roles)
    voices = {"rating", "nps", "likert", "speaker"} & set(roles)
    return numbers >= BI_MEASURES and not voices and profile.rows > SMALL_TABLE


def _scale_battery(profile: TableProfile, lexicon: ColumnLexicon) -> int:
    """How many columns rate things on one short whole-number scale under long headers, when most do.

    "Quality of audio/video experience for the program sessions": 1-5 under a phrase of what is
    rated, column after column, is a questionnaire's grid; codes carry short names ("region").
    Item codes numbered within a family ("qual_1" … "qual_8", "cusl_1" … "cusl_3") name the
    items of a questionnaire's scales the same way.
    """
    families = Counter(m.group(1) for c in profile.columns if (m := ITEM_CODE.match(c.name)))
    scales = [
        small_scale(c)
        for c in profile.columns
        if c.role in ("segment", "measure")
        and (len(c.name.split()) >= QUESTION_MIN_WORDS or _item_of_family(c.name, families))
        and not lexicon.cue("segment", normalise_header(c.name))
        and not lexicon.cue("measure", normalise_header(c.name))
    ]
    tops = [scale_top(s[1]) for s in scales if s is not None]
    same = max((tops.count(t) for t in set(tops)), default=0)
    return same if same >= SURVEY_QUESTIONS and same >= 0.5 * len(profile.columns) else 0


def _item_of_family(name: str, families: Counter[str]) -> bool:
    """A coded item ("qual_3") whose family has other numbered items beside it."""
    match = ITEM_CODE.match(name)
    return match is not None and families[match.group(1)] >= FAMILY_MIN_ITEMS


def _shares_only(profile: TableProfile) -> bool:
    """A small table of figures that are all shares between 0 and 100, about no individual people."""
    if profile.rows > SMALL_TABLE or any(
        c.role in ("user_id", "identifier", "event_name", "speaker", "customer_text", "company_text")
        for c in profile.columns
    ):
        return False
    figures = [c for c in profile.columns if c.role in ("measure", "funnel_rate")]
    return len(figures) >= 2 and all(
        c.stats is not None
        and c.stats.minimum is not None
        and c.stats.maximum is not None
        and c.stats.minimum >= 0
        and c.stats.maximum <= 100
        for c in figures
    )


def _figures_per_group(profile: TableProfile, lexicon: ColumnLexicon) -> bool:
    """A table whose rows are named groups (one label each) and whose other columns are figures."""
    if profile.rows > GROUPS_TABLE or profile.rows < 2:
        return False
    named = [c for c in profile.columns if c.role == "identifier" and _names(c)]
    if any(
        c.role in ("user_id", "identifier", "timestamp", "event_name", "speaker", "flag") and c not in named
        for c in profile.columns
    ):
        return False
    labels = [
        c
        for c in profile.columns
        if (c.role in ("segment", "closed_single", "company_text", "customer_text") or c in named)
        and c.distinct == profile.rows
    ]
    # Average scores per named thing (films, airlines) are figures too, beside at least one count.
    figures = [c for c in profile.columns if c.role in ("measure", "funnel_count", "funnel_rate", "rating")]
    counts = [c for c in figures if c.role != "rating"]
    shares = [c for c in counts if lexicon.cue("rate", normalise_header(c.name))]
    others = len(profile.columns) - len(labels) - len(figures)
    # Two figures a group, or one share a group ("Percentage Male" per job).
    return len(labels) >= 1 and (len(counts) >= 2 or len(shares) >= 1) and others == 0


def _names(col: ColumnProfile) -> bool:
    """An identifier made of names ("Aer Lingus", "Ant-Man (2015)"), not codes."""
    # Links to where each figure comes from ("source") name their group's origin too.
    named = sum(" " in e or e.lower().startswith(("http://", "https://")) for e in col.examples)
    return bool(col.examples) and named >= 0.5 * len(col.examples)


def _published_statistics(profile: TableProfile, lexicon: ColumnLexicon) -> bool:
    if profile.rows > SMALL_TABLE:
        return False
    if any(c.role in ("user_id", "rating", "nps", "speaker") for c in profile.columns):
        return False
    return any(
        c.role in ("measure", "funnel_rate") and lexicon.cue("rate", normalise_header(c.name))
        for c in profile.columns
    )


def prose_kind(text: str, lexicon: ColumnLexicon | None = None) -> tuple[EvidenceKind, str]:
    """Research (published statistics, summaries) or people's own words (interviews, notes)."""
    lex = lexicon or column_lexicon()
    research = len(lex.prose_cues["research"].findall(text)) if "research" in lex.prose_cues else 0
    voice = len(lex.prose_cues["voice"].findall(text)) if "voice" in lex.prose_cues else 0
    if research >= 3 and research > RESEARCH_MARGIN * voice:
        return (
            "research",
            f"reads as statistics or a summary ({research} figure/report cues, {voice} voice cues)",
        )
    return "interview", f"reads as people's own words ({voice} voice cues, {research} figure/report cues)"
