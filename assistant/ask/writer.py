"""The LLM writes the answer from the same computed facts; its citations are checked, never trusted."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from assistant.ask.models import AskAnswer
from assistant.context import Journey
from assistant.evidence.facts import WorkspaceFacts
from assistant.llm.chains import structured_chain, with_offline
from assistant.llm.errors import LLMError
from assistant.llm.fence import fence
from assistant.llm.parsing import ReplyParser
from assistant.llm.shape import shape_of
from assistant.maps.citations import check_citation
from assistant.prompts import load_prompt

REFERENCE = re.compile(r"\[(F\d+)\]")
class WrittenAnswer(BaseModel):
    """The model's answer: prose that refers to facts by their ids."""

    answer: str = Field(
        min_length=1,
        description="the answer in a few sentences, each figure or quote followed by its fact ids"
        " in brackets",
    )
    # A small model often wrote prose without a single [F2]; it names the facts here all the same.
    facts: list[str] = Field(default_factory=list, description="the ids of the facts the answer rests on")


def _fact_id(ref: Any) -> str:
    return str(ref).strip("[] ")  # "[F2]" and "F2" alike


def _listed(ref: str, facts: int) -> bool:
    return ref[:1] == "F" and ref[1:].isdigit() and 1 <= int(ref[1:]) <= facts


def fact_references(data: Any, facts: int) -> str | None:
    """Refuse an answer that rests on no fact, or refers to facts that were never listed."""
    text = data.get("answer") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return None  # the schema check says what is missing
    named = data.get("facts") if isinstance(data.get("facts"), list) else []
    used = REFERENCE.findall(text) + [_fact_id(ref) for ref in named]
    unknown = sorted({ref for ref in used if not _listed(ref, facts)})
    if unknown:
        return f"the answer refers to facts never listed ({', '.join(unknown)})"
    if not used:
        return "the answer refers to no fact by its id ([F1] …)"
    return None


def write_answer(
    journey: Journey,
    facts: WorkspaceFacts,
    answer: AskAnswer,
    history: list[tuple[str, str]] | None = None,
) -> AskAnswer:
    """Ask the model to write the answer from the facts; fall back to the offline answer on any fault.

    `history` (the conversation's last turns as messages) lets the model read a follow-up in context.
    """
    listing = []
    for number, fact in enumerate(answer.facts, start=1):
        quotes = " ".join(f"«{fence(c.quote)}»" for c in fact.evidence[:2])
        tag = " (OUTSIDE CONTEXT: not the company's data; never rank it)" if fact.outside else ""
        listing.append(f"[F{number}] {fact.kind}: {fact.label}: {fact.figure}{tag} {quotes}".strip())
    shape = shape_of(WrittenAnswer, choices={"facts": [f"F{n}" for n in range(1, len(answer.facts) + 1)]})
    parser = ReplyParser(
        schema_=WrittenAnswer,
        check=lambda data: fact_references(data, len(answer.facts)),
        placeholders=shape.placeholders,
    )
    failures: list[str] = []

    def offline(_values: Any, error: LLMError) -> None:
        failures.append(f"the model failed ({error}); offline answer shown")

    chain = with_offline(
        structured_chain(load_prompt("answer"), journey.chat_model(), parser, journey.policy, shape),
        offline,
        "offline_answer",
    )
    question = f"{answer.question} ({answer.follow_up})" if answer.follow_up else answer.question
    values = {
        "question": question,
        "facts": "\n".join(listing),
        "shape": shape.text,
        "history": history or [],
    }
    written: WrittenAnswer | None = chain.invoke(values, config={"callbacks": journey.callbacks})
    if written is None:
        return answer.model_copy(update={"warnings": [*answer.warnings, *failures]})
    for fact in answer.facts:  # the facts' citations were computed by us; checked all the same
        if any(check_citation(c, facts.texts) for c in fact.evidence):
            return answer.model_copy(update={"warnings": [*answer.warnings, "a citation failed its check"]})
    lead = f"_{answer.follow_up}_\n\n" if answer.follow_up else ""
    refs = "\n".join(
        f"[F{n}] {f.label}: {f.figure} — " + ", ".join(f"`{c.evidence_id}`" for c in f.evidence)
        for n, f in enumerate(answer.facts, start=1)
    )
    text = written.answer
    if not REFERENCE.search(text):  # the facts it named, said once at the end
        named = dict.fromkeys(_fact_id(ref) for ref in written.facts)
        text += " (from " + ", ".join(f"[{ref}]" for ref in named) + ")"
    return answer.model_copy(
        update={"answer": f"{lead}{text}\n\nFacts:\n{refs}\n", "engine": journey.engine}
    )
