"""The app's building blocks: first-start ingest, answers with escaped evidence, the layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

import app
from assistant.answers import search_answer
from assistant.context import Journey


def test_answers_cite_sources_and_escape_evidence(journey: Journey, tmp_path: Path) -> None:
    write(
        tmp_path / "reviews.csv",
        'id,text\n1,"<script>alert(1)</script> checkout kept failing and support never answered"\n',
    )
    journey.ingester().ingest([tmp_path / "reviews.csv"])
    answer = search_answer(journey, "default", "checkout failing")
    assert "<script>" not in answer.markdown and "&lt;script&gt;" in answer.markdown
    assert "reviews.csv, row 1" in answer.markdown
    assert "[1]" in answer.markdown and answer.hits[0].evidence.id not in answer.markdown


def test_no_evidence_says_so(journey: Journey) -> None:
    answer = search_answer(journey, "default", "anything at all")
    assert "no evidence" in answer.markdown and answer.hits == []


def test_first_start_ingests_the_sample_base_once(
    journey: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = tmp_path / "knowledge"
    write(sample / "notes.txt", "Sample customers complain about delivery fees at checkout.")
    monkeypatch.setattr(app, "SAMPLE_KNOWLEDGE", sample)
    app.ensure_sample_data(journey, "default")
    assert journey.store.count("default") == 1
    write(sample / "more.txt", "Not ingested: the workspace is no longer empty.")
    app.ensure_sample_data(journey, "default")
    assert journey.store.count("default") == 1


def test_app_builds_with_the_engine_shown(journey: Journey) -> None:
    demo = app.build_app(journey, "default")
    assert "Engine: **offline**" in str(demo.config)


def test_chat_routes_each_kind_of_message() -> None:
    from assistant.web.chat import route_of

    assert route_of("Draft a journey map please") == "draft"
    assert route_of("review the map") == "review"
    assert route_of("why do customers drop off at checkout?") == "ask"
    assert route_of("what do customers say about refunds?") == "ask"
    assert route_of("shipping cost") == "search"
