"""The draft workflow the CLI and the app share: draft, review, then save with the review attached.

Drafting (maps/) and reviewing (review/) know nothing of each other; this module composes them, so
every stored version carries the review made of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.context import Journey
from assistant.maps.drafting import DraftResult, ProgressFn, draft_journey_map, map_store
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
) -> ReviewedDraft:
    """Draft a map from a workspace's evidence, review it offline, and save it with its review."""
    tick = progress or (lambda _m: None)
    name = workspace or journey.settings.workspace
    drafted = draft_journey_map(journey, name, persona, scope, stages, title, tick)
    result = ReviewedDraft(drafted.journey_map, drafted.digest, drafted.problems, drafted.warnings)
    if review:
        tick("reviewing the draft")
        result.review = review_map(journey, name, result.journey_map, use_llm=False, progress=tick)
    if save:
        findings = result.review
        result.journey_map = map_store(journey).save(
            result.journey_map, name, findings.model_dump_json() if findings else None
        )
        if findings is not None:
            result.review = findings.model_copy(update={"map_version": result.journey_map.version})
    return result
