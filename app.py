"""The Gradio app: a thin adapter that calls `assistant` and formats what it returns."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

from assistant.offline import apply_offline_defaults

apply_offline_defaults()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED on import

import gradio as gr  # noqa: E402

from assistant.answers import search_answer  # noqa: E402
from assistant.context import Journey  # noqa: E402
from assistant.errors import JourneyError  # noqa: E402
from assistant.maps.drafting import draft_map  # noqa: E402
from assistant.maps.render import to_markdown  # noqa: E402

SAMPLE_KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def ensure_sample_data(journey: Journey, workspace: str) -> None:
    """On first start with an empty workspace, ingest the bundled sample knowledge base."""
    if journey.store.count(workspace) > 0 or not SAMPLE_KNOWLEDGE.is_dir():
        return
    print(f"First start: ingesting the sample knowledge base from {SAMPLE_KNOWLEDGE} …", flush=True)

    def show(tick: object) -> None:
        phase = getattr(tick, "phase", "")
        if phase in ("done", "failed"):
            print(f"  [{tick.file_index}/{tick.files}] {tick.file}: {phase}", flush=True)  # type: ignore[attr-defined]

    report = journey.ingester(workspace).ingest([SAMPLE_KNOWLEDGE], progress=show)
    print(
        f"Ingested {report.chunks_added} records from {report.files_ingested} files "
        f"({len(report.failures)} failed) in {report.seconds:.0f}s.",
        flush=True,
    )


def is_draft_request(message: str) -> bool:
    """Whether a chat message asks for a map draft."""
    words = message.lower()
    return ("draft" in words or "journey map" in words) and "?" not in words


def draft_reply(journey: Journey, workspace: str) -> str:
    """Draft and save a map, and show it as Markdown with its evidence."""
    try:
        result = draft_map(journey, workspace)
    except JourneyError as exc:
        return f"Could not draft a map: {html.escape(str(exc))}"
    warnings = "".join(f"\n\n> ⚠ {html.escape(w)}" for w in result.warnings)
    return to_markdown(result.journey_map) + warnings


def build_app(journey: Journey, workspace: str) -> gr.Blocks:
    """Lay out the app: a chat over the workspace's evidence."""

    def respond(message: str, history: list[dict[str, str]]) -> Iterator[str]:
        if not message.strip():
            yield "Ask about your customers, e.g. *why do customers drop off at checkout?*"
            return
        if is_draft_request(message):
            yield "Drafting a journey map from the evidence (the first draft after an ingest takes a minute)…"
            yield draft_reply(journey, workspace)
            return
        yield "Searching the evidence…"
        yield search_answer(journey, workspace, message).markdown

    with gr.Blocks(title="Journey Assistant") as demo:
        gr.Markdown(
            f"# Journey Assistant\nWorkspace **{workspace}** · "
            f"{journey.store.count(workspace)} evidence records · engine **{journey.engine}**"
        )
        gr.ChatInterface(
            respond,
            examples=[
                "shipping cost at checkout",
                "why do customers drop off at checkout?",
                "what do people say about delivery tracking?",
                "draft a journey map",
            ],
        )
    return demo


def launch(host: str | None = None, port: int | None = None) -> None:
    """Start the app on JOURNEY_HOST:JOURNEY_PORT (127.0.0.1:7860), or the arguments."""
    journey = Journey.open()
    workspace = journey.settings.workspace
    ensure_sample_data(journey, workspace)
    demo = build_app(journey, workspace)
    demo.queue().launch(
        server_name=host or journey.settings.server_host,
        server_port=port or journey.settings.server_port,
        share=False,
    )


if __name__ == "__main__":
    launch()
