"""The Chat tab: questions, drafts and reviews by message, with references that open their evidence.

The conversation is the session's, kept in the browser, so follow-ups ("and on mobile?") read
against it after a reload too; a draft or review made in the chat opens in the Map tab.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.web.chat import Reply, evidence_markdown, respond
from assistant.web.tabs.map_panels import MapView, map_panels
from assistant.web.tabs.session import Session, conversation_of, kept_conversation, open_map, open_review

REFERENCE_HEADERS = ["#", "source", "quote"]
EXAMPLES = [
    "why do customers drop off at checkout?",
    "what do customers say about delivery tracking?",
    "draft a journey map",
    "review the map",
]


@dataclass
class ChatView:
    """The Chat tab's components that other tabs clear."""

    chatbot: gr.Chatbot
    references: gr.Dataframe
    evidence: gr.Markdown


def reference_rows(journey: Journey, ws: str, citations: list[dict[str, str]]) -> list[list[str]]:
    """The references table: number, where the record sits (file · place · kind), the quote's start."""
    records = {
        r.id: r for r in journey.store.get(ws, list(dict.fromkeys(c["evidence_id"] for c in citations)))
    }
    rows = []
    for number, citation in enumerate(citations, start=1):
        record = records.get(citation["evidence_id"])
        source = (
            f"{record.source} · {record.locator.label} · {record.kind}" if record else "not in this workspace"
        )
        rows.append([str(number), source, citation["quote"][:160]])
    return rows


def build_chat_tab(journey: Journey, session: Session, map_view: MapView) -> ChatView:
    """Lay out the Chat tab inside the current Tabs and wire its events."""
    chatbot = gr.Chatbot(label="Conversation", height=460, elem_id="ja-chat")
    with gr.Row():
        message = gr.Textbox(
            placeholder="Ask: why do customers drop off at checkout? · draft a journey map",
            show_label=False,
            scale=5,
            elem_id="ja-message",
        )
        send = gr.Button("Send", variant="primary", scale=1, elem_id="ja-send")
    gr.Examples(EXAMPLES, inputs=message)
    references = gr.Dataframe(
        headers=REFERENCE_HEADERS,
        label="References (select one to open its evidence)",
        interactive=False,
        elem_id="ja-references",
    )
    evidence = gr.Markdown(elem_id="ja-evidence")

    def chat(
        text: str,
        history: list[dict[str, Any]],
        ws: str,
        map_json: str | None,
        review_json: str | None,
        refs: list[dict[str, str]],
        kept: Any,
    ) -> Iterator[tuple[Any, ...]]:
        conversation = conversation_of(kept)
        history = [*(history or []), {"role": "user", "content": text}]
        unchanged = tuple(gr.update() for _ in map_view.panels())

        def step(shown: list[dict[str, Any]], rows: Any, panels: tuple[Any, ...]) -> tuple[Any, ...]:
            return (
                shown,
                "",
                map_json,
                review_json,
                refs,
                rows,
                *panels,
                kept_conversation(conversation),
                history,
            )

        if not text.strip():
            history.append(
                {
                    "role": "assistant",
                    "content": "Ask about your customers, e.g. *why do customers drop off at checkout?*",
                }
            )
            yield step(history, gr.update(), unchanged)
            return
        for update in respond(journey, ws, text, open_map(map_json), conversation):
            if isinstance(update, str):
                yield step([*history, {"role": "assistant", "content": update}], gr.update(), unchanged)
                continue
            reply: Reply = update
            refs = [c.model_dump() for c in reply.citations]
            if reply.journey_map is not None:
                map_json = reply.journey_map.model_dump_json()
            if reply.review is not None:
                review_json = reply.review.model_dump_json()
            parts = reply.parts()
            for shown in range(1, len(parts)):  # the answer streams in, takeaway first
                partial = {"role": "assistant", "content": "\n\n".join(parts[:shown])}
                yield step([*history, partial], gr.update(), unchanged)
            history.append({"role": "assistant", "content": "\n\n".join(parts)})
            changed = reply.journey_map is not None or reply.review is not None
            panels = map_panels(open_map(map_json), open_review(review_json)) if changed else unchanged
            yield step(history, reference_rows(journey, ws, refs), panels)

    outputs = [
        chatbot,
        message,
        session.map_json,
        session.review_json,
        session.refs,
        references,
        *map_view.panels(),
        session.conversation,
        session.history,
    ]
    inputs = [
        message,
        chatbot,
        session.workspace,
        session.map_json,
        session.review_json,
        session.refs,
        session.conversation,
    ]
    message.submit(chat, inputs, outputs, api_name="chat")
    send.click(chat, inputs, outputs, api_visibility="private")

    def open_reference(refs: list[dict[str, str]], ws: str, evt: gr.SelectData) -> str:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not refs or row is None or row >= len(refs):
            return ""
        citation = refs[row]
        return evidence_markdown(journey, ws, [citation["evidence_id"]], f"Reference {row + 1}")

    references.select(open_reference, [session.refs, session.workspace], evidence, api_visibility="private")
    return ChatView(chatbot, references, evidence)
