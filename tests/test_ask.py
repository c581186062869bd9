"""Answers on real inputs: the sample base's drop-off question, a survey beside published priors, the LLM writer."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHARED, write
from fakes import ScriptedChatModel
from typer.testing import CliRunner

from assistant import cli
from assistant.ask.intent import detect_intent
from assistant.ask.service import ask
from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.settings import load_settings

pytestmark = pytest.mark.slow
BAYMARD = (
    SHARED
    / "baymard_checkout_abandonment_reference"
    / "reasons_for_abandonment_during_checkout.csv"
)


def stored_texts(journey: Journey, workspace: str = "default") -> dict[str, str]:
    return {i: t for i, t, _ in journey.store.iter_all(workspace)}


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("why do customers drop off at checkout?", "dropoff"),
        ("Why don't people finish paying?", "dropoff"),
        ("What do customers say about refunds?", "topic"),
        ("mobile vs desktop: how do they differ?", "compare"),
        ("hello", "general"),
    ],
)
def test_intent_detection(question: str, kind: str) -> None:
    assert detect_intent(question).kind == kind


def test_the_dropoff_answer_gives_where_who_and_why_all_traceable(sample: Journey) -> None:
    answer = ask(sample, None, "why do customers drop off at checkout?", use_llm=False)
    assert answer.intent == "dropoff" and answer.stage == "purchase" and answer.engine == "offline"
    where = [f for f in answer.facts if f.kind == "where"]
    # Truth (weekly export): checkout -> payment loses most, 119,793 of 234,174 continue (51.2%).
    assert where[0].label.startswith("checkout → payment") and where[0].value == pytest.approx(
        0.5116, abs=0.001
    )
    who = [f for f in answer.facts if f.kind == "who"]
    assert "mobile 73.2% vs desktop 91.2%" in who[0].figure
    # The event log (truth: 3,406 reached checkout, 1,915 payment within 7 days of their first visit).
    log = [f for f in where if "events.csv" in f.label and "checkout → payment" in f.label]
    assert log and "1,915 of 3,406" in log[0].figure
    assert any("odds ratio" in f.figure for f in who)
    why = [f.label for f in answer.facts if f.kind == "why"]
    assert why[:4] == [
        "Delivery cost or extra fees revealed late",
        "Forced account creation or login problems",
        "Payment failed or was declined",
        "Promo or discount code problems",
    ]
    counts = [f.count for f in answer.facts if f.kind == "why"]
    assert counts == sorted(counts, reverse=True)
    texts = stored_texts(sample)
    assert answer.citations
    for citation in answer.citations:  # every figure and quote opens to a stored record
        assert citation.quote in texts[citation.evidence_id]
    context = [f for f in answer.facts if f.kind == "context"]
    assert all(f.outside for f in context)
    assert "not counted in the ranking" in answer.answer


def test_a_surveys_own_ranking_survives_published_priors_ingested_beside_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    rows = ["respondent_id,device,main_obstacle,comments"]
    reasons = (
        ["Price higher than elsewhere"] * 40
        + ["Shipping cost too high"] * 25
        + ["Had to create an account"] * 10
    )
    for number, reason in enumerate(reasons, start=1):
        comment = (
            "Found the same lamp cheaper on another site." if "Price" in reason else "Postage was too much."
        )
        rows.append(f"R{number:03d},{'mobile' if number % 2 else 'desktop'},{reason},{comment} (#{number})")
    data = tmp_path / "data"
    write(data / "checkout_survey.csv", "\n".join(rows) + "\n")
    shutil.copy(BAYMARD, tmp_path / "baymard.csv")
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    assert journey.ingester().ingest([data]).ok
    assert journey.ingester().ingest([tmp_path / "baymard.csv"], kind="research").ok

    answer = ask(journey, None, "why do customers drop off at checkout?", use_llm=False)
    survey = [f for f in answer.facts if f.kind == "survey"]
    assert [f.label for f in survey][:3] == [
        "main_obstacle: Price higher than elsewhere",
        "main_obstacle: Shipping cost too high",
        "main_obstacle: Had to create an account",
    ]
    assert survey[0].figure.startswith("40 of 75")
    # The published study shows only as labelled outside context, never among the counted reasons.
    baymard_ids = {i for i, t, m in journey.store.iter_all("default") if m.get("kind") == "research"}
    counted = [c.evidence_id for f in answer.facts if not f.outside for c in f.evidence]
    assert not baymard_ids & set(counted)
    outside = [f for f in answer.facts if f.outside]
    assert outside and {c.evidence_id for f in outside for c in f.evidence} <= baymard_ids
    assert "Outside context" in answer.answer
    assert answer.warnings and "no funnel data" in answer.warnings[0]


def test_thin_evidence_is_said(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    write(tmp_path / "t.csv", "id,text\n1,The checkout kept failing.\n2,Delivery cost appeared at the end.\n")
    assert journey.ingester().ingest([tmp_path / "t.csv"]).ok
    answer = ask(journey, None, "why do customers drop off at checkout?", use_llm=False)
    assert answer.thin_evidence and "evidence is thin" in answer.answer


def test_a_topic_answer_cites_customers_never_the_agents_replies(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    # Real support turns: agent replies are stored as context and must not stand for what customers say.
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    assert journey.ingester().ingest([SHARED / "support_twitter_customer_care" / "turns.csv"]).ok
    voices = {i: meta.get("voice") or "customer" for i, _, meta in journey.store.iter_all("default")}
    assert "company" in voices.values()
    answer = ask(journey, None, "what do customers complain about most?", use_llm=False)
    cited = [c.evidence_id for f in answer.facts for c in f.evidence if c.evidence_id in voices]
    assert cited and all(voices[i] == "customer" for i in cited)


def _scripted(sample: Journey, *steps: Callable[[list[tuple[str, str]]], str]) -> Journey:
    """The sample base with a scripted model answering each call with the next step."""
    return Journey(
        settings=sample.settings, store=sample.store, retriever=sample.retriever, model=ScriptedChatModel(list(steps))
    )


DROP_OFF = "why do customers drop off at checkout?"


def test_the_model_writes_from_the_facts_and_bad_references_fall_back(sample: Journey) -> None:
    def good(messages: list[tuple[str, str]]) -> str:
        assert "<facts>" in messages[-1][1] and "OUTSIDE CONTEXT" in messages[-1][1]
        return json.dumps(
            {"answer": "Most leave between checkout and payment [F1]; delivery cost is why [F6]."}
        )

    answer = ask(_scripted(sample, good), None, DROP_OFF)
    assert answer.engine == "scripted-model"
    assert answer.answer.startswith("Most leave") and "[F1]" in answer.answer

    weather = json.dumps({"answer": "It is the weather [F999]."})
    fallback = ask(_scripted(sample, lambda _m: weather, lambda _m: weather), None, DROP_OFF)
    assert fallback.engine == "offline" and "F999" in fallback.warnings[-1]
    assert "after a corrective round" in fallback.warnings[-1]
    assert "### Where customers drop off" in fallback.answer


def test_an_answer_naming_its_facts_only_in_the_list_says_them_once_at_the_end(sample: Journey) -> None:
    unreferenced = json.dumps({"answer": "Most leave between checkout and payment.", "facts": ["F1", "[F2]"]})
    answer = ask(_scripted(sample, lambda _m: unreferenced), None, DROP_OFF)
    assert answer.engine == "scripted-model"
    assert answer.answer.startswith("Most leave between checkout and payment. (from [F1], [F2])")

    silent = json.dumps({"answer": "Most leave.", "facts": []})
    fallback = ask(_scripted(sample, lambda _m: silent, lambda _m: silent), None, DROP_OFF)
    assert fallback.engine == "offline" and "refers to no fact" in fallback.warnings[-1]


def test_cli_ask_json_shape(sample: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_journey", lambda: sample)
    result = CliRunner().invoke(cli.app, ["ask", "why do customers drop off at checkout?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"answer", "facts", "citations", "engine"} <= set(data)
    assert data["facts"][0]["figure"] and data["facts"][0]["evidence"]
