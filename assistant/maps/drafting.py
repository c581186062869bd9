"""Drafting a map: pick the persona's evidence, digest it, draft (model or offline), check citations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.analysis.digest import AnalysedRecord, Digest
from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.citations import CitationProblem, enforce_citations
from assistant.maps.llm_drafter import LLMDrafter
from assistant.maps.models import JourneyMap
from assistant.maps.offline import OfflineDrafter
from assistant.maps.persona import build_persona, propose_personas, select_records
from assistant.maps.store import MapStore

ProgressFn = Callable[[str], None]


@dataclass
class DraftResult:
    """A draft, the digest it came from, and the citations that failed checks."""

    journey_map: JourneyMap
    digest: Digest
    problems: list[CitationProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def map_store(journey: Journey) -> MapStore:
    """Return the map store under the data home."""
    return MapStore(journey.settings.home / "maps.sqlite")


def persona_records(
    journey: Journey, workspace: str, persona: str | None
) -> tuple[str | None, list[AnalysedRecord]]:
    """Return (persona name if it matched a proposed one, its records) for `--persona`."""
    records = journey.analyzer(workspace).records()
    if not persona:
        return None, records
    for name, group in propose_personas(records):
        if name.lower() == persona.lower():
            return name, group
    chosen = select_records(records, persona, journey.store.embedder.embed_query(persona))
    if not chosen:
        raise JourneyError(
            f"no evidence matches the persona {persona!r}; try `journey personas` for proposals"
        )
    return None, chosen


def draft_journey_map(
    journey: Journey,
    workspace: str | None = None,
    persona: str | None = None,
    scope: str = "",
    stages: list[str] | None = None,
    title: str | None = None,
    progress: ProgressFn | None = None,
    stage_set: str | None = None,
) -> DraftResult:
    """Draft a persona and a stage-by-stage map from a workspace's evidence (not saved, not reviewed).

    `assistant.workflow.draft_map` composes this with the review and the save.
    """
    tick = progress or (lambda _m: None)
    name = workspace or journey.settings.workspace
    if journey.store.count(name) == 0:
        raise JourneyError(f"workspace {name!r} holds no evidence; run `journey ingest PATH -w {name}` first")
    analyzer = journey.analyzer(name, stage_set)
    chosen = analyzer.stage_set
    unknown = [s for s in stages or [] if s not in chosen.ids]
    if unknown:
        raise JourneyError(
            f"unknown stage(s) {', '.join(unknown)}; this stage set has {', '.join(chosen.ids)}"
        )
    tick("tagging stages and sentiment")
    everyone = analyzer.records()
    matched, records = persona_records(journey, name, persona)
    chosen_ids = {r.id for r in records}
    tick(f"digesting {len(records)} records")
    digest = analyzer.digest(
        record_filter=(lambda r: r.id in chosen_ids) if persona else None, scope=scope, progress=tick
    )
    persona_model = build_persona(
        records, everyone, digest, name=matched or (persona.title() if persona else None)
    )
    texts = {r.id: r.text for r in everyone}
    map_title = title or f"{persona_model.name} journey" + (f" — {scope}" if scope else "")
    warnings: list[str] = []
    if journey.llm_enabled:
        model = journey.chat_model()
        tick(f"drafting with {journey.engine}")
        llm = LLMDrafter(model, chosen, texts, journey.policy, callbacks=journey.callbacks)
        outcome = llm.draft(digest, persona_model, map_title, scope=scope, stages=stages)
        drafted, warnings = outcome.journey_map, outcome.warnings
    else:
        tick("drafting stages")
        drafted = OfflineDrafter(chosen, texts).draft(
            digest, persona_model, map_title, scope=scope, stages=stages
        )
    # Citations are checked again whatever drafted them: the same checks in both modes.
    checked, problems = enforce_citations(drafted, texts)
    checked = checked.model_copy(update={"stage_set": stage_set or journey.settings.stage_set})
    return DraftResult(checked, digest, problems, warnings)
