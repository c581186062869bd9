"""Structured answers as facts: the closed questions of a workspace, read back from their figure records.

At ingest every closed column (choice, multi-select, rating, NPS, Likert, flag) of a table becomes
a computed-figure record whose text is `Distribution.render()`. Reading the figures back from that
text (not from the table file) means every answer, mean or NPS a fact shows is a verbatim piece of
a stored record: a citation of it opens to how it was computed (file, column, base), never to a
made-up quote. Which figure speaks to a question is decided by meaning (its header, its kind and
its answers, embedded), not by words in this code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.models import Citation
from assistant.profiling.distributions import Answer, Distribution
from assistant.profiling.saved import load_profile
from assistant.profiling.values import to_number
from assistant.store import EvidenceStore

# The kind labels Distribution.render() writes on a figure's first line, back to the column role.
ROLE_OF_LABEL = {
    "closed question": "closed_single",
    "multi-select question": "multi_select",
    "rating": "rating",
    "likelihood to recommend (0-10)": "nps",
    "agreement scale": "likert",
    "yes/no": "flag",
}
CHOICE_ROLES = frozenset({"closed_single", "multi_select"})
SCORE_ROLES = frozenset({"rating", "nps", "likert"})
ANSWER = re.compile(
    r"(?:^| · )(?P<piece>(?P<value>.+?): (?P<count>\d[\d,]*) \((?P<share>\d+(?:\.\d+)?)%\))(?= · |$)"
)
OTHER = re.compile(r" · other answers: (?P<other>\d[\d,]*)$")
HOW = re.compile(
    r"^Computed from column (?P<column>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") of (?P<source>.+?): "
    r"(?P<answered>\d[\d,]*) of (?P<rows>\d[\d,]*) respondents answered"
)
MEAN = re.compile(
    r"^Mean (?P<mean>-?\d+(?:\.\d+)?)(?: on (?P<low>-?\d+(?:\.\d+)?)-(?P<high>-?\d+(?:\.\d+)?))?\.$"
)
NPS = re.compile(r"^NPS (?P<nps>[+-]?\d+(?:\.\d+)?) ")
YES = re.compile(r"^Yes: (?P<share>\d+(?:\.\d+)?)%\.$")
MAX_DESCRIBED_ANSWERS = 12  # answers named in the text a figure is matched to a question by


@dataclass
class Figure:
    """A closed question's distribution and the computed-figure record that makes it citable."""

    record_id: str
    text: str
    distribution: Distribution
    pieces: dict[str, str] = field(default_factory=dict)  # answer value -> its verbatim "value: n (s%)"

    @property
    def column(self) -> str:
        """The question's header."""
        return self.distribution.column

    @property
    def source(self) -> str:
        """The table file."""
        return self.distribution.source

    @property
    def role(self) -> str:
        """The column's role (closed_single, rating, nps …)."""
        return self.distribution.role

    @property
    def how(self) -> str:
        """The record's 'Computed from …' line: how the figure was computed."""
        return self.text.strip().split("\n")[-1]

    @property
    def header(self) -> str:
        """The question as a reader says it: the header with separators as spaces."""
        return re.sub(r"[_\s]+", " ", self.column).strip()

    @property
    def description(self) -> str:
        """What the question asks and what people answered, for matching it to a question."""
        kind = next((label for label, role in ROLE_OF_LABEL.items() if role == self.role), self.role)
        values = [a.value for a in self.distribution.answers[:MAX_DESCRIBED_ANSWERS]]
        if self.role in SCORE_ROLES or self.role == "flag":
            return f"{self.header} ({kind})"
        return f"{self.header}: " + "; ".join(values)

    def cite(self, answer: Answer | None = None) -> Citation:
        """A citation of one answer ("value: count (share)"), or of the figure's answers line."""
        if answer is not None and answer.value in self.pieces:
            return Citation(evidence_id=self.record_id, quote=self.pieces[answer.value])
        return Citation(evidence_id=self.record_id, quote=self.answers_line)

    def cite_line(self, prefix: str) -> Citation | None:
        """A citation of the record's line that starts with prefix ("Mean", "NPS", "Yes")."""
        line = next((ln for ln in self.text.split("\n") if ln.startswith(prefix)), None)
        return Citation(evidence_id=self.record_id, quote=line) if line else None

    @property
    def answers_line(self) -> str:
        """The record's line listing every answer with its count and share."""
        return self.text.strip().split("\n")[-2]

    def numeric_answers(self) -> list[tuple[float, Answer]]:
        """Answers whose value is a number (scale points), lowest first."""
        found = [(x, a) for a in self.distribution.answers if (x := to_number(a.value)) is not None]
        return sorted(found, key=lambda pair: pair[0])

    def top_box(self, points: int = 2) -> tuple[float, list[Answer]] | None:
        """Share of respondents on the scale's top `points` points (4-5 of 5), with those answers."""
        scale = self.distribution.scale
        numbered = self.numeric_answers()
        if scale is None or not numbered or not self.distribution.respondents:
            return None
        chosen = [a for x, a in numbered if x > scale[1] - points]
        return sum(a.count for a in chosen) / self.distribution.respondents, chosen


def parse_figure(record_id: str, text: str) -> Figure | None:
    """Read a computed-figure record's text (Distribution.render()) back; None when it is not one."""
    lines = [ln for ln in text.strip().split("\n") if ln.strip()]
    if len(lines) < 3:
        return None
    how = HOW.match(lines[-1])
    if how is None:
        return None
    try:
        column = str(ast.literal_eval(how.group("column")))
    except (ValueError, SyntaxError):
        return None
    source = how.group("source")
    head = f"{column} ("
    tail = f", {source}): "
    if not lines[0].startswith(head) or tail not in lines[0]:
        return None
    role = ROLE_OF_LABEL.get(lines[0][len(head) : lines[0].rindex(tail)])
    if role is None:
        return None
    listed = lines[-2]
    other = OTHER.search(listed)
    if other:
        listed = listed[: other.start()]
    answers, pieces = [], {}
    for match in ANSWER.finditer(listed):
        value = match.group("value")
        share = float(match.group("share")) / 100
        answers.append(Answer(value=value, count=_int(match.group("count")), share=share))
        pieces[value] = match.group("piece")
    distribution = Distribution(
        source=source,
        column=column,
        role=role,
        respondents=_int(how.group("answered")),
        rows=_int(how.group("rows")),
        answers=answers,
        other_answers=_int(other.group("other")) if other else 0,
    )
    for line in lines[1:-2]:
        if m := MEAN.match(line):
            distribution.mean = float(m.group("mean"))
            if m.group("low") is not None:
                distribution.scale = (float(m.group("low")), float(m.group("high")))
        elif m := NPS.match(line):
            distribution.nps = float(m.group("nps"))
        elif m := YES.match(line):
            distribution.true_share = float(m.group("share")) / 100
    return Figure(record_id=record_id, text=text, distribution=distribution, pieces=pieces)


def figures_of(texts: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[Figure]:
    """Every computed figure among (record id, text) pairs, in a stable order (source, then column)."""
    pairs = texts.items() if isinstance(texts, Mapping) else texts
    found = [
        f
        for rid, text in pairs
        if text.rstrip().split("\n")[-1].startswith("Computed from column ")
        and (f := parse_figure(rid, text)) is not None
    ]
    return sorted(found, key=lambda f: (f.source, f.column))


@dataclass
class QuestionMatch:
    """A closed or open question of the workspace and how close it is to what was asked."""

    header: str
    similarity: float
    figure: Figure | None = None  # a closed question's figure; None for an open question


def rank_by_meaning(
    question: str,
    candidates: list[tuple[str, str]],
    embed: Callable[[list[str]], np.ndarray],
) -> list[tuple[int, float]]:
    """Candidates (header, description) ranked by meaning: the closer of header and description.

    A header alone ("What do you like least about using R?") and a header with its answers
    ("main obstacle: Delivery cost shown late; Had to create an account; …") say different amounts;
    each is compared with the question and the closer one counts.
    """
    if not candidates:
        return []
    vectors = embed([question] + [h for h, _ in candidates] + [d for _, d in candidates])
    asked, heads, described = vectors[0], vectors[1 : len(candidates) + 1], vectors[len(candidates) + 1 :]
    scores = np.maximum(heads @ asked, described @ asked)
    order = np.argsort(-scores, kind="stable")
    return [(int(i), float(scores[i])) for i in order]


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def own_figures(texts: Mapping[str, str], tables: Iterable[Path]) -> list[Figure]:
    """The workspace's figures, less those of tables read as published research (outside context)."""
    research = set()
    for path in tables:
        profile = load_profile(path)
        if profile is not None and profile.kind == "research":
            research.add(profile.source)
    return [f for f in figures_of(texts) if f.source not in research]


def figure_for_value(figures: Iterable[Figure], value: float, tolerance: float = 0.05) -> Figure | None:
    """A figure stating this number (a mean, an NPS, an answer's share), for a claim that quotes it.

    The reviewer's hook for numbers in claims (issue 13 builds the full checks on it).
    """
    for figure in figures:
        d = figure.distribution
        stated = [d.mean, d.nps, d.true_share] + [a.share for a in d.answers]
        if any(x is not None and abs(x - value) <= tolerance * max(1.0, abs(value)) for x in stated):
            return figure
    return None


def open_questions(tables: Iterable[Path]) -> list[tuple[str, str]]:
    """(table, header) of every open question of tables with several (each read as its own question)."""
    found = []
    for path in tables:
        profile = load_profile(path)
        if profile is not None and profile.kind != "research" and len(profile.text_columns) > 1:
            found += [(profile.source, header) for header in profile.text_columns]
    return found


def question_record_ids(store: EvidenceStore, workspace: str, header: str) -> list[str]:
    """Ids of the answers to one open question (the records whose `question` is its header)."""
    where = {"$and": [{"question": header}, {"kind": {"$ne": "analytics"}}]}
    return list(store.collection(workspace).get(where=where, include=[])["ids"])
