"""Chat routing: a message becomes a draft, a review, an answer with figures, or an evidence search.

Replies stream as a sequence of Markdown strings (progress first, the answer last). Each final reply
carries its citations so the app can list them as clickable references, and a draft or review
carries the map or review it made so the app can show it beside the chat.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.answers import search_answer
from assistant.ask.conversation import Conversation
from assistant.ask.intent import detect_intent
from assistant.ask.service import ask
from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.models import JourneyMap
from assistant.models import Citation
from assistant.review.models import Review
from assistant.review.render import review_markdown
from assistant.review.service import review_map
from assistant.workflow import draft_map

DRAFT = re.compile(r"\b(draft|generate|create|make|build)\b.*\b(map|journey)\b|\bjourney map\b", re.I)
REVIEW = re.compile(r"\b(review|critique|check|audit)\b", re.I)


@dataclass
class Reply:
    """The final reply of a chat turn."""

    markdown: str
    citations: list[Citation] = field(default_factory=list)
    journey_map: JourneyMap | None = None
    review: Review | None = None
    route: str = "search"


def route_of(message: str) -> str:
    """draft, review, ask or search."""
    if REVIEW.search(message) and re.search(r"\bmap\b", message, re.I):
        return "review"
    if DRAFT.search(message) and "?" not in message:
        return "draft"
    if detect_intent(message).kind in ("dropoff", "topic", "compare"):
        return "ask"
    return "search"


def respond(
    journey: Journey,
    workspace: str,
    message: str,
    current: JourneyMap | None,
    conversation: Conversation | None = None,
) -> Iterator[str | Reply]:
    """Progress strings, then one Reply; questions are read against the conversation when given."""
    route = route_of(message)
    if route == "search" and conversation is not None and conversation.is_follow_up(message, False):
        route = "ask"  # "and on mobile?" names no intent of its own: it leans on the last question
    try:
        if route == "draft":
            yield "Drafting a journey map from the evidence (the first draft after an ingest takes a minute)…"
            result = draft_map(journey, workspace)
            warnings = "".join(f"\n\n> ⚠ {html.escape(w)}" for w in result.warnings)
            found = result.review
            summary = (
                f"Drafted **{html.escape(result.journey_map.title)}** (version {result.journey_map.version}, "
                f"engine {html.escape(result.journey_map.engine)}). Its grid and review are in the Map tab."
            )
            if found is not None:
                summary += f" Grounded share {found.grounded_share:.0%}; {len(found.findings)} findings."
            yield Reply(summary + warnings, [], result.journey_map, found, route)
        elif route == "review":
            if current is None:
                yield Reply(
                    "There is no map open yet: draft one, or import a map file in the Map tab.", route=route
                )
                return
            yield f"Reviewing **{html.escape(current.title)}** against the evidence…"
            found = review_map(journey, workspace, current)
            citations = [c for f in found.findings for c in f.evidence][:30]
            yield Reply(review_markdown(found, limit=15), citations, current, found, route)
        elif route == "ask":
            yield "Working out where, who and why from the evidence…"
            answer = ask(journey, workspace, message, conversation=conversation)
            yield Reply(
                f"{answer.answer}\n\n_Engine: {html.escape(answer.engine)}_", answer.citations, route=route
            )
        else:
            yield "Searching the evidence…"
            found_answer = search_answer(journey, workspace, message)
            citations = [
                Citation(evidence_id=h.evidence.id, quote=h.evidence.text.strip()[:200])
                for h in found_answer.hits
            ]
            yield Reply(found_answer.markdown, citations, route=route)
    except JourneyError as exc:
        yield Reply(f"Could not {route}: {html.escape(str(exc))}", route=route)


def evidence_markdown(journey: Journey, workspace: str, evidence_ids: list[str], heading: str = "") -> str:
    """The records behind a citation or a map item: source, place, kind and full text (escaped)."""
    records = journey.store.get(workspace, list(dict.fromkeys(evidence_ids)))
    if not records:
        return "No evidence is cited here." if not evidence_ids else "That evidence is not in this workspace."
    parts = [f"### {html.escape(heading)}\n"] if heading else []
    for record in records:
        text = html.escape(record.text, quote=False).replace("\n", "  \n")
        parts.append(
            f"**{html.escape(record.source)}** · {html.escape(record.locator.label)} · {record.kind} · "
            f"`{record.id}`\n\n> {text}\n"
        )
    return "\n".join(parts)
