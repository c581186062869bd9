"""A journey map written as plain text, structured into stages and lanes by the LLM (no judging)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.context import Journey
from assistant.llm.fence import fence
from assistant.llm.structured import invoke_json
from assistant.maps.models import JourneyMap, Opportunity, PainPoint, Persona, Stage
from assistant.maps.store import map_id_for
from assistant.models import Claim
from assistant.prompts import load_prompt
from assistant.review.importers import MapFormatError, parse_emotion, parse_kpi

MAX_CHARS = 20_000
EXAMPLE = {
    "stages": [
        {
            "name": "purchase",
            "touchpoints": ["Website checkout"],
            "actions": ["Enters a promo code"],
            "thoughts": ["Why is delivery so expensive?"],
            "emotion": "-0.4 Frustrated",
            "pain_points": ["Delivery cost appears late"],
            "opportunities": ["Show delivery cost on product pages"],
            "kpis": ["Checkout completion 60%"],
            "owner": "E-commerce",
        }
    ]
}


class TextStage(BaseModel):
    """One stage as the model read it from the text."""

    name: str
    touchpoints: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    thoughts: list[str] = Field(default_factory=list)
    emotion: str | None = None
    pain_points: list[str] = Field(default_factory=list)
    opportunities: list[str] = Field(default_factory=list)
    kpis: list[str] = Field(default_factory=list)
    owner: str | None = None


class TextMap(BaseModel):
    """The stages of a text map."""

    stages: list[TextStage] = Field(min_length=1)


def structure_text_map(journey: Journey, path: Path) -> JourneyMap:
    """Ask the model to place the text's statements in stages and lanes; the reviewer then checks them."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if len(text) > MAX_CHARS:
        raise MapFormatError(
            f"{path.name}: {len(text):,} characters; plain-text maps are read up to {MAX_CHARS:,}"
        )
    stage_ids = ", ".join(journey.analyzer().stage_set.ids)
    system, user = load_prompt("structure").render(
        stages=stage_ids, text=fence(text), example=json.dumps(EXAMPLE, ensure_ascii=False)
    )
    parsed = invoke_json(journey.chat_model(), [("system", system), ("user", user)], TextMap)
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
        engine=f"imported (structured by {journey.settings.chat_model})",
    )
