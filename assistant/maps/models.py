"""The journey map data model (Pydantic v2): the JSON contract of drafts, exports and reviews.

Field descriptions are prompt text: the LLM chains see them as the schema's documentation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Citation, Claim


class Frequency(BaseModel):
    """How often a pain point occurs in the stage's evidence."""

    model_config = ConfigDict(extra="forbid")

    count: int = Field(ge=0, description="Records of the stage that show this pain point.")
    share: float = Field(ge=0, le=1, description="count divided by the stage's records.")


class PersonaTrait(Claim):
    """One trait of the persona: a demographic, goal, motivation, behaviour or frustration."""

    category: Literal["demographic", "goal", "motivation", "behaviour", "frustration"] = Field(
        description="Which part of the persona this trait describes."
    )


class Persona(BaseModel):
    """Who the map is about."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="A short memorable name, e.g. 'Mobile-first Maya'.")
    summary: str = Field(description="One or two sentences on who this is.")
    size: Frequency | None = Field(
        default=None, description="How many customers in the evidence this persona covers."
    )
    traits: list[PersonaTrait] = Field(default_factory=list, description="Cited traits.")
    quotes: list[Citation] = Field(default_factory=list, description="Representative verbatim quotes.")


class Emotion(BaseModel):
    """How customers feel in a stage: a score for the emotion curve and a label."""

    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=-1, le=1, description="-1 very negative … +1 very positive.")
    label: str = Field(description="One or two words, e.g. 'frustrated', 'relieved'.")
    basis: Literal["data", "assumption"] = Field(default="assumption")
    evidence: list[Citation] = Field(default_factory=list)
    author: Literal["draft", "user"] = Field(default="draft", description="'user' when a person set it.")


class PainPoint(Claim):
    """A problem customers meet in the stage."""

    frequency: Frequency | None = Field(default=None, description="How often it appears in the data.")


class Opportunity(Claim):
    """A change that would remove a pain point, with the KPI that shows it worked."""

    addresses: str | None = Field(default=None, description="The pain point it addresses.")
    kpi: str | None = Field(default=None, description="The KPI to watch.")


class KPI(Claim):
    """A metric for the stage; `value` when the data has it."""

    name: str = Field(description="Short metric name, e.g. 'checkout → payment conversion'.")
    definition: str = Field(description="How it is computed.")
    value: str | None = Field(default=None, description="Its current value when the data has it.")


class Stage(BaseModel):
    """One stage of the journey with every lane of the map."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Stage id, e.g. 'purchase'.")
    touchpoints: list[Claim] = Field(default_factory=list, description="Channels used in the stage.")
    actions: list[Claim] = Field(default_factory=list, description="What customers do.")
    thoughts: list[Claim] = Field(default_factory=list, description="What they think, as quotes.")
    emotion: Emotion | None = Field(default=None, description="How they feel.")
    pain_points: list[PainPoint] = Field(default_factory=list, description="Problems customers meet.")
    opportunities: list[Opportunity] = Field(
        default_factory=list, description="Changes that would remove a pain point."
    )
    kpis: list[KPI] = Field(default_factory=list)
    owner: Claim | None = Field(default=None, description="Department that owns the stage.")


class MapEdit(BaseModel):
    """One edit a person made: what, where (in the grid's words) and the text before and after."""

    model_config = ConfigDict(extra="forbid")

    action: Literal[
        "edit", "add", "delete", "move", "rename_stage", "add_stage", "remove_stage", "move_stage", "persona"
    ]
    stage: str = Field(default="", description="The stage's name at the time ('' for the persona).")
    lane: str = Field(default="", description="The lane ('' for a stage-level edit).")
    before: str = ""
    after: str = ""
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class Comment(BaseModel):
    """A comment on an item (or a whole stage), anchored by what it is about, not by its position."""

    model_config = ConfigDict(extra="forbid")

    stage: str = Field(description="The stage's name ('' for the persona).")
    lane: str = Field(default="", description="The lane ('' for the whole stage).")
    item: str = Field(default="", description="The item's text when commented ('' for a whole cell).")
    text: str = Field(min_length=1)
    author: str = Field(default="", description="Who wrote it, when the app knows.")
    department: str = Field(default="", description="The commenter's department, to filter by.")
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def by(self) -> str:
        """Who wrote it, as shown: 'Ana · Support', or 'someone' when neither is known."""
        return " · ".join(x for x in (self.author, self.department) if x) or "someone"


class SourceSummary(BaseModel):
    """What evidence the map was drawn from."""

    model_config = ConfigDict(extra="forbid")

    counts: dict[str, int] = Field(default_factory=dict, description="Records by kind.")
    first: datetime | None = None
    last: datetime | None = None


class JourneyMap(BaseModel):
    """A persona and its stage-by-stage journey, every item citing evidence or marked assumption."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id of the map (versions share it).")
    title: str
    scope: str = Field(default="", description="What part of the business the map covers.")
    persona: Persona
    stages: list[Stage]
    sources: SourceSummary = Field(default_factory=SourceSummary)
    engine: str = Field(default="offline", description="'offline' or the model that drafted it.")
    stage_set: str = Field(default="", description="The stage set it was drafted with ('' unknown).")
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    version: int = Field(default=1, ge=1)
    version_name: str = Field(default="", description="A name the user gave this version.")
    edits: list[MapEdit] = Field(default_factory=list, description="The user's edits, oldest first.")
    comments: list[Comment] = Field(default_factory=list, description="Comments on items or stages.")

    def content(self) -> dict[str, object]:
        """What the map says, without when, which version or what it is called: equal = unchanged."""
        return self.model_dump(mode="json", exclude={"id", "created_at", "version", "version_name", "edits"})
