"""Chat routing: a message becomes a draft, a review, an answer with figures, or an evidence search.

Replies stream as a sequence of Markdown strings (progress first, the answer last). Each final reply
carries its citations so the app can list them as clickable references, and a draft or review
carries the map or review it made so the app can show it beside the chat.
"""

from __future__ import annotations

import html
import queue
import re
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from assistant.answers import search_answer
from assistant.ask.conversation import Conversation
from assistant.ask.intent import detect_intent
from assistant.ask.service import ask
from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.models import JourneyMap
from assistant.models import Citation
from assistant.review.models import Review
from assistant.review.service import review_map
from assistant.web.analyst import answer_sections, review_sections
from assistant.workflow import draft_map

T = TypeVar("T")

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
    sections: list[str] = field(default_factory=list)  # the markdown in the order it is streamed

    def parts(self) -> list[str]:
        """The reply as the pieces the chat shows one after another."""
        return self.sections or [self.markdown]


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
) -> Generator[str | Reply, None, None]:
    """Progress strings, then one Reply; questions are read against the conversation when given."""
    route = route_of(message)
    if route == "search" and conversation is not None and conversation.is_follow_up(message, False):
        route = "ask"  # "and on mobile?" names no intent of its own: it leans on the last question
    try:
        if route == "draft":
            result = yield from _with_steps(
                "Drafting a journey map from the evidence (the first draft after an ingest takes a minute)",
                lambda tick: draft_map(journey, workspace, progress=tick),
            )
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
            found = yield from _with_steps(
                f"Reviewing **{html.escape(current.title)}** against the evidence",
                lambda tick: review_map(journey, workspace, current, progress=tick),
            )
            citations = [c for f in found.findings for c in f.evidence][:30]
            parts = review_sections(found, current)
            yield Reply("\n\n".join(parts), citations, current, found, route, sections=parts)
        elif route == "ask":
            yield "Working out where, who and why from the evidence…"
            answer = ask(journey, workspace, message, conversation=conversation)
            parts = [*answer_sections(answer), f"_Engine: {html.escape(answer.engine)}_"]
            yield Reply("\n\n".join(parts), answer.citations, route=route, sections=parts)
        else:
            yield "Searching the evidence…"
            found_answer = search_answer(journey, workspace, message)
            citations = [
                Citation(evidence_id=h.evidence.id, quote=h.evidence.text.strip()[:200])
                for h in found_answer.hits
            ]
            head = (
                f"**Takeaway:** the {len(citations)} records closest to your words, best first "
                "(a search, not a count: ask why, or what customers say about a topic, for figures)."
                if citations
                else "**The data in this workspace does not speak to this**: no record matches it."
            )
            parts = [head, found_answer.markdown]
            yield Reply("\n\n".join(parts), citations, route=route, sections=parts)
    except JourneyError as exc:
        yield Reply(f"Could not {route}: {html.escape(str(exc))}", route=route)


def _with_steps(title: str, work: Callable[[Callable[[str], None]], T]) -> Generator[str, None, T]:
    """Run long work in a thread, yielding its steps as they happen; return what it returns."""
    steps: queue.Queue[str] = queue.Queue()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work(steps.put)
        except BaseException as exc:  # handed back to the caller's thread below
            outcome["error"] = exc
        finally:
            steps.put(_DONE)

    threading.Thread(target=run, daemon=True).start()
    done: list[str] = []
    yield f"{title}…"
    while (step := steps.get()) is not _DONE:
        done.append(step)
        yield f"{title}…\n\n" + "\n".join(f"- {html.escape(s)}" for s in done[-6:])
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


_DONE = "\x00done"


def evidence_markdown(journey: Journey, workspace: str, evidence_ids: list[str], heading: str = "") -> str:
    """The records behind a citation or a map item: source, place, kind and full text (escaped)."""
    records = journey.store.get(workspace, list(dict.fromkeys(evidence_ids)))
    if not records:
        return "No evidence is cited here." if not evidence_ids else "That evidence is not in this workspace."
    parts = [f"### {html.escape(heading)}\n"] if heading else []
    for record in records:
        text = html.escape(record.text, quote=False).replace("\n", "  \n")
        where = f"**{html.escape(record.source)}** · {html.escape(record.locator.label)} · {record.kind}"
        parts.append(f"{where}\n\n> {text}\n")
    return "\n".join(parts)
