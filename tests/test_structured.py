"""Structured answers as evidence: closed questions, ratings and NPS found by meaning, counted, cited."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from conftest import KNOWLEDGE, SHARED, write

from assistant.ask.intent import detect_intent
from assistant.ask.service import ask
from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.evidence.facts import WorkspaceFacts
from assistant.evidence.figures import figure_for_value, parse_figure
from assistant.maps.offline import OfflineDrafter
from assistant.settings import load_settings

pytestmark = pytest.mark.slow
SURVEY = KNOWLEDGE / "survey" / "customer_survey_2026q3.csv"
CLOTHING = (
    SHARED / "womens_clothing_ecommerce_reviews_subset" / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)
R_SURVEY = SHARED / "survey_r_community_2019" / "r_community_survey_2019_en_responses.csv"
LIKE_LEAST = "What do you like least about using R?"


def stored(journey: Journey, workspace: str = "default") -> dict[str, tuple[str, dict]]:
    return {i: (t, m) for i, t, m in journey.store.iter_all(workspace)}


def first_rows(source: Path, target: Path, rows: int) -> list[dict[str, str]]:
    """The header and the first rows of a real CSV, copied (quoted fields kept whole)."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        kept = [row for _, row in zip(range(rows), reader, strict=False)]
    out = io.StringIO()
    csv.writer(out).writerows([header, *kept])
    write(target, out.getvalue())
    return [dict(zip(header, row, strict=True)) for row in kept]


def test_figure_records_read_back_to_their_distribution() -> None:
    text = (
        "main_obstacle (closed question, s.csv): 10 respondents answered.\n"
        "Delivery cost shown late: 6 (60.0%) · Other: 4 (40.0%)\n"
        "Computed from column 'main_obstacle' of s.csv: 10 of 12 respondents answered "
        "(blanks left out; exact duplicate rows counted once)."
    )
    figure = parse_figure("r1", text)
    assert figure is not None and figure.role == "closed_single" and figure.column == "main_obstacle"
    d = figure.distribution
    assert (d.respondents, d.rows) == (10, 12)
    assert [(a.value, a.count, a.share) for a in d.answers] == [
        ("Delivery cost shown late", 6, 0.6),
        ("Other", 4, 0.4),
    ]
    assert figure.cite(d.answers[0]).quote == "Delivery cost shown late: 6 (60.0%)"
    assert figure_for_value([figure], 0.6) is figure and figure_for_value([figure], 0.2) is None
    assert parse_figure("r2", "Analytics table x.csv: 3 rows; columns: a, b.") is None


def test_why_abandon_carts_ranks_the_surveys_own_closed_question(sample: Journey) -> None:
    # Truth, counted from the CSV itself: main_obstacle over its 387 respondents.
    with SURVEY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    truth = Counter(r["main_obstacle"] for r in rows).most_common()
    assert truth[0] == ("Delivery cost shown late", 114) and len(rows) == 387

    answer = ask(sample, None, "why do customers abandon their carts?", use_llm=False)
    survey = [f for f in answer.facts if f.kind == "survey"]
    assert survey and all(f.label.startswith("main_obstacle: ") for f in survey)
    assert [(f.label.removeprefix("main_obstacle: "), f.count) for f in survey] == truth[: len(survey)]
    assert survey[0].figure.startswith("114 of 387 respondents (29.5%)")
    records = stored(sample)
    for fact in survey:  # each answer cites its verbatim piece of the computed-figure record
        (citation,) = fact.evidence
        text, meta = records[citation.evidence_id]
        assert citation.quote in text and meta["voice"] == "computed"
    assert survey[0].evidence[0].quote == "Delivery cost shown late: 114 (29.5%)"
    assert (
        "computed figure: Delivery cost shown late: 114 (29.5%) — Computed from column 'main_obstacle'"
        in (answer.answer)
    )
    # Published research stays labelled outside context, never among the counted answers.
    research = {i for i, (_, m) in records.items() if m.get("kind") == "research"}
    outside = [f for f in answer.facts if f.outside]
    assert outside and {c.evidence_id for f in outside for c in f.evidence} <= research
    assert not research & {c.evidence_id for f in answer.facts if not f.outside for c in f.evidence}


def test_the_app_reviews_rating_answers_how_customers_rate_the_app(sample: Journey) -> None:
    answer = ask(sample, None, "how do customers rate the app?", use_llm=False)
    survey = {f.label: f for f in answer.facts if f.kind == "survey"}
    # Truth from knowledge/reviews/app_store_reviews.csv: 234 ratings, mean 2.71, 21 fours and 53 fives.
    assert survey["rating: average"].figure.startswith("2.71 on 1-5 over 234 respondents")
    assert survey["rating: 4 and 5"].count == 74


def test_a_one_star_filter_reads_the_one_star_reviews(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    rows = first_rows(CLOTHING, tmp_path / "data" / "clothing_reviews.csv", 150)
    one_star = [r for r in rows if r["Rating"] == "1"]
    assert len(one_star) == 5  # counted by hand from the first 150 rows
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    assert journey.ingester().ingest([tmp_path / "data"]).ok

    assert detect_intent("why do customers give 1-star reviews?").score_filter is not None
    answer = ask(journey, None, "why do customers give 1-star reviews?", use_llm=False)
    counted = next(f for f in answer.facts if f.label.startswith("1-star (Rating 1"))
    assert counted.count == 5 and counted.figure.startswith("5 of 150 respondents (3.3%)")
    wrote = next(f for f in answer.facts if f.label.startswith("What they wrote"))
    assert wrote.count == 5
    records = stored(journey)
    for citation in wrote.evidence:  # every quote is from a 1-star review
        text, meta = records[citation.evidence_id]
        assert citation.quote in text and meta["a.rating"] == "1"


def test_the_r_surveys_like_least_question_answers_what_users_like_least(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    rows = first_rows(R_SURVEY, tmp_path / "data" / "r_survey.csv", 60)
    answered = sum(1 for r in rows if r[LIKE_LEAST].strip())
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    assert journey.ingester().ingest([tmp_path / "data"]).ok

    answer = ask(journey, None, "what do users like least?", use_llm=False)
    first = answer.facts[0]
    assert first.label == f"Open question: {LIKE_LEAST}" and first.count == answered
    records = stored(journey)
    assert all(records[c.evidence_id][1].get("question") == LIKE_LEAST for c in first.evidence)
    # A question no survey question asks is said plainly.
    other = ask(journey, None, "what do customers say about refunds?", use_llm=False)
    assert not any(f.label.startswith("Open question") for f in other.facts)


def test_drafted_kpis_take_their_value_from_the_rating_and_nps_figures(sample: Journey) -> None:
    facts = WorkspaceFacts(sample, "default")
    analyzer = sample.analyzer()
    drafter = OfflineDrafter(analyzer.stage_set, facts.texts)
    kpis = {k.name: k for s in analyzer.stage_set.stages for k in drafter.kpis(s, facts.digest)}
    rating = kpis["Product rating"]
    assert rating.value == "2.71" and rating.basis == "data"
    assert (
        rating.evidence[0].quote == "Mean 2.71 on 1-5."
        and rating.value in facts.texts[rating.evidence[0].evidence_id]
    )
    # Truth from the survey CSV: 119 promoters (9-10), 154 detractors (0-6) of 387: NPS -9.0.
    assert kpis["Net Promoter Score"].value == "-9.0"
    assert kpis["Customer satisfaction (CSAT)"].value is None  # no figure measures it
    assert {f.column for f in facts.figures} >= {"main_obstacle", "nps", "checkout_ease", "rating"}
