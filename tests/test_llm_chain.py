"""The LLM drafting chain at our boundary: a scripted fake, and a stub OpenAI server over HTTP.

The fakes only stand in for the model. What is asserted is our handling: aliases mapped back to
evidence ids, citations checked against the store, repair rounds, corrective rounds, retries,
fallbacks, and that nothing is silently dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import openai
import pytest
from conftest import write
from fakes import ScriptedChatModel, StubOpenAIServer, StubStep, cite_first, persona_reply, stage_reply

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.maps.citations import find_problems
from assistant.maps.drafting import draft_map
from assistant.settings import load_settings

ROWS = [
    ("web", "mobile", "The delivery charge only showed up on the last page of checkout, so I gave up."),
    ("web", "desktop", "Shipping cost was added at the very end, nearly doubled the price of the cushions."),
    ("app", "mobile", "Apple Pay failed three times in the app and then my card was declined."),
    ("web", "mobile", "I had to create an account just to buy one lamp, no guest checkout at all."),
    (
        "email",
        "desktop",
        "Your promo code said invalid even though the email said it was valid until Sunday.",
    ),
    ("app", "mobile", "Payment screen froze on the bank verification step, order never went through."),
    ("web", "desktop", "Checkout was quick and easy, paid with PayPal, no problems."),
    ("chat", "mobile", "Why is the delivery fee only shown after I enter my card details?"),
]


@pytest.fixture
def small(tmp_path: Path, embedder: MiniLMEmbedder) -> Journey:
    lines = ["id,channel,device,comment"] + [f'{i},{c},{d},"{t}"' for i, (c, d, t) in enumerate(ROWS, 1)]
    write(tmp_path / "kb" / "checkout_feedback.csv", "\n".join(lines) + "\n")
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    assert journey.ingester().ingest([tmp_path / "kb"]).ok
    return journey


def draft(journey: Journey, model: object) -> object:
    journey.model = model
    return draft_map(journey, stages=["purchase"], title="Checkout map", save=False)


def texts(journey: Journey) -> dict[str, str]:
    return {i: t for i, t, _ in journey.store.iter_all("default")}


def test_valid_output_is_mapped_back_to_evidence_ids(small: Journey) -> None:
    model = ScriptedChatModel([persona_reply, stage_reply])
    result = draft(small, model)
    stage = result.journey_map.stages[0]
    citation = stage.pain_points[0].evidence[0]
    assert citation.evidence_id in texts(small)  # the alias E1 became a real id
    assert citation.quote in texts(small)[citation.evidence_id]
    assert stage.pain_points[0].basis == "data"
    assert result.journey_map.persona.name == "Scripted shopper"
    assert result.journey_map.engine == "gpt-4o-mini" and not result.warnings
    # Evidence reached the model only inside delimited data blocks.
    prompt = model.calls[1][-1][1]
    assert "<evidence>" in prompt and "</evidence>" in prompt
    assert not find_problems(result.journey_map, texts(small))


def test_invalid_json_gets_one_corrective_round(small: Journey) -> None:
    model = ScriptedChatModel([persona_reply, lambda m: "Sure! {not json}", stage_reply])
    result = draft(small, model)
    assert not result.warnings
    assert "not usable" in model.calls[2][-1][1] and "invalid JSON" in model.calls[2][-1][1]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (lambda m: "{not json", "invalid JSON"),
        (lambda m: "", "empty reply"),
        (lambda m: stage_reply(m, emotion={"score": 5, "label": "ecstatic"}), "emotion.score"),
        (lambda m: "[1, 2, 3]", "not an object"),
    ],
)
def test_junk_twice_falls_back_to_the_offline_stage_with_a_warning(small: Journey, bad, reason: str) -> None:
    model = ScriptedChatModel([persona_reply, bad, bad])
    result = draft(small, model)
    assert (
        len(result.warnings) == 1 and "stage purchase" in result.warnings[0] and reason in result.warnings[0]
    )
    stage = result.journey_map.stages[0]
    assert stage.pain_points and stage.emotion is not None  # the offline draft, complete
    assert "offline fallback" in result.journey_map.engine
    assert not find_problems(result.journey_map, texts(small))


def test_unknown_evidence_id_is_repaired(small: Journey) -> None:
    wrong = {"evidence_id": "E999", "quote": "made up"}
    model = ScriptedChatModel([persona_reply, lambda m: stage_reply(m, citation=wrong), stage_reply])
    result = draft(small, model)
    repair_prompt = model.calls[2][-1][1]
    assert "E999: unknown evidence id" in repair_prompt
    assert result.journey_map.stages[0].pain_points[0].basis == "data"


def test_unrepaired_citation_becomes_an_assumption_not_a_gap(small: Journey) -> None:
    wrong = {"evidence_id": "E999", "quote": "made up"}
    fake = lambda m: stage_reply(m, citation=wrong)  # noqa: E731
    model = ScriptedChatModel([persona_reply, fake, fake])
    result = draft(small, model)
    stage = result.journey_map.stages[0]
    assert [p.text for p in stage.pain_points] == ["Costs shown late"]  # kept, not dropped
    assert stage.pain_points[0].basis == "assumption" and stage.pain_points[0].evidence == []
    assert any(p.reason == "unknown evidence id" for p in result.problems)


def test_fabricated_quote_is_caught(small: Journey) -> None:
    def fabricated(messages):
        citation = cite_first(messages)
        citation["quote"] = "this sentence appears in no record"
        return stage_reply(messages, citation=citation)

    model = ScriptedChatModel([persona_reply, fabricated, fabricated])
    result = draft(small, model)
    assert all(p.basis == "assumption" for p in result.journey_map.stages[0].pain_points)
    assert any(p.reason == "quote not verbatim in the evidence" for p in result.problems)


def test_non_transient_errors_are_not_retried(small: Journey) -> None:
    model = ScriptedChatModel([persona_reply, ValueError("bad request shape")])
    result = draft(small, model)
    assert "model call failed" in result.warnings[0] and len(model.calls) == 2


# --- over HTTP, against an OpenAI-compatible stub server on loopback -------------------------


def http_journey(
    small: Journey, server: StubOpenAIServer, monkeypatch: pytest.MonkeyPatch, timeout: str = "10"
) -> Journey:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("JOURNEY_CHAT_MODEL", "stub-model")
    monkeypatch.setenv("JOURNEY_LLM_TIMEOUT", timeout)
    settings = load_settings(JOURNEY_HOME=str(small.settings.home))
    return Journey.open(settings, embedder=small.store.embedder)


def _from_request(script):
    def step(request: dict) -> StubStep:
        messages = [(m["role"], m["content"]) for m in request["messages"]]
        return StubStep(content=script(messages))

    return step


def test_http_contract_valid_output(small: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    with StubOpenAIServer([_from_request(persona_reply), _from_request(stage_reply)]) as server:
        journey = http_journey(small, server, monkeypatch)
        result = draft_map(journey, stages=["purchase"], save=False)
    assert result.journey_map.engine == "stub-model" and not result.warnings
    request = server.requests[1]
    assert request["model"] == "stub-model" and request["messages"][0]["role"] == "system"
    assert "<evidence>" in request["messages"][1]["content"]
    assert not find_problems(result.journey_map, texts(small))


def test_http_429_then_success_honours_retry_after(small: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [
        StubStep(status=429, headers={"retry-after": "0"}, body='{"error": {"message": "slow down"}}'),
        _from_request(persona_reply),
        StubStep(status=503, body='{"error": {"message": "overloaded"}}'),
        _from_request(stage_reply),
    ]
    with StubOpenAIServer(steps) as server:
        journey = http_journey(small, server, monkeypatch)
        monkeypatch.setattr("assistant.llm.structured.MAX_BACKOFF_S", 0.01)
        result = draft_map(journey, stages=["purchase"], save=False)
    assert not result.warnings and len(server.requests) == 4


def test_http_timeout_gives_a_clear_warning_and_keeps_the_map(
    small: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("assistant.llm.structured.MAX_BACKOFF_S", 0.01)
    steps = [_from_request(persona_reply)] + [StubStep(delay=1.5, content="{}") for _ in range(3)]
    with StubOpenAIServer(steps) as server:
        journey = http_journey(small, server, monkeypatch, timeout="0.3")
        result = draft_map(journey, stages=["purchase"], save=False)
    assert "did not answer after 3 attempts" in result.warnings[0]
    assert "Timeout" in result.warnings[0]
    assert result.journey_map.stages[0].pain_points  # the offline stage stands in


def test_openai_errors_are_classified() -> None:
    from assistant.llm.structured import _transient

    assert _transient(openai.APITimeoutError(request=httpx.Request("POST", "http://model.invalid")))
    assert not _transient(ValueError("x"))
    assert json.loads('{"a": 1}') == {"a": 1}


@pytest.mark.parametrize(
    ("bad_steps", "reason"),
    [
        (
            [StubStep(status=500, body='{"error": {"message": "boom"}}')] * 3,
            "did not answer after 3 attempts",
        ),
        ([StubStep(content='{"touchpoints": [{"text": "Web'), StubStep(content='{"actions": [')], "JSON"),
        ([StubStep(content="I'm sorry, but I can't help with that request.")] * 2, "JSON"),
        ([StubStep(content="")] * 2, "empty"),
    ],
    ids=["500-three-times", "truncated-json", "refusal", "empty-content"],
)
def test_http_faults_keep_the_persona_and_fall_back_for_the_stage(
    small: Journey, monkeypatch: pytest.MonkeyPatch, bad_steps: list[StubStep], reason: str
) -> None:
    monkeypatch.setattr("assistant.llm.structured.MAX_BACKOFF_S", 0.01)
    with StubOpenAIServer([_from_request(persona_reply), *bad_steps]) as server:
        journey = http_journey(small, server, monkeypatch)
        result = draft_map(journey, stages=["purchase"], save=False)
    assert len(server.requests) == 1 + len(bad_steps)  # retries are bounded
    assert result.warnings and reason.lower() in result.warnings[0].lower()
    assert result.journey_map.persona.name  # what the model drafted before the fault is kept
    assert result.journey_map.stages[0].pain_points  # the offline stage stands in, nothing dropped


def test_a_slow_but_timely_reply_is_used(small: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [
        _from_request(persona_reply),
        lambda request: StubStep(
            delay=0.5, content=stage_reply([(m["role"], m["content"]) for m in request["messages"]])
        ),
    ]
    with StubOpenAIServer(steps) as server:
        journey = http_journey(small, server, monkeypatch, timeout="5")
        result = draft_map(journey, stages=["purchase"], save=False)
    assert not result.warnings and result.journey_map.engine == "stub-model"
