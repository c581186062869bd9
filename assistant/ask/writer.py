"""The LLM writes the answer from the same computed facts; its citations are checked, never trusted."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, Field

from assistant.ask.models import AskAnswer
from assistant.context import Journey
from assistant.llm.fence import fence
from assistant.llm.structured import LLMError, invoke_json
from assistant.maps.citations import check_citation
from assistant.prompts import load_prompt
from assistant.review.facts import WorkspaceFacts

REFERENCE = re.compile(r"\[(F\d+)\]")
EXAMPLE = {
    "answer": "Most shoppers who leave do so between checkout and payment (51.2% drop off) [F1]. "
    "The top reason customers give is the delivery cost appearing late [F3].",
}


class WrittenAnswer(BaseModel):
    """The model's answer: prose that refers to facts by their ids."""

    answer: str = Field(min_length=1)


def write_answer(journey: Journey, facts: WorkspaceFacts, answer: AskAnswer) -> AskAnswer:
    """Ask the model to write the answer from the facts; fall back to the offline answer on any fault."""
    listing = []
    for number, fact in enumerate(answer.facts, start=1):
        quotes = " ".join(f"«{fence(c.quote)}»" for c in fact.evidence[:2])
        tag = " (OUTSIDE CONTEXT: not the company's data; never rank it)" if fact.outside else ""
        listing.append(f"[F{number}] {fact.kind}: {fact.label}: {fact.figure}{tag} {quotes}".strip())
    system, user = load_prompt("answer").render(
        question=answer.question,
        facts="\n".join(listing),
        example=json.dumps(EXAMPLE, ensure_ascii=False),
    )
    try:
        written = invoke_json(journey.chat_model(), [("system", system), ("user", user)], WrittenAnswer)
    except LLMError as exc:
        return answer.model_copy(
            update={"warnings": [*answer.warnings, f"the model failed ({exc}); offline answer shown"]}
        )
    used = REFERENCE.findall(written.answer)
    unknown = [ref for ref in used if not 1 <= int(ref[1:]) <= len(answer.facts)]
    if unknown or not used:
        problem = f"unknown fact references {', '.join(unknown)}" if unknown else "no fact references"
        return answer.model_copy(
            update={"warnings": [*answer.warnings, f"the model's answer had {problem}; offline answer shown"]}
        )
    for fact in answer.facts:  # the facts' citations were computed by us; checked all the same
        if any(check_citation(c, facts.texts) for c in fact.evidence):
            return answer.model_copy(update={"warnings": [*answer.warnings, "a citation failed its check"]})
    refs = "\n".join(
        f"[F{n}] {f.label}: {f.figure} — " + ", ".join(f"`{c.evidence_id}`" for c in f.evidence)
        for n, f in enumerate(answer.facts, start=1)
    )
    return answer.model_copy(
        update={"answer": f"{written.answer}\n\nFacts:\n{refs}\n", "engine": journey.settings.chat_model}
    )
