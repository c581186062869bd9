"""Citation checks: every cited id must exist and every quote must be verbatim in its record.

Citations are checked, never trusted: an item whose citations all fail keeps its text but
becomes `basis="assumption"` with the failures noted, so the reviewer shows it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from assistant.maps.models import Emotion, JourneyMap
from assistant.models import Citation, Claim


@dataclass
class CitationProblem:
    """One citation that failed a check, and where it sits in the map."""

    path: str
    evidence_id: str
    reason: str  # "unknown evidence id" | "quote not verbatim in the evidence"


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (models often re-flow line breaks inside quotes)."""
    return " ".join(text.split())


def check_citation(citation: Citation, texts: Mapping[str, str]) -> str | None:
    """Return why a citation is invalid, or None when it holds."""
    text = texts.get(citation.evidence_id)
    if text is None:
        return "unknown evidence id"
    if citation.quote in text or normalise_space(citation.quote) in normalise_space(text):
        return None
    return "quote not verbatim in the evidence"


def cited_items(journey_map: JourneyMap) -> Iterator[tuple[str, Claim | Emotion]]:
    """Yield every citation-bearing item of a map with its path, e.g. `stages[2].pain_points[0]`."""
    for index, trait in enumerate(journey_map.persona.traits):
        yield f"persona.traits[{index}]", trait
    for s, stage in enumerate(journey_map.stages):
        for lane in ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis"):
            for i, item in enumerate(getattr(stage, lane)):
                yield f"stages[{s}].{lane}[{i}]", item
        if stage.emotion is not None:
            yield f"stages[{s}].emotion", stage.emotion
        if stage.owner is not None:
            yield f"stages[{s}].owner", stage.owner


def find_problems(journey_map: JourneyMap, texts: Mapping[str, str]) -> list[CitationProblem]:
    """Return every invalid citation of the map (persona quotes included)."""
    problems = []
    for index, quote in enumerate(journey_map.persona.quotes):
        reason = check_citation(quote, texts)
        if reason:
            problems.append(CitationProblem(f"persona.quotes[{index}]", quote.evidence_id, reason))
    for path, item in cited_items(journey_map):
        for citation in item.evidence:
            reason = check_citation(citation, texts)
            if reason:
                problems.append(CitationProblem(path, citation.evidence_id, reason))
    return problems


def enforce_citations(
    journey_map: JourneyMap, texts: Mapping[str, str]
) -> tuple[JourneyMap, list[CitationProblem]]:
    """Drop invalid citations; an item left with none becomes an assumption. Nothing is removed."""
    fixed = journey_map.model_copy(deep=True)
    problems: list[CitationProblem] = []
    fixed.persona.quotes = [q for q in fixed.persona.quotes if check_citation(q, texts) is None]
    for path, item in cited_items(fixed):
        valid = []
        for citation in item.evidence:
            reason = check_citation(citation, texts)
            if reason:
                problems.append(CitationProblem(path, citation.evidence_id, reason))
            else:
                valid.append(citation)
        _set_evidence(item, valid)
    return fixed, problems


def _set_evidence(item: BaseModel, valid: list[Citation]) -> None:
    # Assign without re-validation: a data claim briefly has no citations until basis changes.
    object.__setattr__(item, "evidence", valid)
    if not valid and getattr(item, "basis", None) == "data":
        object.__setattr__(item, "basis", "assumption")
