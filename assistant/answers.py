"""Answers to chat messages, built from retrieved evidence with numbered, checkable citations."""

from __future__ import annotations

import html
from dataclasses import dataclass

from assistant.context import Journey
from assistant.models import SearchHit

SNIPPET_CHARS = 280


@dataclass
class Answer:
    """A reply: Markdown for the chat, the evidence behind it, and which engine wrote it."""

    markdown: str
    hits: list[SearchHit]
    engine: str


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Shorten a record for display, cutting at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def search_answer(journey: Journey, workspace: str, question: str, k: int = 6) -> Answer:
    """Answer with the most relevant evidence, each item cited by source and place."""
    hits = journey.retriever.search(workspace, question, k=k)
    if not hits:
        return Answer(
            "I found no evidence about that in this workspace. Try other words, or ingest more data.",
            [],
            "offline",
        )
    lines = [f"Here is the evidence most relevant to **{html.escape(question)}**:", ""]
    for number, hit in enumerate(hits, start=1):
        evidence = hit.evidence
        # Evidence is untrusted customer text: escaped so it shows as text, never as markup.
        quote = html.escape(snippet(evidence.text))
        lines.append(
            f"{number}. “{quote}” — *{html.escape(evidence.source)}, {evidence.locator.label}* "
            f"({evidence.kind}) [{number}]"
        )
    lines += ["", f"_Engine: offline search · {len(hits)} records cited._"]
    return Answer("\n".join(lines), hits, "offline")
