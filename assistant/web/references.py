"""The evidence a map cites, numbered once in the order the map cites it, for exports to list.

A deck or a shared file cannot open the evidence store, so exports carry each cited record's
source, place and text as a numbered reference ("[3] reviews.csv · row 12 · review") instead of
hex ids. Records no longer in the store keep the quote the map holds, said to be only that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from assistant.maps.citations import cited_items as map_cited_items
from assistant.maps.models import JourneyMap
from assistant.models import Citation, Evidence


@dataclass(frozen=True)
class Reference:
    """One cited record as an export shows it."""

    number: int
    evidence_id: str
    source: str  # "reviews.csv · row 12 · review", or "not in the store" when it is gone
    text: str  # the record's text, or the map's quote of it when the record is gone


def cited_items(journey_map: JourneyMap) -> Iterator[tuple[str, list[Citation]]]:
    """(path, citations) of every item that cites evidence, the persona's quotes among them."""
    for path, item in map_cited_items(journey_map):
        if path.startswith("persona.traits["):
            yield path, list(item.evidence)
    for index, quote in enumerate(journey_map.persona.quotes):
        yield f"persona.quotes[{index}]", [quote]
    for path, item in map_cited_items(journey_map):
        if not path.startswith("persona."):
            yield path, list(item.evidence)


def number_references(journey_map: JourneyMap, records: Mapping[str, Evidence]) -> dict[str, Reference]:
    """Every cited evidence id, numbered from 1 in the order the map first cites it."""
    numbered: dict[str, Reference] = {}
    for _, citations in cited_items(journey_map):
        for citation in citations:
            if citation.evidence_id in numbered:
                continue
            record = records.get(citation.evidence_id)
            if record is not None:
                source = f"{record.source} · {record.locator.label} · {record.kind}"
                text = record.text
            else:
                source, text = "not in the store (the map's quote)", citation.quote
            numbered[citation.evidence_id] = Reference(len(numbered) + 1, citation.evidence_id, source, text)
    return numbered


def item_numbers(journey_map: JourneyMap, references: Mapping[str, Reference]) -> dict[str, list[int]]:
    """The reference numbers each item cites, by item path."""
    numbers: dict[str, list[int]] = {}
    for path, citations in cited_items(journey_map):
        found = [references[c.evidence_id].number for c in citations if c.evidence_id in references]
        if found:
            numbers[path] = sorted(set(found))
    return numbers


def cited_ids(journey_map: JourneyMap) -> list[str]:
    """Every evidence id the map cites, once, in order."""
    seen: dict[str, None] = {}
    for _, citations in cited_items(journey_map):
        for citation in citations:
            seen.setdefault(citation.evidence_id, None)
    return list(seen)
