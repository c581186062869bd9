"""Decompose a journey map into atomic claims, each with its path in the map."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.maps.models import JourneyMap
from assistant.models import Citation

LIST_LANES: tuple[str, ...] = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")
# Lanes every stage of a complete map has.
REQUIRED_COMPONENTS: tuple[str, ...] = (*LIST_LANES, "emotion", "owner")


@dataclass
class MapClaim:
    """One checkable statement of a map."""

    path: str
    component: str  # a lane, "emotion", "owner" or "persona"
    stage: str | None
    text: str
    citations: list[Citation] = field(default_factory=list)
    emotion_score: float | None = None
    kpi_value: str | None = None
    context: str = ""  # for an opportunity: the pain point it addresses

    @property
    def subject(self) -> str:
        """What the claim asserts, without the figures and cross-references drafts append to it."""
        return normalise_claim(self.text)


# "(21 of 38 records, 55%)", "— addresses “Slow refunds” (56 records)": a draft's bookkeeping, checked
# elsewhere (frequencies against the digest); it would only blur what the claim is about.
_BOOKKEEPING = re.compile(r"\s*\([^()]*\d[^()]*\)|\s+—\s+addresses\b.*$")


def normalise_claim(text: str) -> str:
    """Strip parenthesised figures, an "— addresses ..." tail and surrounding quote marks."""
    stripped = _BOOKKEEPING.sub("", text).strip()
    return stripped.strip("“”\"' ") or text.strip()


def _split(text: str) -> list[str]:
    # "Phone line; live chat" in one cell is two claims; a sentence with a comma is one.
    parts = [p.strip() for p in re.split(r"\s*;\s*|\n+", text) if p.strip()]
    return parts or [text.strip()]


def map_claims(journey_map: JourneyMap) -> list[MapClaim]:
    """Every atomic claim of the map: persona traits, then each stage lane by lane."""
    claims: list[MapClaim] = []
    for index, trait in enumerate(journey_map.persona.traits):
        claims.append(MapClaim(f"persona.traits[{index}]", "persona", None, trait.text, list(trait.evidence)))
    for s_index, stage in enumerate(journey_map.stages):
        base = f"stages[{s_index}]"
        for lane in LIST_LANES:
            for i_index, item in enumerate(getattr(stage, lane)):
                text = item.text
                value = None
                if lane == "kpis":
                    value = item.value
                    text = item.name if item.name and item.name != item.text else item.text
                    if value:
                        text = f"{text} {value}".strip()
                parts = _split(text)
                for p_index, part in enumerate(parts):
                    path = f"{base}.{lane}[{i_index}]" + (f".part[{p_index}]" if len(parts) > 1 else "")
                    context = (getattr(item, "addresses", None) or "") if lane == "opportunities" else ""
                    claims.append(
                        MapClaim(
                            path,
                            lane,
                            stage.name,
                            part,
                            list(item.evidence),
                            kpi_value=value,
                            context=context,
                        )
                    )
        if stage.emotion is not None:
            emotion = stage.emotion
            claims.append(
                MapClaim(
                    f"{base}.emotion",
                    "emotion",
                    stage.name,
                    f"{emotion.score:+.1f} {emotion.label}",
                    list(emotion.evidence),
                    emotion_score=emotion.score,
                )
            )
        if stage.owner is not None:
            claims.append(
                MapClaim(f"{base}.owner", "owner", stage.name, stage.owner.text, list(stage.owner.evidence))
            )
    return claims


def missing_components(journey_map: JourneyMap) -> list[tuple[str, str, str]]:
    """(path, stage, component) of every required component a stage lacks."""
    missing = []
    for s_index, stage in enumerate(journey_map.stages):
        for component in REQUIRED_COMPONENTS:
            value = getattr(stage, component)
            if value is None or value == []:
                missing.append((f"stages[{s_index}].{component}", stage.name, component))
    return missing
