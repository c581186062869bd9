"""Closed answers as figures: each choice, scale, flag and multi-select column counted over respondents.

A distribution counts people, not cells: exact duplicate rows are read once, blanks and
missing-value codes are left out of the base, and a multi-select option is counted once per
respondent who chose it (so shares may sum past 100%). Each answer keeps the rows behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, Field

from assistant.profiling.choices import split_options
from assistant.profiling.lexicon import column_lexicon
from assistant.profiling.models import DISTRIBUTION_ROLES, ColumnProfile, TableProfile
from assistant.profiling.values import to_number

MAX_ANSWERS = 30  # a distribution lists at most this many answers; the rest are summed as "other answers"
MAX_ROWS_KEPT = 50  # rows kept behind each answer, for the user to open
NPS_PROMOTER = 9
NPS_DETRACTOR = 6


class Answer(BaseModel):
    """One answer of a closed question: how many respondents gave it, and which rows."""

    value: str
    count: int
    share: float = Field(description="count / respondents who answered the question")
    rows: list[int] = Field(default_factory=list, description="Data rows (1-based) giving this answer.")


class Distribution(BaseModel):
    """A closed question's answers over the respondents who answered it."""

    source: str
    column: str
    role: str
    respondents: int = Field(description="Respondents (distinct rows) who answered.")
    rows: int = Field(description="Respondents in the table.")
    answers: list[Answer]
    other_answers: int = Field(
        default=0, description="Respondents whose answers fall outside the listed ones."
    )
    mean: float | None = None
    scale: tuple[float, float] | None = None
    nps: float | None = None
    true_share: float | None = None
    blank_is_no: bool = Field(default=False, description="A blank cell is not chosen (a ticked option).")

    @property
    def how(self) -> str:
        """How the figure was computed, in one sentence."""
        base = f"{self.respondents:,} of {self.rows:,} respondents answered (blanks left out"
        if self.blank_is_no:
            base = f"all {self.rows:,} respondents (a blank cell is read as not chosen"
        if self.role == "multi_select":
            return (
                f"column {self.column!r} of {self.source}: {base}; each option counted once per respondent)"
            )
        return f"column {self.column!r} of {self.source}: {base}; exact duplicate rows counted once)"

    def render(self) -> str:
        """The figure as text: the record a citation of it points to."""
        kind = {
            "closed_single": "closed question",
            "multi_select": "multi-select question",
            "rating": "rating",
            "nps": "likelihood to recommend (0-10)",
            "likert": "agreement scale",
            "flag": "yes/no",
        }[self.role]
        head = f"{self.column} ({kind}, {self.source}): {self.respondents:,} respondents answered."
        lines = [head]
        if self.mean is not None:
            lines.append(
                f"Mean {self.mean:.2f}" + (f" on {self.scale[0]:g}-{self.scale[1]:g}." if self.scale else ".")
            )
        if self.nps is not None:
            lines.append(f"NPS {self.nps:+.1f} (promoters 9-10 minus detractors 0-6).")
        if self.true_share is not None:
            lines.append(f"Yes: {self.true_share:.1%}.")
        listed = " · ".join(f"{a.value}: {a.count:,} ({a.share:.1%})" for a in self.answers)
        lines.append(listed + (f" · other answers: {self.other_answers:,}" if self.other_answers else ""))
        lines.append(f"Computed from {self.how}.")
        return "\n".join(lines)


def distributions(
    profile: TableProfile, columns: Sequence[str], rows: Sequence[Sequence[str]], row_numbers: Sequence[int]
) -> list[Distribution]:
    """Every closed column's distribution over the table's distinct rows."""
    index = {name: i for i, name in enumerate(columns)}
    seen: set[tuple[str, ...]] = set()
    unique: list[tuple[int, Sequence[str]]] = []
    for number, row in zip(row_numbers, rows, strict=True):
        if tuple(row) not in seen:
            seen.add(tuple(row))
            unique.append((number, row))
    found = []
    for col in profile.columns:
        if col.role in DISTRIBUTION_ROLES:
            cells = [(n, row[index[col.name]].strip()) for n, row in unique if index[col.name] < len(row)]
            found.append(_distribution(profile.source, col, cells, len(unique)))
    return found


def _distribution(source: str, col: ColumnProfile, cells: list[tuple[int, str]], total: int) -> Distribution:
    missing = column_lexicon().missing
    answered = [(n, v) for n, v in cells if v and v.lower() not in missing and v not in col.missing_codes]
    behind: dict[str, list[int]] = defaultdict(list)
    counts: Counter[str] = Counter()
    if col.role == "multi_select" and col.separator:
        for (number, _), options in zip(
            answered, split_options([v for _, v in answered], col.separator), strict=True
        ):
            for option in dict.fromkeys(options):
                counts[option] += 1
                if len(behind[option]) < MAX_ROWS_KEPT:
                    behind[option].append(number)
    else:
        for number, value in answered:
            counts[value] += 1
            if len(behind[value]) < MAX_ROWS_KEPT:
                behind[value].append(number)
    respondents = len(answered)
    # A ticked option's column holds its label or nothing: a blank there is "not chosen", so the
    # share is of everyone in the table (38 of 48 chose it), never 100% of those who ticked it.
    unticked_blank = col.role == "flag" and bool(col.true_value) and set(counts) == {col.true_value}
    if unticked_blank:
        respondents = total
    ordered = _order(col, counts)
    listed = ordered[:MAX_ANSWERS]
    answers = [
        Answer(
            value=v, count=counts[v], share=counts[v] / respondents if respondents else 0.0, rows=behind[v]
        )
        for v in listed
    ]
    other = (
        len({n for n, v in answered} - {r for v in listed for r in behind[v]})
        if len(ordered) > MAX_ANSWERS
        else 0
    )
    result = Distribution(
        source=source,
        column=col.name,
        role=col.role,
        respondents=respondents,
        rows=total,
        answers=answers,
        other_answers=other,
        scale=col.scale,
        blank_is_no=unticked_blank,
    )
    numbers = [x for _, v in answered if (x := _point(col, v)) is not None]
    # Answers beside the scale ("Not applicable") are shares of the answers, not points of the mean.
    on_scale = respondents - sum(counts[v] for v in col.off_scale)
    if col.role in ("rating", "nps", "likert") and numbers and len(numbers) >= 0.9 * on_scale:
        result.mean = sum(numbers) / len(numbers)
    if col.role == "likert" and col.scale_labels and not numbers:
        points = {label.lower(): i + 1 for i, label in enumerate(col.scale_labels)}
        scored = [points[v.lower()] for _, v in answered if v.lower() in points]
        if scored:
            result.mean = sum(scored) / len(scored)
            result.scale = (1.0, float(len(col.scale_labels)))
    if col.role == "nps" and numbers:
        promoters = sum(x >= NPS_PROMOTER for x in numbers)
        detractors = sum(x <= NPS_DETRACTOR for x in numbers)
        result.nps = 100.0 * (promoters - detractors) / len(numbers)
    if col.role == "flag" and col.true_value and respondents:
        result.true_share = counts.get(col.true_value, 0) / respondents
    return result


def _point(col: ColumnProfile, value: str) -> float | None:
    """A scale answer as its point: the number, or the point an end label stands for."""
    number = to_number(value, col.decimal_comma)
    return number if number is not None else col.anchors.get(value)


def _order(col: ColumnProfile, counts: Counter[str]) -> list[str]:
    if col.role in ("rating", "nps") and all(_point(col, v) is not None for v in counts):
        return sorted(counts, key=lambda v: _point(col, v) or 0.0)
    if col.role == "likert" and col.scale_labels:
        rank = {label: i for i, label in enumerate(col.scale_labels)}
        return sorted(counts, key=lambda v: (rank.get(v, len(rank)), -counts[v]))
    return [v for v, _ in counts.most_common()]
