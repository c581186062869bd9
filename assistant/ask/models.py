"""What an answer is made of: facts with figures and evidence, kept apart from outside context."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Citation

IntentKind = Literal["dropoff", "topic", "compare", "general"]
FactKind = Literal["where", "who", "why", "survey", "say", "compare", "context", "data_quality"]


class Fact(BaseModel):
    """One computed fact of an answer, with its figure and the records behind it."""

    kind: FactKind
    label: str
    figure: str = Field(description="The figure as shown, e.g. '48.8% (114,176 of 234,174)'.")
    value: float | None = Field(default=None, description="The number behind the figure, when there is one.")
    count: int | None = None
    evidence: list[Citation] = Field(default_factory=list)
    outside: bool = Field(
        default=False, description="True for outside context (published research), never ranked."
    )


class AskAnswer(BaseModel):
    """An answer: prose, the facts it rests on, every citation, and the engine that wrote it."""

    question: str
    intent: IntentKind
    stage: str | None = None
    answer: str
    facts: list[Fact] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    engine: str = "offline"
    thin_evidence: bool = False
    warnings: list[str] = Field(default_factory=list)
    follow_up: str | None = Field(
        default=None, description="How a follow-up was read against the conversation, when it was one."
    )
