"""The Gradio app: a thin adapter that lays out the tabs of `assistant.web.tabs` over one session.

Per-browser state (workspace, open map, its review, the chat) lives in the browser's localStorage,
so a reload brings it back and two browsers never see each other's chat or map. Everything shown
that came from evidence or a map is escaped by the renderers in `assistant.web`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from assistant.offline import apply_offline_defaults

apply_offline_defaults()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED on import

import gradio as gr  # noqa: E402

from assistant.context import Journey  # noqa: E402
from assistant.settings import check_workspace_name  # noqa: E402
from assistant.web.chat import evidence_markdown  # noqa: E402
from assistant.web.tabs.chat_tab import ChatView, build_chat_tab, reference_rows  # noqa: E402
from assistant.web.tabs.data_tab import build_data_tab  # noqa: E402
from assistant.web.tabs.map_panels import map_panels  # noqa: E402
from assistant.web.tabs.map_tab import build_map_tab  # noqa: E402
from assistant.web.tabs.session import Session, open_map, open_review, state_secret  # noqa: E402
from assistant.web.tabs.versions_tab import build_versions_tab  # noqa: E402

SAMPLE_KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
CONCURRENT_REQUESTS = 4


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


def build_app(journey: Journey, workspace: str) -> gr.Blocks:
    """Lay out the app: the workspace bar, then Chat, Map, Versions and Data tabs."""

    def workspaces(*also: str) -> list[str]:
        # Listed from the store at every page load: a workspace made in another session shows too.
        return sorted(set(journey.store.workspaces()) | {workspace, *also})

    def status(ws: str) -> str:
        return f"Workspace **{html.escape(ws)}**: {journey.store.count(ws)} evidence records."

    with gr.Blocks(title="Journey Assistant", fill_width=True) as demo:
        session = Session.make(workspace, state_secret(journey.settings.home))
        gr.Markdown(
            "# Journey Assistant\nDraft and critique customer journey maps from your own evidence. "
            f"Engine: **{html.escape(journey.engine)}**"
            + (" (offline evidence engine: no model, no network)" if journey.engine == "offline" else "")
        )
        with gr.Row():
            ws_pick = gr.Dropdown(
                workspaces(),
                value=workspace,
                label="Workspace",
                allow_custom_value=True,
                scale=2,
                elem_id="ja-workspace",
            )
            ws_new = gr.Textbox(label="New workspace", placeholder="e.g. q3-research", scale=2)
            ws_create = gr.Button("Create", scale=1, elem_id="ja-create-workspace")
        ws_status = gr.Markdown(status(workspace), elem_id="ja-workspace-status")

        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat_slot = gr.Column()
            with gr.Tab("Map", id="map"):
                map_view = build_map_tab(journey, session)
            with gr.Tab("Versions", id="versions"):
                build_versions_tab(journey, session, map_view)
            with gr.Tab("Data", id="data"):
                build_data_tab(journey, session, ws_status)
        with chat_slot:
            chat_view: ChatView = build_chat_tab(journey, session, map_view)

        def restore(
            ws: str | None, map_json: str | None, review_json: str | None, refs: Any, history: Any, kept: Any
        ) -> tuple[Any, ...]:
            chosen = ws if ws and _valid(ws) else workspace
            current = open_map(map_json)
            found = open_review(review_json) if current is not None else None
            return (
                chosen,
                current.model_dump_json() if current else None,
                found.model_dump_json() if found else None,
                refs or [],
                history or [],
                kept,
                gr.update(choices=workspaces(chosen), value=chosen),
                status(chosen),
                history or [],
                reference_rows(journey, chosen, refs or []),
                *map_panels(current, found),
            )

        demo.load(
            restore,
            session.browser_copies(),
            [
                *session.states(),
                ws_pick,
                ws_status,
                chat_view.chatbot,
                chat_view.references,
                *map_view.panels(),
            ],
            api_visibility="private",
        )

        switch_outputs = [
            session.workspace,
            ws_status,
            session.map_json,
            session.review_json,
            chat_view.chatbot,
            session.history,
            session.refs,
            session.conversation,
            chat_view.references,
            chat_view.evidence,
            *map_view.panels(),
        ]

        def switch(chosen: str | None, ws: str | None) -> tuple[Any, ...]:
            chosen = chosen or workspace
            if not _valid(chosen):
                raise gr.Error(f"invalid workspace name {chosen!r}: use letters, digits, '-' or '_'")
            if chosen == ws:  # the dropdown set back to what it was (a page load): nothing to clear
                return tuple(gr.update() for _ in switch_outputs)
            note = (
                f"Now in workspace **{html.escape(chosen)}** ({journey.store.count(chosen)} records). "
                f"The conversation about *{html.escape(ws or workspace)}* was closed, as was its map."
            )
            return (
                chosen,
                status(chosen),
                None,
                None,
                [{"role": "assistant", "content": note}],
                [],
                [],
                None,
                [],
                "",
                *map_panels(None, None),
            )

        ws_pick.change(switch, [ws_pick, session.workspace], switch_outputs, api_name="workspace")

        def create(name: str) -> Any:
            cleaned = "".join(c for c in name.strip().lower() if c.isalnum() or c in "-_")
            if not cleaned or not _valid(cleaned):
                raise gr.Error("Name the workspace with letters, digits, - or _ (up to 63).")
            journey.store.collection(cleaned)  # made now, so it is listed after a reload, even empty
            return gr.update(choices=workspaces(cleaned), value=cleaned)

        ws_create.click(create, ws_new, ws_pick, api_visibility="private")

        def evidence_of(evidence_id: str, ws: str = "") -> str:
            """Open one evidence record by id (the API of a clickable citation)."""
            return evidence_markdown(journey, ws or workspace, [evidence_id.strip()])

        gr.api(evidence_of, api_name="evidence")
    return demo


def _valid(name: str) -> bool:
    try:
        check_workspace_name(name)
    except ValueError:
        return False
    return True


def auth_of(settings: Any) -> tuple[str, str] | None:
    """The login the app asks for: (JOURNEY_USER, JOURNEY_PASSWORD), or None without a password."""
    return (settings.app_user, settings.app_password) if settings.app_password else None


def launch(host: str | None = None, port: int | None = None) -> None:
    """Start the app on JOURNEY_HOST:JOURNEY_PORT (127.0.0.1:7860), or the arguments."""
    journey = Journey.open()
    workspace = journey.settings.workspace
    ensure_sample_data(journey, workspace)
    demo = build_app(journey, workspace)
    # Several sessions at once: answers are mostly waiting on DuckDB and numpy, which release the GIL.
    demo.queue(default_concurrency_limit=CONCURRENT_REQUESTS).launch(
        server_name=host or journey.settings.server_host,
        server_port=port or journey.settings.server_port,
        share=False,
        auth=auth_of(journey.settings),
    )


if __name__ == "__main__":
    launch()
