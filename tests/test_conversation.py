"""A conversation that remembers: follow-ups read against the previous question, in both engines."""

from __future__ import annotations

import json

import pytest
from fakes import ScriptedChatModel
from typer.testing import CliRunner

from assistant import cli
from assistant.ask.conversation import Conversation, followup_words
from assistant.ask.service import ask
from assistant.context import Journey

DROPOFF = "why do customers drop off at checkout?"


def test_a_follow_up_keeps_the_question_and_stage_and_narrows_to_the_segment(sample: Journey) -> None:
    conversation = Conversation()
    first = ask(sample, None, DROPOFF, use_llm=False, conversation=conversation)
    follow = ask(sample, None, "and on mobile?", use_llm=False, conversation=conversation)
    assert follow.intent == "dropoff" and follow.stage == first.stage == "purchase"
    assert follow.follow_up and "device = mobile" in follow.follow_up and DROPOFF in follow.follow_up
    whole = {f.label: f.count or 0 for f in first.facts if f.kind == "why"}
    mobile = {f.label: f.count or 0 for f in follow.facts if f.kind == "why"}
    assert mobile and all(mobile[label] <= whole.get(label, mobile[label]) for label in mobile)
    assert sum(mobile.values()) < sum(whole.values())  # the themes are the segment's, not everyone's
    records = {r.id: r for r in sample.analyzer().records()}
    quoted = [c.evidence_id for f in follow.facts if f.kind == "why" for c in f.evidence]
    assert quoted and all(records[i].attributes.get("device") == "mobile" for i in quoted)
    # The 'who' section leads with the segment, and figures over whole tables say so.
    who = [f for f in follow.facts if f.kind == "who"]
    assert who and "mobile" in who[0].label
    assert any("not only device = mobile" in w for w in follow.warnings)


def test_a_new_topic_is_asked_in_the_same_segment_and_a_standalone_question_starts_afresh(
    sample: Journey,
) -> None:
    conversation = Conversation()
    ask(sample, None, DROPOFF, use_llm=False, conversation=conversation)
    ask(sample, None, "and on mobile?", use_llm=False, conversation=conversation)
    refunds = ask(sample, None, "what about refunds?", use_llm=False, conversation=conversation)
    assert refunds.intent == "topic" and refunds.follow_up and "“refunds”" in refunds.follow_up
    assert "device = mobile" in refunds.follow_up  # the filter is carried
    records = {r.id: r for r in sample.analyzer().records()}
    said = [c.evidence_id for f in refunds.facts if f.label == "Records that speak to it" for c in f.evidence]
    assert said and all(records[i].attributes.get("device") == "mobile" for i in said)
    fresh = ask(sample, None, "why do customers give 1-star reviews?", use_llm=False, conversation=conversation)
    assert fresh.follow_up is None and len(conversation.turns) == 4


def test_without_a_conversation_nothing_is_carried(sample: Journey) -> None:
    alone = ask(sample, None, "and on mobile?", use_llm=False)
    assert alone.follow_up is None


def test_the_model_reads_the_follow_up_with_the_conversation_as_message_history(sample: Journey) -> None:
    def reply(messages: list[tuple[str, str]]) -> str:
        return json.dumps({"answer": "Mobile shoppers leave at payment [F1]."})

    model = ScriptedChatModel([reply, reply])
    journey = Journey(settings=sample.settings, store=sample.store, retriever=sample.retriever, model=model)
    conversation = Conversation()
    ask(journey, None, DROPOFF, conversation=conversation)
    answer = ask(journey, None, "and on mobile?", conversation=conversation)
    roles = [role for role, _ in model.calls[1]]
    assert roles == ["system", "user", "assistant", "user"]  # the earlier turn, then the follow-up
    assert model.calls[1][1][1] == DROPOFF and "Mobile shoppers" in model.calls[1][2][1]
    assert "device = mobile" in model.calls[1][-1][1]  # the reading is part of the question sent
    assert answer.engine == "scripted-model" and answer.answer.startswith("_Read as a follow-up")


def test_follow_up_words_are_data_and_survive_yaml() -> None:
    words = followup_words()
    assert "on" in words.filler and "what about" in words.openers  # a bare `on` would load as True


def test_cli_chat_reads_follow_ups_against_the_last_question(
    sample: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_journey", lambda: sample)
    result = CliRunner().invoke(cli.app, ["chat"], input=f"{DROPOFF}\nand on mobile?\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Engine: offline") == 2
    assert "Read as a follow-up of" in result.stdout and "device = mobile" in result.stdout
