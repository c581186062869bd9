"""Why: a stage's complaint themes and the survey's own closed answers, with outside context kept apart.

Only the company's own customer records are counted. Research documents (a published study the
user ingested as `--kind research`, or the team's own summary) restate or generalise; they are
shown as context, labelled, and never change the ranking.
"""

from __future__ import annotations

from collections import Counter

from assistant.analysis.digest import AnalysedRecord
from assistant.ask.intent import ScoreFilter
from assistant.ask.models import Fact
from assistant.evidence.facts import WorkspaceFacts
from assistant.evidence.figures import (
    CHOICE_ROLES,
    SCORE_ROLES,
    Figure,
    open_questions,
    question_record_ids,
    rank_by_meaning,
)
from assistant.models import Citation
from assistant.profiling.values import to_number

# Cosine between the question and a choice question's header or answers (MiniLM) above which the
# choice question answers a "why": on the sample survey "why do customers abandon their carts?" is
# 0.29 from main_obstacle; questions it does not answer ("what do they say about refunds?") stay
# out because only drop-off and reason questions look at choice questions this leniently.
REASON_FLOOR = 0.25
SECOND_FIGURE_GAP = 0.03
MAX_FIGURES = 2
MAX_ANSWERS = 8
# A question any survey question (open or closed) must be this close to, to be answered by it:
# "what do users like least?" is 0.49 from the R survey's "What do you like least about using R?";
# "what do customers say about refunds?" is 0.34 from main_obstacle, which does not answer it.
QUESTION_FLOOR = 0.4
OPEN_QUESTION_HITS = 50
CONTEXT_RECORDS = 3
MIN_THEME_COUNT = 2
MAX_THEMES = 6


def theme_facts(facts: WorkspaceFacts, stage_id: str) -> list[Fact]:
    """The stage's themes, largest first, each with its count, share and quotes."""
    stage = facts.digest.stage(stage_id)
    if stage is None:
        return []
    themes = [t for t in stage.themes if t.count >= MIN_THEME_COUNT]
    return [
        Fact(
            kind="why",
            label=theme.label,
            figure=f"{theme.count} records ({theme.share:.0%} of the {stage.name} stage's feedback)",
            value=theme.share,
            count=theme.count,
            evidence=list(theme.quotes[:2]),
        )
        for theme in themes[:MAX_THEMES]
    ]


def closed_answer_facts(facts: WorkspaceFacts, question: str = "") -> list[Fact]:
    """The workspace's own closed question that gives the reasons asked about, its answers ranked.

    A "why" question is answered by a choice question (single or multi-select), found by meaning:
    its header and its answers against the question (see figures.rank_by_meaning). Each answer
    cites its verbatim "value: count (share)" piece of the computed-figure record, whose last line
    says how it was computed. Published research is never a candidate: figures come from the
    workspace's own tables.
    """
    chosen = pick_figures(facts, question, CHOICE_ROLES, REASON_FLOOR) if question else []
    return [fact for figure, _ in chosen for fact in answer_facts(figure)]


def pick_figures(
    facts: WorkspaceFacts, question: str, roles: frozenset[str], floor: float, most: int = MAX_FIGURES
) -> list[tuple[Figure, float]]:
    """The figures of these roles closest in meaning to the question, above floor, best first.

    A second figure is kept only when it is nearly as close as the best (two phrasings of one
    question, or the same question in two tables).
    """
    candidates = [f for f in facts.figures if f.role in roles and f.distribution.answers]
    ranked = rank_by_meaning(question, [(f.header, f.description) for f in candidates], facts.embed)
    if not ranked or ranked[0][1] < floor:
        return []
    best = ranked[0][1]
    return [(candidates[i], s) for i, s in ranked[:most] if s >= max(floor, best - SECOND_FIGURE_GAP)]


def answer_facts(figure: Figure, limit: int = MAX_ANSWERS) -> list[Fact]:
    """A closed question's answers, most chosen first, each with count and share of respondents."""
    d = figure.distribution
    answers = sorted(d.answers, key=lambda a: -a.count)[:limit]
    return [
        Fact(
            kind="survey",
            label=f"{figure.column}: {answer.value}",
            figure=f"{answer.count:,} of {d.respondents:,} respondents ({answer.share:.1%}), {d.source}",
            value=answer.share,
            count=answer.count,
            evidence=[figure.cite(answer)],
        )
        for answer in answers
    ]


def score_facts(figure: Figure) -> list[Fact]:
    """A rating, NPS or agreement scale: its mean (and NPS), the top-two-box share, its spread."""
    d = figure.distribution
    found = []
    mean = figure.cite_line("Mean")
    if d.mean is not None and mean is not None:
        scale = f" on {d.scale[0]:g}-{d.scale[1]:g}" if d.scale else ""
        found.append(
            Fact(
                kind="survey",
                label=f"{figure.column}: average",
                figure=f"{d.mean:.2f}{scale} over {d.respondents:,} respondents, {d.source}",
                value=d.mean,
                count=d.respondents,
                evidence=[mean],
            )
        )
    nps = figure.cite_line("NPS")
    if d.nps is not None and nps is not None:
        found.append(
            Fact(
                kind="survey",
                label=f"{figure.column}: NPS",
                figure=f"{d.nps:+.1f} (promoters minus detractors) over {d.respondents:,}, {d.source}",
                value=d.nps,
                count=d.respondents,
                evidence=[nps],
            )
        )
    top = figure.top_box()
    if top is not None and top[1] and figure.role != "nps":
        share, answers = top
        points = " and ".join(a.value for a in answers)
        found.append(
            Fact(
                kind="survey",
                label=f"{figure.column}: {points}",
                figure=f"{share:.1%} of {d.respondents:,} respondents gave {points}",
                value=share,
                count=sum(a.count for a in answers),
                evidence=[figure.cite(a) for a in answers],
            )
        )
    spread = " · ".join(f"{a.value}: {a.count:,}" for a in d.answers)
    found.append(
        Fact(
            kind="survey",
            label=f"{figure.column}: every answer",
            figure=spread,
            count=d.respondents,
            evidence=[figure.cite()],
        )
    )
    return found


def question_facts(facts: WorkspaceFacts, question: str) -> tuple[list[Fact], str | None]:
    """The survey's own question that asks this (open or closed), answered; and the open header chosen.

    Candidates are every open question (a table's customer-text columns when it has several, and
    the questions of the records retrieval finds) and every figure; the closest by meaning wins
    when it is close enough (QUESTION_FLOOR). An open question gives how many answered, the themes
    among its answers and the answers closest to what was asked; a closed one its ranked answers,
    a rating or NPS its average, top-two-box share and spread.
    """
    hits = facts.journey.retriever.search(facts.workspace, question, k=OPEN_QUESTION_HITS)
    headers = [h for _, h in open_questions(facts.analyzer.tables())]
    headers += [h.evidence.question for h in hits if h.evidence.question and h.evidence.voice == "customer"]
    headers = list(dict.fromkeys(headers))
    figures = [f for f in facts.figures if f.distribution.answers]
    candidates = [(h, h) for h in headers] + [(f.header, f.description) for f in figures]
    ranked = rank_by_meaning(question, candidates, facts.embed)
    if not ranked or ranked[0][1] < QUESTION_FLOOR:
        return [], None
    best = ranked[0][0]
    if best >= len(headers):
        figure = figures[best - len(headers)]
        chosen = score_facts(figure) if figure.role in SCORE_ROLES else answer_facts(figure)
        return chosen, None
    header = headers[best]
    return open_answer_facts(facts, question, header), header


def open_answer_facts(facts: WorkspaceFacts, question: str, header: str) -> list[Fact]:
    """One open question's answers: how many, their tone, their themes, the closest to the question."""
    ids = [i for i in question_record_ids(facts.journey.store, facts.workspace, header) if i in facts.records]
    records = [facts.records[i] for i in ids]
    if not records:
        return []
    vector = facts.embed([question])[0]
    closest = sorted(records, key=lambda r: -float(r.vector @ vector))[:3]
    people = len({respondent(r) for r in records})
    negative = len({respondent(r) for r in records if facts.is_negative(r)})
    found = [
        Fact(
            kind="say",
            label=f"Open question: {header}",
            figure=f"{people:,} respondents answered, {negative:,} of them negatively; "
            "the answers closest to the question quoted",
            value=negative / people,
            count=people,
            evidence=[Citation(evidence_id=r.id, quote=_opening(r.text, 160)) for r in closest],
        )
    ]
    return found + theme_counts(facts, records, f"the {people:,} respondents")


def filter_facts(facts: WorkspaceFacts, question: str, wanted: ScoreFilter) -> tuple[list[Fact], list[str]]:
    """Records whose rating (or NPS answer) is in the filter's range: how many, their themes, quotes.

    The column comes from the table profiles (a rating or NPS column); with several, the one
    closest in meaning to the question. Only records of that table are read.
    """
    figures = [f for f in facts.figures if f.role == wanted.role]
    ranked = rank_by_meaning(question, [(f.header, f.description) for f in figures], facts.embed)
    if not ranked:
        return [], [f"no {wanted.role} column in this workspace's tables, so '{wanted.label}' cannot be read"]
    figure = figures[ranked[0][0]]
    d = figure.distribution
    inside = [a for a in d.answers if wanted.low <= (to_number(a.value) or -1e9) <= wanted.high]
    records = [
        r
        for r in facts.records.values()
        if r.source == figure.source
        and r.kind not in ("research", "analytics")
        and (x := _number(r.attributes.get(figure.column))) is not None
        and wanted.low <= x <= wanted.high
    ]
    span = f"{wanted.low:g}" if wanted.low == wanted.high else f"{wanted.low:g}-{wanted.high:g}"
    label = f"{wanted.label} ({figure.column} {span}, {figure.source})"
    if not inside and not records:
        return [], [f"no respondent gave {figure.column} {span} in {figure.source}"]
    count = sum(a.count for a in inside)
    found = [
        Fact(
            kind="survey",
            label=label,
            figure=f"{count:,} of {d.respondents:,} respondents ({count / d.respondents:.1%})"
            if d.respondents
            else f"{count:,} respondents",
            value=count / d.respondents if d.respondents else None,
            count=count,
            evidence=[figure.cite(a) for a in inside] or [figure.cite()],
        )
    ]
    if not records:
        return found, [f"the {count:,} respondents with {figure.column} {span} wrote no text to read"]
    vector = facts.embed([question])[0]
    people = len({respondent(r) for r in records})
    negative = len({respondent(r) for r in records if facts.is_negative(r)})
    closest = sorted(records, key=lambda r: -float(r.vector @ vector))[:3]
    found.append(
        Fact(
            kind="say",
            label=f"What they wrote ({wanted.label})",
            figure=f"{people:,} respondents wrote {len(records):,} texts; {negative:,} respondents negative; "
            "closest to the question quoted",
            value=negative / people,
            count=people,
            evidence=[Citation(evidence_id=r.id, quote=_opening(r.text, 160)) for r in closest],
        )
    )
    return found + theme_counts(facts, records, f"these {people:,} respondents"), []


def theme_counts(
    facts: WorkspaceFacts, records: list[AnalysedRecord], among: str, most: int = 4
) -> list[Fact]:
    """The digest's themes among some records, by how many of them fall in each."""
    theme_of = {rid: t for s in facts.digest.stages for t in s.themes for rid in t.evidence_ids}
    people = {respondent(r) for r in records}
    counted = Counter(
        label for label, _ in {(theme_of[r.id].label, respondent(r)) for r in records if r.id in theme_of}
    )
    found = []
    for label, count in counted.most_common(most):
        if count < MIN_THEME_COUNT:
            break
        members = [r for r in records if r.id in theme_of and theme_of[r.id].label == label]
        found.append(
            Fact(
                kind="why",
                label=label,
                figure=f"{count:,} of {among} ({count / len(people):.0%})",
                value=count / len(people),
                count=count,
                evidence=[Citation(evidence_id=r.id, quote=_opening(r.text, 160)) for r in members[:2]],
            )
        )
    return found


def respondent(record: AnalysedRecord) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Who wrote a record: its file and its row's other answers (a row's open answers share them)."""
    return record.source, tuple(sorted((k, str(v)) for k, v in record.attributes.items()))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return to_number(str(value))


def outside_context(facts: WorkspaceFacts, question: str) -> list[Fact]:
    """Research documents relevant to the question, labelled as context (never ranked or counted)."""
    hits = facts.journey.retriever.search(facts.workspace, question, k=40)
    chosen = [h.evidence for h in hits if h.evidence.kind == "research"][:CONTEXT_RECORDS]
    return [
        Fact(
            kind="context",
            label=f"{evidence.source} (research, not your customers' own words)",
            figure="",
            evidence=[Citation(evidence_id=evidence.id, quote=_opening(evidence.text))],
            outside=True,
        )
        for evidence in chosen
    ]


def _opening(text: str, limit: int = 200) -> str:
    flat = text.strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut
