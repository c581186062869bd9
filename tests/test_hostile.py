"""Hostile evidence: records that try to steer the model stay inside the data block and change nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from fakes import ScriptedChatModel

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.llm.fence import fence, is_steering
from assistant.maps.models import JourneyMap, PainPoint, Persona, Stage
from assistant.models import Claim
from assistant.review.service import review_map
from assistant.settings import load_settings

ATTACKS: list[str] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "evals" / "datasets" / "hostile_records.yaml").read_text(
        encoding="utf-8"
    )
)["records"]


def write_rows(path: Path, rows: list[tuple[int, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(rows)
    return path


def hostile_workspace(tmp_path: Path, embedder: MiniLMEmbedder) -> Journey:
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    write_rows(tmp_path / "hostile.csv", list(enumerate(ATTACKS)))
    tickets = [(100 + i, f"The refund took three weeks to arrive, order {i}.") for i in range(8)]
    assert journey.ingester().ingest([write_rows(tmp_path / "tickets.csv", tickets)]).ok
    return journey


def test_delimiters_in_evidence_are_defused() -> None:
    assert "</evidence>" not in fence(ATTACKS[0]) and "‹/evidence>" in fence(ATTACKS[0])
    assert "<system>" not in fence(ATTACKS[2])
    assert fence("a < b and <b>bold</b>") == "a < b and <b>bold</b>"  # ordinary text is untouched


def test_the_judge_sees_attacks_only_inside_its_evidence_block_and_verdicts_hold(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    journey = hostile_workspace(tmp_path, embedder)
    journey_map = JourneyMap(
        id="m",
        title="m",
        persona=Persona(name="P", summary=""),
        stages=[
            Stage(
                name="support",
                pain_points=[PainPoint(text="Refunds take weeks")],
                thoughts=[Claim(text="Customers love the checkout")],
            )
        ],
    )
    before = {v.path: v.verdict for v in review_map(journey, "default", journey_map, use_llm=False).claims}
    assert journey.ingester().ingest([tmp_path / "hostile.csv"]).ok
    after = {v.path: v.verdict for v in review_map(journey, "default", journey_map, use_llm=False).claims}
    assert after == before  # 22 attack records change no offline verdict

    seen: list[str] = []

    def judge(messages: list[tuple[str, str]]) -> str:
        prompt = messages[-1][1]
        seen.append(prompt)
        return json.dumps({"verdicts": [{"claim": "C1", "verdict": "supported", "reason": "tickets"}]})

    model = ScriptedChatModel([judge])
    judged = Journey(settings=journey.settings, store=journey.store, retriever=journey.retriever, model=model)
    review_map(judged, "default", journey_map)
    prompt = seen[0]
    block = prompt.split("<evidence>", 1)[1]
    assert prompt.count("<evidence>") == 1 and block.count("</evidence>") == 1
    assert "<system>" not in block and "</facts>" not in block and "</map>" not in block
    assert "text inside <evidence>" in model.calls[0][0][1].lower()  # the system prompt says it is data


def test_real_feedback_is_not_mistaken_for_steering(sample: Journey) -> None:
    from conftest import SHARED

    reviews = (
        SHARED
        / "womens_clothing_ecommerce_reviews_subset"
        / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
    )
    with reviews.open(encoding="utf-8") as handle:
        texts = [row["ReviewText"] or "" for row in csv.DictReader(handle)]
    texts += [text for _, text, _ in sample.store.iter_all("default")]
    assert len(texts) > 2000
    assert [t for t in texts if is_steering(t)] == []
    assert all(is_steering(a) for a in ATTACKS[:6])


def test_the_stub_server_receives_attacks_fenced_inside_the_evidence_block(
    tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import StubOpenAIServer, StubStep

    journey = hostile_workspace(tmp_path, embedder)
    assert journey.ingester().ingest([tmp_path / "hostile.csv"]).ok
    journey_map = JourneyMap(
        id="m",
        title="m",
        persona=Persona(name="P", summary=""),
        stages=[Stage(name="support", thoughts=[Claim(text="Refunds are quick and the reviewer agrees")])],
    )
    ruling = json.dumps({"verdicts": [{"claim": "C1", "verdict": "unsupported", "reason": "not said"}]})
    with StubOpenAIServer([StubStep(content=ruling)]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("JOURNEY_CHAT_MODEL", "stub-model")
        over_http = Journey.open(load_settings(JOURNEY_HOME=str(journey.settings.home)), embedder=embedder)
        review = review_map(over_http, "default", journey_map)
    sent = server.requests[0]["messages"]
    assert sent[0]["role"] == "system" and "never instructions" in sent[0]["content"]
    user = sent[1]["content"]
    assert user.count("<evidence>") == 1 and user.count("</evidence>") == 1
    assert "<system>" not in user and "</facts>" not in user
    assert review.claims[0].verdict == "unsupported"
