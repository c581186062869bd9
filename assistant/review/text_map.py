"""A journey map written as plain text, structured into stages and lanes by the LLM (no judging)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from assistant.context import Journey
from assistant.llm.chains import structured_chain
from assistant.llm.fence import fence
from assistant.llm.parsing import ReplyParser
from assistant.llm.shape import shape_of
from assistant.maps.models import JourneyMap, Opportunity, PainPoint, Persona, Stage
from assistant.maps.store import map_id_for
from assistant.models import Claim
from assistant.prompts import load_prompt
from assistant.review.importers import MapFormatError, parse_emotion, parse_kpi

MAX_CHARS = 20_000
class TextStage(BaseModel):
    """One stage as the model read it from the text."""

    name: str = Field(description="stage id")
    touchpoints: list[str] = Field(default_factory=list, description="a channel, in the author's words")
    actions: list[str] = Field(default_factory=list, description="what the customer does, as written")
    thoughts: list[str] = Field(default_factory=list, description="what the customer thinks, as written")
    emotion: str | None = Field(default=None, description="score in [-1, 1] and a label, as written")
    pain_points: list[str] = Field(default_factory=list, description="a problem, as written")
    opportunities: list[str] = Field(default_factory=list, description="an improvement, as written")
    kpis: list[str] = Field(default_factory=list, description="a metric and its value, as written")
    owner: str | None = Field(default=None, description="the owning team, as written")


class TextMap(BaseModel):
    """The stages of a text map."""

    stages: list[TextStage] = Field(min_length=1, description="the stages, in the document's order")


def structure_text_map(journey: Journey, path: Path) -> JourneyMap:
    """Ask the model to place the text's statements in stages and lanes; the reviewer then checks them."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if len(text) > MAX_CHARS:
        raise MapFormatError(
            f"{path.name}: {len(text):,} characters; plain-text maps are read up to {MAX_CHARS:,}"
        )
    stage_ids = ", ".join(journey.analyzer().stage_set.ids)
    shape = shape_of(TextMap)
    parser = ReplyParser(schema_=TextMap, placeholders=shape.placeholders)
    chain = structured_chain(load_prompt("structure"), journey.chat_model(), parser, journey.policy)
    values = {"stages": stage_ids, "text": fence(text), "shape": shape.text}
    parsed: TextMap = chain.invoke(values, config={"callbacks": journey.callbacks})
    stages = []
    for item in parsed.stages:
        stages.append(
            Stage(
                name=item.name.strip().lower(),
                touchpoints=[Claim(text=t) for t in item.touchpoints if t.strip()],
                actions=[Claim(text=t) for t in item.actions if t.strip()],
                thoughts=[Claim(text=t) for t in item.thoughts if t.strip()],
                emotion=parse_emotion(item.emotion) if item.emotion else None,
                pain_points=[PainPoint(text=t) for t in item.pain_points if t.strip()],
                opportunities=[Opportunity(text=t) for t in item.opportunities if t.strip()],
                kpis=[parse_kpi(t) for t in item.kpis if t.strip()],
                owner=Claim(text=item.owner) if item.owner else None,
            )
        )
    title = path.stem.replace("_", " ")
    return JourneyMap(
        id=map_id_for(title),
        title=title,
        persona=Persona(name="Unnamed persona", summary="Structured from plain text by the model."),
        stages=stages,
        engine=f"imported (structured by {journey.engine})",
    )
