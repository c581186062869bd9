"""The draft workflow the CLI and the app share: draft, review, then save with the review attached.

Drafting (maps/) and reviewing (review/) know nothing of each other; this module composes them, so
every stored version carries the review made of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.context import Journey
from assistant.maps.citations import cited_items
from assistant.maps.drafting import DraftResult, ProgressFn, draft_journey_map, map_store
from assistant.maps.models import JourneyMap
from assistant.maps.refresh import carry_edits, drafted_names, what_changed
from assistant.review.models import Review
from assistant.review.service import review_map


@dataclass
class ReviewedDraft(DraftResult):
    """A draft with the review made of it (None when the review was skipped)."""

    review: Review | None = None


def draft_map(
    journey: Journey,
    workspace: str | None = None,
    persona: str | None = None,
    scope: str = "",
    stages: list[str] | None = None,
    title: str | None = None,
    progress: ProgressFn | None = None,
    save: bool = True,
    review: bool = True,
    version_name: str = "",
    stage_set: str | None = None,
) -> ReviewedDraft:
    """Draft a map from a workspace's evidence, review it offline, and save it with its review.

    A draft that says exactly what the latest version says is not saved again: the result is that
    version, with a warning saying so.
    """
    tick = progress or (lambda _m: None)
    name = workspace or journey.settings.workspace
    drafted = draft_journey_map(journey, name, persona, scope, stages, title, tick, stage_set)
    result = ReviewedDraft(drafted.journey_map, drafted.digest, drafted.problems, drafted.warnings)
    if review:
        tick("reviewing the draft")
        result.review = review_map(journey, name, result.journey_map, use_llm=False, progress=tick)
    if save:
        saved = save_reviewed(journey, name, result.journey_map, result.review, version_name)
        if saved.unchanged:
            result.warnings.append(
                f"Nothing changed since version {saved.journey_map.version}: it was not saved again."
            )
        result.journey_map, result.review = saved.journey_map, saved.review
    return result


@dataclass
class Saved:
    """A map as stored, its review, and whether it was already stored as it is."""

    journey_map: JourneyMap
    review: Review | None
    unchanged: bool = False


def save_reviewed(
    journey: Journey, workspace: str, journey_map: JourneyMap, review: Review | None, version_name: str = ""
) -> Saved:
    """Save a map with its review as the next version, unless the latest version says the same."""
    store = map_store(journey)
    named = (
        journey_map.model_copy(update={"version_name": version_name.strip()}) if version_name else journey_map
    )
    same = store.same_as_latest(named)
    if same is not None:
        stored = store.load_review(same.id, same.version)
        return Saved(same, Review.model_validate_json(stored) if stored else review, unchanged=True)
    saved = store.save(named, workspace, review.model_dump_json() if review else None)
    return Saved(saved, review.model_copy(update={"map_version": saved.version}) if review else None)


def edit_and_review(journey: Journey, workspace: str, edited: JourneyMap, version_name: str = "") -> Saved:
    """A person's edit: review the edited map against the evidence and save it as a new version."""
    review = review_map(journey, workspace, edited, use_llm=False)
    return save_reviewed(journey, workspace, edited, review, version_name)


@dataclass
class Refreshed:
    """A map redrafted from the evidence now in its workspace, with the person's edits kept."""

    saved: Saved
    changes: list[str]
    warnings: list[str]


def refresh_map(
    journey: Journey, workspace: str, current: JourneyMap, progress: ProgressFn | None = None
) -> Refreshed:
    """Redraft `current` from the workspace's evidence, keep its edits, review, save, say what changed."""
    tick = progress or (lambda _m: None)
    stage_set = current.stage_set or None
    known = set(journey.analyzer(workspace, stage_set).stage_set.ids)
    drafted = draft_journey_map(
        journey,
        workspace,
        scope=current.scope,
        stages=[name for name in drafted_names(current) if name in known] or None,
        title=current.title,
        progress=tick,
        stage_set=stage_set,
    )
    merged = carry_edits(drafted.journey_map, current)
    cited = [c.evidence_id for _, item in cited_items(current) for c in item.evidence]
    existing = {r.id for r in journey.store.get(workspace, list(dict.fromkeys(cited)))}
    changes = what_changed(current, merged, existing)
    tick("reviewing the refreshed map")
    review = review_map(journey, workspace, merged, use_llm=False, progress=tick)
    stale = [f for f in review.findings if f.kind == "stale"]
    if stale:
        changes.append(f"{len(stale)} items rest only on stale evidence; the first: {stale[0].message}")
    saved = save_reviewed(journey, workspace, merged, review)
    return Refreshed(saved, changes, drafted.warnings)

