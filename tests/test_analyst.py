"""The chat talks like an analyst: a takeaway first, references once, plain-language reviews."""

from __future__ import annotations

import re

from assistant.ask.conversation import Conversation
from assistant.context import Journey
from assistant.web.analyst import md, plain
from assistant.web.chat import Reply, respond
from assistant.workflow import draft_map

HEX_ID = re.compile(r"\b[0-9a-f]{24}\b")


def final(journey: Journey, message: str, **kwargs: object) -> tuple[list[str], Reply]:
    steps: list[str] = []
    reply: Reply | None = None
    for update in respond(journey, "default", message, **kwargs):  # type: ignore[arg-type]
        if isinstance(update, Reply):
            reply = update
        else:
            steps.append(update)
    assert reply is not None
    return steps, reply


def test_the_dropoff_answer_opens_with_its_takeaway_and_lists_no_references_in_the_text(
    sample: Journey,
) -> None:
    _, reply = final(sample, "why do customers drop off at checkout?", current=None)
    first = reply.parts()[0]
    assert first.startswith("**Takeaway:** The biggest loss is at checkout → payment: 51.2% continue")
    assert "Delivery cost or extra fees revealed late" in first
    assert "References:" not in reply.markdown and not HEX_ID.search(reply.markdown)
    assert f"{len(reply.citations)} references, listed under the chat" in reply.markdown
    assert len(reply.parts()) > 3  # streamed section by section


def test_a_follow_up_says_which_answer_it_narrows(sample: Journey) -> None:
    conversation = Conversation()
    final(sample, "why do customers drop off at checkout?", current=None, conversation=conversation)
    _, reply = final(sample, "and on mobile?", current=None, conversation=conversation)
    assert "↳ _Read as a follow-up of “why do customers drop off at checkout?”" in reply.markdown
    assert "device = mobile" in reply.markdown


def test_a_review_in_the_chat_speaks_in_the_grids_words(sample: Journey) -> None:
    drafted = draft_map(sample, title="Reviewed in chat", save=False).journey_map
    steps, reply = final(sample, "review the map", current=drafted)
    assert reply.markdown.startswith("**Takeaway:**") and "claims rest on the data" in reply.markdown
    assert "stages[" not in reply.markdown and "persona.traits[" not in reply.markdown
    assert not HEX_ID.search(reply.markdown) and "similarity" not in reply.markdown
    assert any("·" in line for line in reply.markdown.splitlines() if line.startswith("- **"))
    assert len(steps) > 1  # the review's steps were shown as it went


def test_evidence_cannot_format_the_chat() -> None:
    assert md("**Buy now** _cheap_ <b>x</b> [link](http://x) # head") == (
        "\\*\\*Buy now\\*\\* \\_cheap\\_ &lt;b&gt;x&lt;/b&gt; \\[link\\](http://x) \\# head"
    )
    assert plain("cites 0123456789abcdef01234567 (similarity 0.13)") == "cites a record"


def test_when_nothing_speaks_to_the_question_the_answer_says_so(journey: Journey) -> None:
    from conftest import write

    write(journey.settings.home / "notes.txt", "The office plants were watered on Tuesday.")
    journey.ingester().ingest([journey.settings.home / "notes.txt"])
    _, reply = final(journey, "why do customers drop off at checkout?", current=None)
    assert reply.parts()[0].startswith("**The data in this workspace does not speak to this question**")
