"""Profile a whole table: every column's role, the table's shape and kind, the user's overrides."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from assistant.errors import IngestError
from assistant.funnels.steps import bundled_step_table
from assistant.ingest.dates import states_day
from assistant.profiling.choices import option_part, split_options
from assistant.profiling.copies import copy_roles
from assistant.profiling.infer import SAMPLE_ROWS, infer_column
from assistant.profiling.kind import asks, table_kind, ticked_answers
from assistant.profiling.lexicon import ColumnLexicon, column_lexicon, normalise_header
from assistant.profiling.models import COLUMN_ROLES, ColumnProfile, Schema, TableProfile
from assistant.profiling.scales import scale_top, small_scale
from assistant.profiling.stats import column_stats
from assistant.profiling.values import column_values, to_number

VOICE_MIN_SHARE = 0.05  # customers write "I" / "my" in at least this share of their texts
RATIO_TOLERANCE = 0.01  # a rate column equals one column over another to within 1%...
RATIO_ROUNDING = 0.0005  # ...plus what rounding to 3-4 decimals leaves
RATIO_MIN_ROWS = 0.95  # ...on at least this share of the rows where both are filled
RATIO_MIN_EVIDENCE = 5  # ...and on at least this many rows where the part is a real fraction of the base
RATIO_MAX_COLUMNS = 25  # numeric columns compared pairwise for rates, at most
OPTION_RUN = 3  # this many yes/no columns side by side with one header stem are one select-all question
OPTION_STEM = 3  # ...sharing at least this many leading characters ("q20")
MIN_EVENT_STEPS = 2  # an event column names at least this many funnel steps...
EVENT_MAX_DISTINCT = 500  # ...among at most this many event names...
EVENT_MAX_SHARE = 0.9  # ...and not a different one on (nearly) every row, as order names are
ASKING_HEADERS = 2  # a survey whose headers ask questions has at least this many...
ASKING_SHARE = 0.5  # ...and they are at least this share of its closed answers' headers...
LABEL_MAX_WORDS = 3  # ...and a plain label beside them is at most this many words...
QUESTION_CODE = re.compile(r"^[a-z]{0,3}\d")  # ...and not a question's code ("q0009", "q5a")
FILLED_TIME_SHARE = 0.5  # a record's time is filled on at least half as many rows as the fullest date
STILL_TIME_SHARE = 0.1  # an event log time the same on all rows of (nearly) every case is its start...
MOVING_TIME_SHARE = 0.5  # ...when another time differs between the rows of at least half the cases


def profile_table(
    source: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    schema: Schema | None = None,
) -> TableProfile:
    """Profile a table's columns from a sample of its rows; the schema's roles and kind win."""
    lexicon, funnel = column_lexicon(), bundled_step_table()
    sample = _sample(rows)
    profiles = []
    for index, name in enumerate(columns):
        values = column_values(name, [row[index] if index < len(row) else "" for row in sample], lexicon)
        profiles.append(infer_column(values, lexicon, funnel))
    duplicates = len(rows) - len({tuple(row) for row in rows})
    profile = TableProfile(
        source=source, rows=len(rows) - duplicates, duplicate_rows=duplicates, kind="other", columns=profiles
    )
    _table_pass(profile, sample, list(columns))
    if schema is not None:
        _apply_schema(profile, schema, sample, list(columns))
    _set_shape(profile)
    distinct_rows = list(dict.fromkeys(tuple(row) for row in rows))

    def figures(only: set[int] | None = None) -> None:
        for index, col in enumerate(profile.columns):
            if only is None or index in only:
                col.stats = column_stats(
                    col, [row[index] if index < len(row) else "" for row in distinct_rows]
                )

    figures()  # the kind reads them (a table of shares); roles the kind changes are counted again below
    before = [c.role for c in profile.columns]
    if schema is not None and schema.kind is not None:
        profile.kind, profile.kind_reason, profile.kind_overridden = schema.kind, "set by the user", True
    else:
        profile.kind, profile.kind_reason = table_kind(profile, lexicon, _asking_share(profile, sample))
    if profile.kind == "research" and "published statistics" in profile.kind_reason:
        # Each row of published statistics is a group, and the text naming it is the group's label.
        for col in profile.columns:
            if col.role in ("customer_text", "company_text", "closed_single") and not col.overridden:
                col.role, col.reason = "segment", "labels the group each row of figures describes"
    if profile.kind == "analytics":
        for col in profile.columns:
            if col.role == "customer_text" and not col.overridden:
                col.role, col.reason = (
                    "company_text",
                    "text in an analytics table: names of things, not feedback",
                )
    if profile.kind == "survey":
        # In a survey, whole numbers on a short scale with no attribute for a header are answers
        # on that scale ("impact_career_advancement": 1-5), not category codes.
        for col in profile.columns:
            scale = small_scale(col)
            if (
                col.role == "segment"
                and not col.overridden
                and scale is not None
                and scale[0] >= 0
                and not lexicon.cue("segment", normalise_header(col.name))
            ):
                top = scale_top(scale[1])
                col.role, col.scale = "rating", (min(scale[0], 1.0), top)
                col.reason = f"a survey answer on a {min(scale[0], 1.0):g}-{top:g} scale"
        _yes_no_questions(profile, lexicon)
        _recorded_attributes(profile, lexicon)
    else:
        # Outside a survey a short list of values with no question for a header is an attribute,
        # ordered or not ("1 - High", "2 - Medium", "3 - Low" under "priority").
        for col in profile.columns:
            if (
                col.role in ("closed_single", "likert")
                and not col.overridden
                and not asks(normalise_header(col.name), lexicon)
            ):
                col.role, col.reason = "segment", f"one of {col.distinct} values: a grouping attribute"
    figures({i for i, c in enumerate(profile.columns) if c.role != before[i]})
    return profile


def _asking_share(profile: TableProfile, sample: Sequence[Sequence[str]]) -> float:
    """The share of the sampled customer texts that ask something (hold a question mark)."""
    indexes = [i for i, c in enumerate(profile.columns) if c.role == "customer_text"]
    texts = [cell for i in indexes for cell in _cells(sample, i) if cell]
    return sum("?" in t for t in texts) / len(texts) if texts else 0.0


def _recorded_attributes(profile: TableProfile, lexicon: ColumnLexicon) -> None:
    """In a survey whose headers ask, a short list under a plain label is recorded about the response.

    "Trust", "Service type 1" beside "What was good about your visit?": the organisation filed the
    response under them, the respondent was not asked. Coded headers ("q0009") may hide questions,
    so they keep their reading.
    """
    headers = [normalise_header(c.name) for c in profile.columns]
    closed = [
        asks(h, lexicon) for c, h in zip(profile.columns, headers, strict=True) if c.role == "closed_single"
    ]
    if sum(closed) < ASKING_HEADERS or sum(closed) < ASKING_SHARE * len(closed):
        return
    for col, header in zip(profile.columns, headers, strict=True):
        if (
            col.role == "closed_single"
            and not col.overridden
            and not asks(header, lexicon)
            and not QUESTION_CODE.match(header)
            and len(header.split()) <= LABEL_MAX_WORDS
        ):
            col.role = "segment"
            col.reason = "a plain label beside the survey's questions: recorded, not asked"


def _yes_no_questions(profile: TableProfile, lexicon: ColumnLexicon) -> None:
    """A yes/no answer in a survey ("taste": Yes / No) is one of its closed questions.

    It is counted like the others; a flag is a record's yes/no field, or one ticked option of a
    select-all question (a run of such columns, see `_option_blocks`).
    """
    yes_no = [
        c.role == "flag" and len(c.examples) == 2 and {e.lower() for e in c.examples} <= lexicon.answer_words
        for c in profile.columns
    ]
    # An option nobody ticked ("No" on every row, read as a flag or as one value only) still
    # belongs to its question's run of options.
    in_runs = [
        answer
        or (
            c.role in ("flag", "other")
            and bool(c.examples)
            and {e.lower() for e in c.examples} <= lexicon.answer_words
        )
        for c, answer in zip(profile.columns, yes_no, strict=True)
    ]
    ticked = _option_blocks(profile, in_runs)
    for index, col in enumerate(profile.columns):
        if (
            yes_no[index]
            and not col.overridden
            # A ticked option's header may repeat its question ("Which sources…? [Industry]").
            and (
                index not in ticked
                or (asks(normalise_header(col.name), lexicon) and not option_part(col.name))
            )
        ):
            col.role, col.reason = "closed_single", "a yes/no question put to respondents"
            col.true_value = None


def _option_blocks(profile: TableProfile, yes_no: list[bool]) -> set[int]:
    """Columns in a run of yes/no columns whose headers share a stem ("q20a_…_ind", "q20b_…_ind").

    Such a run is one select-all question exported a column per option: each is a ticked box
    (a flag), not a question of its own.
    """
    names = [c.name for c in profile.columns]
    found: set[int] = set()
    run: list[int] = []
    for index in range(len(names) + 1):
        joined = (
            index < len(names)
            and yes_no[index]
            and (not run or _shared_start(names[run[0]], names[index]) >= OPTION_STEM)
        )
        if joined:
            run.append(index)
            continue
        if len(run) >= OPTION_RUN:
            found.update(run)
        run = [index] if index < len(names) and yes_no[index] else []
    return found


def _shared_start(first: str, second: str) -> int:
    """How many leading characters two headers share."""
    pairs = zip(first, second, strict=False)
    return sum(1 for _ in itertools.takewhile(lambda pair: pair[0] == pair[1], pairs))


def _sample(rows: Sequence[Sequence[str]]) -> Sequence[Sequence[str]]:
    if len(rows) <= SAMPLE_ROWS:
        return rows
    step = len(rows) / SAMPLE_ROWS  # spread over the file: exports are often sorted by date or id
    return [rows[int(i * step)] for i in range(SAMPLE_ROWS)]


def _table_pass(profile: TableProfile, sample: Sequence[Sequence[str]], columns: list[str]) -> None:
    funnel = bundled_step_table()
    # An event log's rows are moments: its time has a time of day (a daily export's dates do not).
    has_time = any(
        c.role == "timestamp" and _clock_times(sample, columns.index(c.name)) for c in profile.columns
    )
    lexicon = column_lexicon()
    # A "session" column of an event log names the session, not a count of sessions.
    people = [
        c
        for c in profile.columns
        if c.role in ("user_id", "identifier")
        or (c.role == "funnel_count" and lexicon.cue("user_id", normalise_header(c.name)))
    ]
    # An event log holds several events of one journey: ids that differ on every row are records.
    if has_time and _journey_keys(people, lexicon):
        for col in profile.columns:
            if (
                col.role not in ("closed_single", "segment", "other", "company_text")
                or not 2 <= col.distinct <= EVENT_MAX_DISTINCT
            ):
                continue
            index = columns.index(col.name)
            names = {row[index].strip() for row in sample if index < len(row)}
            steps = {funnel.step_of(n) for n in names} - {None}
            # A header alone ("name") makes an event column only when its values repeat: order
            # names ("#1001") are a different one on every row.
            cued = (
                lexicon.cue("event_name", normalise_header(col.name))
                and col.distinct <= EVENT_MAX_SHARE * col.filled
            )
            if len(steps) >= MIN_EVENT_STEPS or cued:
                col.role, col.reason = (
                    "event_name",
                    "names the event of each row (beside a time and a person)",
                )
                for person in _journey_keys(people, lexicon):
                    if person.role in ("identifier", "funnel_count"):
                        person.role, person.reason = "user_id", "an id that repeats across events"
                        person.step = None
                break
    copy_roles(profile, sample)
    _one_record_time(profile, sample, columns)
    _ratio_rates(profile, sample, columns)
    _rate_bases(profile)
    _one_step_counts(profile)
    _voice(profile, sample, columns, lexicon)
    _scores_with_text(profile, lexicon)
    if any(c.role == "event_name" for c in profile.columns) or _funnel_columns(profile) >= 2:
        for col in profile.columns:
            if col.role == "customer_text" and not col.overridden:
                col.role = "company_text"
                col.reason = "text in an analytics table: names of things, not feedback"


def _one_record_time(profile: TableProfile, sample: Sequence[Sequence[str]], columns: list[str]) -> None:
    """A row has one time it happened; the other dates in it (updated, closed, first touch) are attributes.

    The first date column is the record's time, unless a later one is much finer ("month" then
    "date": the day wins), and so is the first with a time of day when that one has none ("date"
    beside "timestamp" of the same event); the others become `other`, which the user can set back
    with --role.
    """
    times = [c for c in profile.columns if c.role == "timestamp" and not c.overridden]
    if len(times) < 2:
        return
    dated = [c for c in times if _states_days(sample, columns.index(c.name))]
    # Every record has the time it happened: a date most rows leave blank ("Date Read" of a
    # library export where most books are unread) is an attribute of some records.
    dated = [c for c in dated if c.filled >= FILLED_TIME_SHARE * max(d.filled for d in dated)]
    first = times[0] if not dated or times[0] in dated else dated[0]
    lexicon = column_lexicon()
    if any(c.role == "event_name" for c in profile.columns) and lexicon.cue(
        "time_start", normalise_header(first.name)
    ):
        # An event log's row is an activity; it happened when it completed (XES's time:timestamp).
        ends = [c for c in times if lexicon.cue("time_end", normalise_header(c.name))]
        first = ends[0] if ends else first
    clocked = [c for c in times if _clock_times(sample, columns.index(c.name))]
    if first in clocked:  # a day beside a moment is kept with it; only a moment can be the wrong one
        first = _moving_time(profile, sample, columns, clocked, first)
    kept = [first] + ([clocked[0]] if clocked and first not in clocked else [])
    for col in times:
        if col not in kept:
            col.role = "other"
            col.reason = f"another date in the row; {first.name!r} is the record's time"


def _moving_time(
    profile: TableProfile,
    sample: Sequence[Sequence[str]],
    columns: list[str],
    times: list[ColumnProfile],
    first: ColumnProfile,
) -> ColumnProfile:
    """In an event log, the time that changes from event to event of one journey.

    A date that stays the same on every row of a case ("opened_at" of a ticket whose updates are the
    rows) is when the journey began, not when its event happened.
    """
    keys = [columns.index(c.name) for c in profile.columns if c.role == "user_id"]
    if not keys or not any(c.role == "event_name" for c in profile.columns):
        return first
    moving = {c.name: _share_moving(sample, keys[0], columns.index(c.name)) for c in times}
    best = max(times, key=lambda c: moving[c.name])
    if moving[first.name] <= STILL_TIME_SHARE and moving[best.name] >= MOVING_TIME_SHARE:
        return best
    return first


def _share_moving(sample: Sequence[Sequence[str]], key: int, index: int) -> float:
    """Of the journeys with several rows, the share whose cells in column `index` differ."""
    seen: dict[str, set[str]] = {}
    rows: dict[str, int] = {}
    for row in sample:
        if max(key, index) >= len(row) or not row[key].strip():
            continue
        seen.setdefault(row[key], set()).add(row[index].strip())
        rows[row[key]] = rows.get(row[key], 0) + 1
    several = [k for k, n in rows.items() if n >= 2]
    return sum(len(seen[k]) > 1 for k in several) / len(several) if several else 0.0


def _clock_times(sample: Sequence[Sequence[str]], index: int) -> bool:
    cells = _cells(sample, index)[:200]
    return bool(cells) and sum(":" in c or (c.isdigit() and len(c) >= 9) for c in cells) >= 0.5 * len(cells)


def _states_days(sample: Sequence[Sequence[str]], index: int) -> bool:
    cells = _cells(sample, index)[:200]
    # Epoch seconds or milliseconds state the day too.
    return bool(cells) and sum(states_day(c) or (c.isdigit() and len(c) >= 9) for c in cells) >= 0.5 * len(
        cells
    )


def _cells(sample: Sequence[Sequence[str]], index: int) -> list[str]:
    return [row[index].strip() for row in sample if index < len(row) and row[index].strip()]


def _voice(
    profile: TableProfile, sample: Sequence[Sequence[str]], columns: list[str], lexicon: ColumnLexicon
) -> None:
    """Text no one writes as "I" in, in a table with no respondent, was written by an organisation.

    Customers write about themselves ("I ordered", "my card"); service descriptions, standards and
    comments an organisation keeps do not. A survey's open answers may be terse ("the community"),
    so a question header, a rating, a speaker column or a header naming respondents, tickets or
    reviews keeps the table's text customer voice.
    """
    texts = [c for c in profile.columns if c.role == "customer_text" and not c.overridden]
    if not texts or not lexicon.first_person:
        return
    if any(c.role in ("rating", "nps", "likert", "speaker") for c in profile.columns) or any(
        lexicon.cue("question", normalise_header(c.name)) for c in profile.columns
    ):
        return
    if ticked_answers(profile):
        return  # people ticked answers on every row: its text is theirs too
    headers = " ".join(normalise_header(c.name) for c in profile.columns)
    if any(pattern.search(headers) for pattern in lexicon.kind_cues.values()):
        return  # "respondent_id", "ticket", "review": the headers say people wrote it
    if not any(_latin(_cells(sample, columns.index(c.name))) for c in texts):
        return  # "不知道是否謠言": the first-person words are English; in another script they tell nothing
    shares = []
    for col in texts:
        cells = _cells(sample, columns.index(col.name))
        shares.append(sum(lexicon.speaks_as_self(c) for c in cells) / max(1, len(cells)))
    if max(shares) >= VOICE_MIN_SHARE:
        return
    for col in texts:
        col.role = "company_text"
        col.reason = (
            "no one writes as 'I' in it, and no respondent is in the table: text the organisation wrote"
        )


def _latin(cells: list[str]) -> bool:
    """Whether most of a column's letters are Latin, the script the first-person words are in."""
    letters = [ch for c in cells[:500] for ch in c if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters) >= 0.5 * len(
        letters
    )


def _scores_with_text(profile: TableProfile, lexicon: ColumnLexicon) -> None:
    """A lone small whole-number scale beside customers' texts is the score they gave with them."""
    if not any(c.role == "customer_text" for c in profile.columns) or any(
        c.role in ("rating", "nps", "likert") for c in profile.columns
    ):
        return
    candidates = [
        c
        for c in profile.columns
        if c.role in ("measure", "segment")
        and not c.overridden
        and c.scale is None
        and not lexicon.cue("measure", normalise_header(c.name))
        and not lexicon.cue("identifier", normalise_header(c.name))
        and not lexicon.cue("segment", normalise_header(c.name))
    ]
    scores = [c for c in candidates if small_scale(c) is not None]
    if len(scores) == 1:
        col = scores[0]
        low, high = small_scale(col) or (1.0, 5.0)
        top = scale_top(high)
        col.role, col.scale = "rating", (min(low, 1.0), top)
        col.reason = f"a {int(min(low, 1))}-{int(top)} score given with the customers' text"


def _ratio_rates(profile: TableProfile, sample: Sequence[Sequence[str]], columns: list[str]) -> None:
    """A column that is, row by row, one column divided by another is a rate of that base.

    Found from the numbers alone, so a rate named in no lexicon ("performance" = meeting target
    over total volume) still gets its base and is weighted by it; the two columns become counts.
    """
    # Whole numbers read as a segment from a header word ("store_listing_visitors") may still be
    # the counts a rate divides: the arithmetic below decides, and a coincidence is all but impossible.
    numeric = [
        c
        for c in profile.columns
        if (
            c.role in ("measure", "funnel_count", "funnel_rate")
            or (c.role == "segment" and c.examples and all(to_number(e) is not None for e in c.examples))
        )
        and not c.base
    ][:RATIO_MAX_COLUMNS]
    if len(numeric) < 3:
        return
    values = {
        c.name: [
            to_number(row[columns.index(c.name)]) if columns.index(c.name) < len(row) else None
            for row in sample
        ]
        for c in numeric
    }
    # A rate counts part of a base: both are whole numbers (people, sessions, calls). Money over a
    # count ("avg_cpt_amount" = spend / taps) is a cost per unit, however small the spend.
    whole = {name for name, vs in values.items() if all(v is None or float(v).is_integer() for v in vs)}
    for rate in numeric:
        r_values = values[rate.name]
        filled = [v for v in r_values if v is not None]
        if not filled or min(filled) < 0 or max(filled) > 100:
            continue
        for base in numeric:
            if base is rate:
                continue
            for part in numeric:
                if part is rate or part is base or not {part.name, base.name} <= whole:
                    continue
                unit = _ratio_unit(r_values, values[part.name], values[base.name])
                if unit is None:
                    continue
                rate.role, rate.base, rate.part, rate.rate_unit = "funnel_rate", base.name, part.name, unit
                rate.reason = f"{part.name} over {base.name} on every row: a rate of {base.name}"
                for count in (part, base):
                    if count.role in ("measure", "segment"):
                        count.role, count.reason = "funnel_count", f"the counts {rate.name} is a rate of"
                break
            if rate.base:
                break


def _ratio_unit(
    rates: list[float | None], parts: list[float | None], bases: list[float | None]
) -> Literal["percent", "fraction"] | None:
    checked = matched_fraction = matched_percent = 0
    for r, a, b in zip(rates, parts, bases, strict=True):
        # Only rows with a real fraction (0 < part < base) tell a rate from columns that are zero together.
        if r is None or a is None or b is None or not 0 < a < b:
            continue
        checked += 1
        ratio = a / b
        matched_fraction += _same(r, ratio)
        matched_percent += _same(r / 100, ratio)
    if checked < RATIO_MIN_EVIDENCE:
        return None
    if matched_fraction >= RATIO_MIN_ROWS * checked:
        return "fraction"
    if matched_percent >= RATIO_MIN_ROWS * checked:
        return "percent"
    return None


def _same(rate: float, ratio: float) -> bool:
    # Relative, so a 2% bounce rate is not "equal" to 1.5%; the absolute part allows for rounding.
    return abs(rate - ratio) <= RATIO_TOLERANCE * ratio + RATIO_ROUNDING


def _journey_keys(people: list[ColumnProfile], lexicon: ColumnLexicon) -> list[ColumnProfile]:
    """The ids whose values make the journeys of an event log (a person, session or case).

    Headers that name a person or session say so (the funnel engine picks among them); without
    one, the repeating id with the most values. Other repeating ids, such as a product or a click
    id, are attributes of the events.
    """
    named = [p for p in people if p.role == "user_id" or lexicon.cue("user_id", normalise_header(p.name))]
    if named:
        return named
    repeating = [p for p in people if p.distinct < 0.9 * max(1, p.filled)]
    return [max(repeating, key=lambda p: p.distinct)] if repeating else []


def _funnel_columns(profile: TableProfile) -> int:
    return sum(c.role in ("funnel_count", "funnel_rate") for c in profile.columns)


def _one_step_counts(profile: TableProfile) -> None:
    """Counts that all stand at one step (users, sessions, page views) follow no funnel: measures."""
    steps = {c.step for c in profile.columns if c.role in ("funnel_count", "funnel_rate")}
    flagged = any(c.role == "flag" and c.step for c in profile.columns)
    rates = any(c.role == "funnel_rate" for c in profile.columns)  # a rate's base is a count it needs
    if len(steps) != 1 or flagged or rates or any(c.role == "event_name" for c in profile.columns):
        return
    for col in profile.columns:
        if col.role == "funnel_count" and not col.overridden:
            col.role = "measure"
            col.reason = f"a count at one step only ({col.step}): no later step to convert to"
            col.step = None


def _rate_bases(profile: TableProfile) -> None:
    funnel = bundled_step_table()
    counts = [c for c in profile.columns if c.role == "funnel_count" and c.step]
    for col in profile.columns:
        if col.role != "funnel_rate" or col.base:
            continue
        named = [
            c for c in counts if normalise_header(c.name) in normalise_header(col.name) and c.step != col.step
        ]
        earlier = [c for c in counts if col.step and c.step and funnel.order(c.step) < funnel.order(col.step)]
        pool = named or sorted(earlier, key=lambda c: funnel.order(c.step or funnel.steps[0]))
        if pool:
            col.base = pool[0].name
            col.reason += f" (of {col.base})"
        else:
            col.reason += "; no base column found (set one with --role or leave it unweighted)"


def _apply_schema(
    profile: TableProfile, schema: Schema, sample: Sequence[Sequence[str]], columns: list[str]
) -> None:
    unknown = [name for name in schema.roles if name not in columns]
    if unknown:
        raise IngestError(
            profile.source,
            f"no column named {', '.join(repr(u) for u in unknown)} to set a role for; "
            f"columns are: {', '.join(columns)}",
        )
    lexicon = column_lexicon()
    for name, role in schema.roles.items():
        col = profile.column(name)
        assert col is not None
        if role not in COLUMN_ROLES:
            raise IngestError(
                profile.source, f"unknown role {role!r} for {name!r}; roles are: {', '.join(COLUMN_ROLES)}"
            )
        col.role, col.overridden, col.reason = role, True, "set by the user"
        index = columns.index(name)
        cells = [row[index].strip() for row in sample if index < len(row) and row[index].strip()]
        if role == "multi_select" and not col.separator:
            col.separator = _best_separator(cells, lexicon.separators)
            pieces: Counter[str] = Counter(
                p for opts in split_options(cells, col.separator) for p in set(opts)
            )
            col.options = [p for p, n in pieces.most_common(40) if n >= 2]
        if role == "speaker" and not col.company_values:
            col.company_values = sorted({c for c in cells if c.lower() in lexicon.company_speakers})
        if role == "flag" and not col.true_value:
            values = {c.lower(): c for c in cells}
            col.true_value = next((values[yes] for yes, _no in lexicon.flag_pairs if yes in values), None)
        if role == "funnel_rate" and not col.step:
            col.step = bundled_step_table().step_of(name)
    _rate_bases(profile)


def _best_separator(cells: list[str], separators: tuple[str, ...]) -> str:
    counts = {sep: sum(sep in c for c in cells) for sep in separators}
    return max(separators, key=lambda sep: counts[sep]) if separators else ","


def _set_shape(profile: TableProfile) -> None:
    roles = {c.role for c in profile.columns}
    if "event_name" in roles:
        profile.shape = "event_log"
    elif _funnel_columns(profile) >= 2:
        profile.shape = "aggregate"
    elif roles & {"customer_text", "company_text"}:
        profile.shape = "records"
    elif roles & {"flag", "funnel_count"}:
        profile.shape = "entity_table"  # one row a session or person, a yes/no or count per step
    else:
        profile.shape = "table"
