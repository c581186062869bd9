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
from fakes import (
    ScriptedChatModel,
    StubOpenAIServer,
    StubStep,
    cite_first,
    evidence_of,
    first_alias,
    persona_reply,
    stage_reply,
)

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.llm.errors import LLMOutputError
from assistant.llm.policy import CallPolicy
from assistant.llm.retry import is_transient, retry_after
from assistant.maps.citations import find_problems
from assistant.prompts import load_prompt
from assistant.settings import load_settings
from assistant.workflow import draft_map

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
    assert result.journey_map.engine == "scripted-model" and not result.warnings  # the model used
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


def test_an_invented_id_is_refused_and_corrected(small: Journey) -> None:
    wrong = {"evidence_id": "E999", "quote": "made up"}
    model = ScriptedChatModel([persona_reply, lambda m: stage_reply(m, citation=wrong), stage_reply])
    result = draft(small, model)
    correction = model.calls[2][-1][1]
    assert "cites E999, which the prompt never showed" in correction
    assert result.journey_map.stages[0].pain_points[0].basis == "data" and not result.warnings


def test_invented_ids_twice_fall_back_to_offline_with_the_reason(small: Journey) -> None:
    wrong = {"evidence_id": "E999", "quote": "made up"}
    fake = lambda m: stage_reply(m, citation=wrong)  # noqa: E731
    model = ScriptedChatModel([persona_reply, fake, fake])
    result = draft(small, model)
    assert "E999" in result.warnings[0] and "twice, after a corrective round" in result.warnings[0]
    stage = result.journey_map.stages[0]
    assert stage.pain_points and all(p.text != "Costs shown late" for p in stage.pain_points)
    assert not find_problems(result.journey_map, texts(small))


def test_a_reply_that_copies_the_shape_is_refused(small: Journey) -> None:
    def copied(messages: list[tuple[str, str]]) -> str:
        shape = messages[-1][1].rsplit("in this shape:", 1)[1].strip()
        return shape  # the template handed back as if it were a draft

    model = ScriptedChatModel([persona_reply, copied, stage_reply])
    result = draft(small, model)
    assert "repeats the prompt's template" in model.calls[2][-1][1]
    assert not result.warnings and result.journey_map.stages[0].pain_points[0].text == "Costs shown late"


def test_basis_follows_the_citations_and_an_alias_as_quote_takes_the_shown_quote(small: Journey) -> None:
    def sloppy(messages: list[tuple[str, str]]) -> str:
        first, other = list(evidence_of(messages))[:2]
        cited = {"evidence_id": other, "quote": f"[{first}]"}  # it pointed at [alias], no quote
        reply = json.loads(stage_reply(messages, citation=cited))
        for lane in ("touchpoints", "actions", "thoughts", "pain_points", "opportunities"):
            reply[lane][0]["basis"] = "data|assumption"  # the choices copied: never read
        reply["actions"][0]["evidence"] = []
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, sloppy])
    result = draft(small, model)
    stage = result.journey_map.stages[0]
    shown = evidence_of(model.calls[1])[first_alias(model.calls[1])]
    assert stage.pain_points[0].basis == "data" and stage.pain_points[0].evidence[0].quote == shown
    assert stage.actions[0].basis == "assumption"  # no citation: an assumption, whatever it said
    assert not result.warnings and not find_problems(result.journey_map, texts(small))


def test_citations_written_inline_as_the_shape_shows_are_read(small: Journey) -> None:
    def inline(messages: list[tuple[str, str]]) -> str:
        first = first_alias(messages)
        shown = evidence_of(messages)[first]
        reply = json.loads(stage_reply(messages))
        for lane in ("touchpoints", "actions", "thoughts", "pain_points", "opportunities"):
            reply[lane][0]["evidence"] = [f"{first}: {' '.join(shown.split()[:4])}"]
        reply["emotion"]["evidence"] = [f"[{first}]"]  # only the id: the quote the prompt showed for it
        reply["actions"][0]["evidence"] = [first]  # as the shape asks
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, inline])
    result = draft(small, model)
    assert '"evidence":["<id shown>"]' in model.calls[1][-1][1]
    stage = result.journey_map.stages[0]
    assert (
        stage.pain_points[0].basis == "data" and stage.emotion is not None and stage.emotion.basis == "data"
    )
    assert not result.warnings and not find_problems(result.journey_map, texts(small))


def test_an_invented_id_written_inline_is_refused(small: Journey) -> None:
    def invented(messages: list[tuple[str, str]]) -> str:
        reply = json.loads(stage_reply(messages))
        reply["pain_points"][0]["evidence"] = ["E77: made up words"]
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, invented, stage_reply])
    draft(small, model)
    correction = model.calls[2][-1][1]
    assert "cites E77, which the prompt never showed; cite only " in correction
    assert first_alias(model.calls[1]) in correction.split("cite only ", 1)[1]


def test_a_reply_cut_at_its_bound_gets_a_corrective_round(
    small: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = [
        _from_request(persona_reply),
        StubStep(content='{"touchpoints": [{"text": "We', finish_reason="length"),
        _from_request(stage_reply),
    ]
    with StubOpenAIServer(steps) as server:
        journey = http_journey(small, server, monkeypatch)
        result = draft_map(journey, stages=["purchase"], save=False)
    assert not result.warnings and len(server.requests) == 3
    correction = server.requests[2]["messages"][-1]["content"]
    assert f"cut off at its bound of {server.requests[1]['max_tokens']} tokens" in correction


def test_a_stage_reply_with_every_lane_empty_is_refused(small: Journey) -> None:
    empty = json.dumps(
        {"touchpoints": [], "actions": [], "thoughts": [], "pain_points": [], "opportunities": []}
    )
    model = ScriptedChatModel([persona_reply, lambda m: empty, lambda m: empty])
    result = draft(small, model)
    assert "leaves every lane empty" in model.calls[2][-1][1]
    assert "leaves every lane empty" in result.warnings[0]
    assert result.journey_map.stages[0].pain_points  # the offline stage, not an empty one


def test_every_call_is_bounded_and_the_prompt_shows_a_shape_not_an_example(small: Journey) -> None:
    model = ScriptedChatModel([persona_reply, stage_reply])
    draft(small, model)
    # At least the prompt file's bound, and enough for the longest reply the schema allows.
    persona_bound, stage_bound = (kw.get("max_tokens") or 0 for kw in model.call_kwargs)
    assert load_prompt("persona").max_tokens <= persona_bound <= 1500
    assert load_prompt("stage").max_tokens <= stage_bound <= 1500
    stage_prompt = model.calls[1][-1][1]
    shape = stage_prompt.split("shape:")[-1]
    assert '{"actions":[{"text":"<What customers do>"' in shape and "touchpoints" not in shape
    assert "only shown at the end" not in stage_prompt and "Website (40%)" not in stage_prompt


def test_unrepaired_quote_becomes_an_assumption_not_a_gap(small: Journey) -> None:
    def misquoted(messages: list[tuple[str, str]]) -> str:
        citation = cite_first(messages)
        citation["quote"] = "words that no record holds"
        return stage_reply(messages, citation=citation)

    model = ScriptedChatModel([persona_reply, misquoted, misquoted])
    result = draft(small, model)
    stage = result.journey_map.stages[0]
    assert "quote not verbatim" in model.calls[2][-1][1]  # the repair round names the problem
    assert [p.text for p in stage.pain_points] == ["Costs shown late"]  # kept, not dropped
    assert stage.pain_points[0].basis == "assumption" and stage.pain_points[0].evidence == []
    assert any(p.reason == "quote not verbatim in the evidence" for p in result.problems)


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
        journey.retry_policy = CallPolicy(max_backoff=0.01)
        result = draft_map(journey, stages=["purchase"], save=False)
    assert not result.warnings and len(server.requests) == 4
    # Every request was bounded and asked a local server for JSON fitting the reply's schema.
    formats = [r["response_format"] for r in server.requests]
    assert all(f["type"] == "json_object" and f["schema"]["type"] == "object" for f in formats)
    stage_prompt = server.requests[3]["messages"][1]["content"]
    cited = formats[3]["schema"]["properties"]["pain_points"]["items"]["properties"]["evidence"]["items"]
    # A citation may name only the ids this prompt shows: an invented id cannot be written.
    assert cited["enum"] and all(f"[{alias}]" in stage_prompt for alias in cited["enum"])
    assert formats[3]["schema"]["properties"]["pain_points"]["maxItems"] == 3
    # The bound goes out under both names: llama.cpp and friends read only the older `max_tokens`.
    bounds = [r.get("max_tokens") for r in server.requests]
    assert bounds == [r.get("max_completion_tokens") for r in server.requests]
    assert bounds[0] >= load_prompt("persona").max_tokens and bounds[2] >= load_prompt("stage").max_tokens


def test_http_timeout_gives_a_clear_warning_and_keeps_the_map(
    small: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = [_from_request(persona_reply)] + [StubStep(delay=1.5, content="{}") for _ in range(3)]
    with StubOpenAIServer(steps) as server:
        journey = http_journey(small, server, monkeypatch, timeout="0.3")
        journey.retry_policy = CallPolicy(max_backoff=0.01, timeout=0.3)
        result = draft_map(journey, stages=["purchase"], save=False)
    # One attempt only: a server keeps generating after the client gives up, so a retry would queue.
    assert len(server.requests) == 2
    assert "did not answer within 0.3 s" in result.warnings[0] and "not retried" in result.warnings[0]
    assert result.journey_map.stages[0].pain_points  # the offline stage stands in


class ProviderRateLimit(Exception):
    """Another provider's rate-limit error: no openai class, only an HTTP response with Retry-After."""

    def __init__(self) -> None:
        super().__init__("too many requests")
        self.response = httpx.Response(429, headers={"retry-after": "7"})


def test_faults_of_any_provider_are_classified() -> None:
    from langchain_core.exceptions import ModelError

    request = httpx.Request("POST", "http://model.invalid")
    assert is_transient(ProviderRateLimit()) and retry_after(ProviderRateLimit()) == 7.0
    assert is_transient(
        openai.RateLimitError("slow", response=httpx.Response(429, request=request), body=None)
    )
    assert is_transient(httpx.HTTPStatusError("x", request=request, response=httpx.Response(503)))
    assert not is_transient(httpx.HTTPStatusError("x", request=request, response=httpx.Response(400)))
    assert not is_transient(openai.APITimeoutError(request=request))  # timeouts: not retried
    assert not is_transient(ValueError("x"))
    assert isinstance(ModelError, type)


def test_another_providers_429_is_retried_after_its_retry_after(small: Journey) -> None:
    waits: list[float] = []
    model = ScriptedChatModel([persona_reply, ProviderRateLimit(), stage_reply])
    small.retry_policy = CallPolicy(sleep=waits.append)
    result = draft(small, model)
    assert not result.warnings and waits == [7.0] and len(model.calls) == 3


def test_langchain_fake_chat_model_drives_a_chain() -> None:
    from itertools import repeat

    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.llm.call_log import CallLog
    from assistant.llm.chains import structured_chain
    from assistant.llm.parsing import ReplyParser
    from assistant.review.judge import JudgeReply

    replies = iter(
        [AIMessage("Here: {"), AIMessage('{"verdicts": [{"claim": "C1", "verdict": "unsupported"}]}')]
    )
    log = CallLog()
    chain = structured_chain(
        load_prompt("judge"), GenericFakeChatModel(messages=replies), ReplyParser(schema_=JudgeReply)
    )
    reply = chain.invoke({"claims": "C1: x", "evidence": "", "shape": "{}"}, {"callbacks": [log]})
    assert reply.verdicts[0].verdict == "unsupported"
    assert [(p.corrective, p.ok) for p in log.parses] == [(False, False), (True, True)]
    assert [c.chain for c in log.calls] == ["judge", "judge"] and log.calls[1].corrective
    junk = GenericFakeChatModel(messages=repeat(AIMessage("no")))
    with pytest.raises(LLMOutputError, match="twice, after a corrective round"):
        structured_chain(load_prompt("judge"), junk, ReplyParser(schema_=JudgeReply)).invoke(
            {"claims": "C1: x", "evidence": "", "shape": "{}"}
        )


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
    with StubOpenAIServer([_from_request(persona_reply), *bad_steps]) as server:
        journey = http_journey(small, server, monkeypatch)
        journey.retry_policy = CallPolicy(max_backoff=0.01)
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


def test_a_pain_points_frequency_is_the_size_of_its_theme_never_the_models_figure(small: Journey) -> None:
    def with_figures(messages: list[tuple[str, str]]) -> str:
        reply = json.loads(stage_reply(messages))
        reply["pain_points"][0]["frequency"] = {"count": 206, "share": 15.9}  # "15.9%" copied as a share
        reply["pain_points"][0]["evidence"] = [first_alias(messages)]
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, with_figures])
    result = draft(small, model)
    assert not result.warnings
    pain = result.journey_map.stages[0].pain_points[0]
    cited = pain.evidence[0].evidence_id
    themes = [t for t in result.digest.stage("purchase").themes if cited in t.evidence_ids]
    assert pain.frequency is not None and themes
    assert (pain.frequency.count, pain.frequency.share) == (themes[0].count, themes[0].share)


def test_a_text_cut_at_the_schemas_limit_ends_at_a_whole_word() -> None:
    from assistant.maps.llm_drafter import ITEM_CHARS, trim_at_limit

    cut = ("the cutouts on the leggings started to rip " * 5)[:ITEM_CHARS]
    trimmed = trim_at_limit({"thoughts": [{"text": cut, "evidence": ["E1"]}]})
    text = trimmed["thoughts"][0]["text"]
    assert text.endswith("…") and cut.startswith(text[:-1]) and not text[:-1].endswith(" ")
    assert trimmed["thoughts"][0]["evidence"] == ["E1"]


def test_records_shown_under_a_theme_or_channel_get_aliases_named_from_it(small: Journey) -> None:
    model = ScriptedChatModel([persona_reply, stage_reply])
    draft(small, model)
    shown = evidence_of(model.calls[1])
    stage_prompt = model.calls[1][-1][1]
    themes = [line for line in stage_prompt.splitlines() if line.startswith("- ")]
    assert themes and shown
    label = themes[0][2:].split(":", 1)[0]
    named = "-".join(w[:10] for w in label.lower().replace(",", " ").split() if len(w) >= 3 and w.isalpha())
    assert any(alias.startswith(named.split("-")[0]) for alias in shown), (label, list(shown))


def test_touchpoints_kpis_and_owner_are_computed_never_the_models(small: Journey) -> None:
    def with_touchpoints(messages: list[tuple[str, str]]) -> str:
        reply = json.loads(stage_reply(messages))
        reply["touchpoints"] = [{"text": "Carrier pigeon", "evidence": []}]  # not asked for: ignored
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, with_touchpoints])
    result = draft(small, model)
    offline = draft_map(Journey(small.settings, small.store, small.retriever), stages=["purchase"], save=False)
    stage, computed = result.journey_map.stages[0], offline.journey_map.stages[0]
    assert [t.text for t in stage.touchpoints] == [t.text for t in computed.touchpoints]
    assert stage.kpis == computed.kpis and stage.owner == computed.owner
    assert stage.pain_points[0].text == "Costs shown late"  # the model's own lanes are kept


def test_a_cited_thought_reads_as_the_customers_words_it_cites(small: Journey) -> None:
    def summarised(messages: list[tuple[str, str]]) -> str:
        reply = json.loads(stage_reply(messages))
        reply["thoughts"] = [
            {"text": "Customer expresses frustration with costs", "evidence": [first_alias(messages)]},
            {"text": "Nobody reads the terms", "evidence": []},
        ]
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, summarised])
    result = draft(small, model)
    cited, uncited = result.journey_map.stages[0].thoughts
    assert cited.text == evidence_of(model.calls[1])[first_alias(model.calls[1])] and cited.basis == "data"
    assert uncited.text == "Nobody reads the terms" and uncited.basis == "assumption"  # kept as written


def test_ids_copied_into_a_text_stay_citations_and_leave_the_words(small: Journey) -> None:
    def copied(messages: list[tuple[str, str]]) -> str:
        alias = first_alias(messages)
        reply = json.loads(stage_reply(messages))
        reply["pain_points"][0] = {"text": f" Costs shown late — 3 records [{alias}]", "evidence": [alias]}
        return json.dumps(reply)

    model = ScriptedChatModel([persona_reply, copied])
    result = draft(small, model)
    pain = result.journey_map.stages[0].pain_points[0]
    assert pain.text == "Costs shown late — 3 records" and pain.basis == "data" and pain.evidence
