"""The Gradio app: a thin adapter that calls `assistant` and shows what it returns.

Per-session state (the open map, its review, the chat's references, the workspace) lives in
`gr.State`, so two browsers never see each other's chat or map. Everything shown that came from
evidence or a map is escaped by the renderers in `assistant.web`.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.offline import apply_offline_defaults

apply_offline_defaults()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED on import

import gradio as gr  # noqa: E402

from assistant.ask.conversation import Conversation  # noqa: E402
from assistant.context import Journey  # noqa: E402
from assistant.errors import JourneyError  # noqa: E402
from assistant.maps.drafting import map_store  # noqa: E402
from assistant.maps.models import JourneyMap  # noqa: E402
from assistant.review.importers import load_map_file  # noqa: E402
from assistant.review.models import Review  # noqa: E402
from assistant.review.service import review_map  # noqa: E402
from assistant.settings import check_workspace_name  # noqa: E402
from assistant.web.chat import Reply, evidence_markdown, respond  # noqa: E402
from assistant.web.diff import diff_markdown  # noqa: E402
from assistant.web.exports import FORMATS, export_map  # noqa: E402
from assistant.web.grid import find_item, map_grid_html  # noqa: E402
from assistant.web.preview import (  # noqa: E402
    COLUMN_HEADERS,
    FILE_HEADERS,
    RESULT_HEADERS,
    Pending,
    apply_edits,
    carry_over,
    column_rows,
    file_note,
    file_rows,
    ingest_pending,
    kind_choices,
    prepare,
    recheck,
    role_choices,
    role_lines,
    select,
    set_role,
)

SAMPLE_KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
EMPTY_GRID = (
    "<p>No map yet. Draft one (button above, or ask in the chat), or import a map file to review.</p>"
)
REFERENCE_HEADERS = ["#", "evidence", "quote"]
CONCURRENT_REQUESTS = 4


def unchanged_panels() -> tuple[Any, ...]:
    """While a reply streams, the references, grid, findings and summary stay as they are."""
    return tuple(gr.update() for _ in range(4))


FINDING_HEADERS = ["severity", "where", "kind", "finding"]
# A click on a grid item writes its path into a hidden textbox; the textbox's change event then
# asks the server for that item's evidence. No other script runs in the page.
GRID_CLICK_JS = """
element.addEventListener('click', (event) => {
  const item = event.target.closest('[data-path]');
  if (!item) return;
  const box = document.querySelector('#ja-selected-path textarea, #ja-selected-path input');
  if (!box) return;
  box.value = item.dataset.path;
  box.dispatchEvent(new Event('input', { bubbles: true }));
});
"""


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


def _map(state: str | None) -> JourneyMap | None:
    return JourneyMap.model_validate_json(state) if state else None


def _review(state: str | None) -> Review | None:
    return Review.model_validate_json(state) if state else None


def _ordered_findings(review: Review) -> list[Any]:
    # Problems first; "supported but cites nothing" notes last, they are the least urgent.
    return [f for f in review.findings if f.kind != "weak_evidence"] + [
        f for f in review.findings if f.kind == "weak_evidence"
    ]


def _finding_rows(review: Review | None) -> list[list[str]]:
    if review is None:
        return []
    texts = {v.path: v.text for v in review.claims}
    return [
        [f.severity, f"{f.path} {texts.get(f.path, '')}".strip(), f.kind, f.message]
        for f in _ordered_findings(review)
    ]


def _reference_rows(citations: list[dict[str, str]]) -> list[list[str]]:
    return [[str(i), c["evidence_id"], c["quote"][:160]] for i, c in enumerate(citations, start=1)]


def build_app(journey: Journey, workspace: str) -> gr.Blocks:
    """Lay out the app: chat, the map with its review, versions, and data in."""

    def workspaces() -> list[str]:
        return sorted(set(journey.store.workspaces()) | {workspace})

    with gr.Blocks(title="Journey Assistant") as demo:
        map_state = gr.State(None)
        review_state = gr.State(None)
        refs_state = gr.State([])
        ws_state = gr.State(workspace)
        conversation_state = gr.State(None)  # the session's Conversation, made at its first message

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
            ws_create = gr.Button("Create", scale=1)
        ws_status = gr.Markdown(
            f"Workspace **{workspace}**: {journey.store.count(workspace)} evidence records."
        )

        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chatbot = gr.Chatbot(label="Conversation", height=420)
                with gr.Row():
                    message = gr.Textbox(
                        placeholder="Ask: why do customers drop off at checkout? · draft a journey map",
                        show_label=False,
                        scale=5,
                        elem_id="ja-message",
                    )
                    send = gr.Button("Send", variant="primary", scale=1, elem_id="ja-send")
                gr.Examples(
                    [
                        "why do customers drop off at checkout?",
                        "what do customers say about delivery tracking?",
                        "draft a journey map",
                        "review the map",
                    ],
                    inputs=message,
                )
                references = gr.Dataframe(
                    headers=REFERENCE_HEADERS,
                    label="References (select one to open its evidence)",
                    interactive=False,
                    elem_id="ja-references",
                )
                evidence_view = gr.Markdown(elem_id="ja-evidence")

            with gr.Tab("Map", id="map"):
                with gr.Row():
                    draft_button = gr.Button(
                        "Draft a map from the evidence", variant="primary", elem_id="ja-draft"
                    )
                    review_button = gr.Button("Review this map")
                with gr.Row():
                    with gr.Column(scale=5):
                        grid = gr.HTML(EMPTY_GRID, js_on_load=GRID_CLICK_JS, elem_id="ja-grid")
                        selected = gr.Textbox(visible="hidden", elem_id="ja-selected-path")
                        item_evidence = gr.Markdown(elem_id="ja-item-evidence")
                    with gr.Column(scale=2):
                        review_summary = gr.Markdown("No review yet.")
                        findings = gr.Dataframe(
                            headers=FINDING_HEADERS,
                            label="Findings (select one to highlight its cell)",
                            interactive=False,
                            elem_id="ja-findings",
                        )
                with gr.Row():
                    export_format = gr.Dropdown(list(FORMATS), value="png", label="Export format")
                    export_button = gr.Button("Export", elem_id="ja-export")
                    export_file = gr.File(label="Download", elem_id="ja-download")
                import_file = gr.File(
                    label="Import a map to review (JSON, CSV or Markdown grid)",
                    file_types=[".json", ".csv", ".tsv", ".md"],
                )

            with gr.Tab("Versions", id="versions"):
                map_pick = gr.Dropdown([], label="Map", allow_custom_value=True)
                with gr.Row():
                    version_a = gr.Dropdown([], label="Version", allow_custom_value=True)
                    version_b = gr.Dropdown([], label="Compare with", allow_custom_value=True)
                with gr.Row():
                    refresh_versions = gr.Button("Refresh")
                    open_version = gr.Button("Open version")
                    diff_button = gr.Button("Show differences")
                diff_view = gr.Markdown()

            with gr.Tab("Data", id="data"):
                pending_state = gr.State(None)
                uploads = gr.File(label="Add evidence files", file_count="multiple", elem_id="ja-uploads")
                gr.Markdown(
                    "Nothing is stored until you ingest. Check how each file will be read — its kind, "
                    "and for a table each column's role — and correct what is wrong; your corrections "
                    "are kept with the workspace, so the file reads the same way next time."
                )
                preview_files = gr.Dataframe(
                    headers=FILE_HEADERS,
                    label="How each file will be read",
                    interactive=False,
                    wrap=True,
                    column_widths=["15%", "9%", "32%", "28%", "16%"],
                    elem_id="ja-preview-files",
                )
                with gr.Row():
                    file_pick = gr.Dropdown([], label="File", scale=3, elem_id="ja-preview-file")
                    kind_pick = gr.Dropdown(
                        kind_choices(), value=None, label="Read as (kind)", scale=2, elem_id="ja-preview-kind"
                    )
                file_info = gr.Markdown(elem_id="ja-preview-note")
                preview_columns = gr.Dataframe(
                    headers=COLUMN_HEADERS,
                    label="Columns: type a role in the role column, or use the pickers below",
                    interactive=True,
                    static_columns=[0, 2, 3],
                    type="array",
                    wrap=True,
                    column_widths=["18%", "14%", "30%", "38%"],
                    elem_id="ja-preview-columns",
                )
                with gr.Row():
                    column_pick = gr.Dropdown([], label="Column", scale=2, elem_id="ja-preview-column")
                    role_pick = gr.Dropdown(role_choices(), label="Role", scale=2, elem_id="ja-preview-role")
                    set_role_button = gr.Button("Set role", scale=1, elem_id="ja-set-role")
                with gr.Accordion("What each role means", open=False):
                    gr.Markdown(role_lines())
                with gr.Row():
                    recheck_button = gr.Button("Update the preview", elem_id="ja-recheck")
                    ingest_button = gr.Button(
                        "Ingest into this workspace", variant="primary", elem_id="ja-ingest"
                    )
                ingest_results = gr.Dataframe(
                    headers=RESULT_HEADERS,
                    interactive=False,
                    wrap=True,
                    column_widths=["18%", "10%", "72%"],
                    elem_id="ja-ingest-results",
                )

        # --- chat -------------------------------------------------------------------------------

        def chat(
            text: str,
            history: list[dict[str, Any]],
            ws: str,
            map_json: str | None,
            review_json: str | None,
            refs: list[dict[str, str]],
            conversation: Conversation | None,
        ) -> Iterator[tuple[Any, ...]]:
            # One conversation per browser session: follow-ups ("and on mobile?") read against it.
            conversation = conversation if conversation is not None else Conversation()
            history = [*(history or []), {"role": "user", "content": text}]
            if not text.strip():
                history.append(
                    {
                        "role": "assistant",
                        "content": "Ask about your customers, e.g. *why do customers drop off at checkout?*",
                    }
                )
                yield history, "", map_json, review_json, refs, *unchanged_panels(), conversation
                return
            for update in respond(journey, ws, text, _map(map_json), conversation):
                if isinstance(update, str):
                    progress = [*history, {"role": "assistant", "content": update}]
                    yield progress, "", map_json, review_json, refs, *unchanged_panels(), conversation
                    continue
                reply: Reply = update
                refs = [c.model_dump() for c in reply.citations]
                if reply.journey_map is not None:
                    map_json = reply.journey_map.model_dump_json()
                if reply.review is not None:
                    review_json = reply.review.model_dump_json()
                history.append({"role": "assistant", "content": reply.markdown})
                current, found = _map(map_json), _review(review_json)
                yield (
                    history,
                    "",
                    map_json,
                    review_json,
                    refs,
                    _reference_rows(refs),
                    map_grid_html(current, found) if current else EMPTY_GRID,
                    _finding_rows(found),
                    _review_summary(found),
                    conversation,
                )

        chat_outputs = [
            chatbot,
            message,
            map_state,
            review_state,
            refs_state,
            references,
            grid,
            findings,
            review_summary,
            conversation_state,
        ]
        chat_inputs = [message, chatbot, ws_state, map_state, review_state, refs_state, conversation_state]
        message.submit(chat, chat_inputs, chat_outputs, api_name="chat")
        send.click(chat, chat_inputs, chat_outputs, api_visibility="private")

        def open_reference(refs: list[dict[str, str]], ws: str, evt: gr.SelectData) -> str:
            row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
            if not refs or row is None or row >= len(refs):
                return ""
            citation = refs[row]
            return evidence_markdown(journey, ws, [citation["evidence_id"]], f"Reference {row + 1}")

        references.select(open_reference, [refs_state, ws_state], evidence_view, api_visibility="private")

        def evidence_of(evidence_id: str, ws: str = "") -> str:
            """Open one evidence record by id (the API of a clickable citation)."""
            return evidence_markdown(journey, ws or workspace, [evidence_id.strip()])

        gr.api(evidence_of, api_name="evidence")

        # --- the map ------------------------------------------------------------------------------

        def draft(ws: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
            from assistant.workflow import draft_map

            progress(0.05, desc="Drafting…")
            try:
                result = draft_map(journey, ws, progress=lambda m: progress(None, desc=m))
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None
            found = result.review
            return (
                result.journey_map.model_dump_json(),
                found.model_dump_json() if found else None,
                map_grid_html(result.journey_map, found),
                _finding_rows(found),
                _review_summary(found),
            )

        map_outputs = [map_state, review_state, grid, findings, review_summary]
        draft_button.click(draft, [ws_state], map_outputs, api_name="draft")

        def review_current(ws: str, map_json: str | None) -> tuple[Any, ...]:
            current = _map(map_json)
            if current is None:
                raise gr.Error("No map is open: draft one or import a map file first.")
            found = review_map(journey, ws, current)
            return (
                map_json,
                found.model_dump_json(),
                map_grid_html(current, found),
                _finding_rows(found),
                _review_summary(found),
            )

        review_button.click(review_current, [ws_state, map_state], map_outputs, api_name="review")

        def import_map(file: str | None, ws: str) -> tuple[Any, ...]:
            if not file:
                return None, None, EMPTY_GRID, [], "No review yet."
            try:
                imported = load_map_file(Path(file), journey.analyzer(ws).stage_set)
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None
            found = review_map(journey, ws, imported)
            return (
                imported.model_dump_json(),
                found.model_dump_json(),
                map_grid_html(imported, found),
                _finding_rows(found),
                _review_summary(found),
            )

        import_file.upload(import_map, [import_file, ws_state], map_outputs, api_name="import_map")

        def show_item(path: str, ws: str, map_json: str | None, review_json: str | None) -> tuple[Any, str]:
            current = _map(map_json)
            if current is None or not path:
                return gr.update(), ""
            item = find_item(current, path)
            if item is None:
                return gr.update(), f"Nothing at {html.escape(path)}."
            ids = [c.evidence_id for c in getattr(item, "evidence", [])]
            basis = getattr(item, "basis", "data")
            backing = (
                "assumption: no data behind it"
                if basis == "assumption" and not ids
                else f"{len(ids)} evidence"
            )
            head = f"{path} ({backing})"
            body = (
                evidence_markdown(journey, ws, ids, head)
                if ids
                else f"### {html.escape(head)}\nThis item cites no evidence."
            )
            return map_grid_html(current, _review(review_json), highlight=path), body

        selected.change(
            show_item, [selected, ws_state, map_state, review_state], [grid, item_evidence], api_name="item"
        )

        def select_finding(
            map_json: str | None, review_json: str | None, ws: str, evt: gr.SelectData
        ) -> tuple[Any, str]:
            current, found = _map(map_json), _review(review_json)
            if current is None or found is None:
                return gr.update(), ""
            ordered = [f for f in found.findings if f.kind != "weak_evidence"] + [
                f for f in found.findings if f.kind == "weak_evidence"
            ]
            row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
            if row is None or row >= len(ordered):
                return gr.update(), ""
            finding = ordered[row]
            body = f"**{finding.severity} · {finding.kind}** at `{html.escape(finding.path)}`: "
            body += html.escape(finding.message)
            if finding.suggestion:
                body += f"\n\n→ {html.escape(finding.suggestion)}"
            if finding.evidence:
                body += "\n\n" + evidence_markdown(
                    journey, ws, [c.evidence_id for c in finding.evidence], "Evidence"
                )
            return map_grid_html(current, found, highlight=finding.path), body

        findings.select(
            select_finding,
            [map_state, review_state, ws_state],
            [grid, item_evidence],
            api_visibility="private",
        )

        def export(map_json: str | None, fmt: str) -> str:
            current = _map(map_json)
            if current is None:
                raise gr.Error("No map is open to export.")
            return str(export_map(current, fmt, Path(tempfile.mkdtemp(prefix="journey-export-"))))

        export_button.click(export, [map_state, export_format], export_file, api_name="export")

        # --- versions -------------------------------------------------------------------------------

        def list_maps(ws: str) -> Any:
            infos = map_store(journey).list(ws)
            ids = list(dict.fromkeys(i.map_id for i in infos))
            return gr.update(choices=ids, value=ids[0] if ids else None)

        def list_versions(map_id: str | None) -> tuple[Any, Any]:
            if not map_id:
                return gr.update(choices=[]), gr.update(choices=[])
            versions = [str(i.version) for i in map_store(journey).list() if i.map_id == map_id]
            return (
                gr.update(choices=versions, value=versions[-1] if versions else None),
                gr.update(choices=versions, value=versions[-2] if len(versions) > 1 else None),
            )

        refresh_versions.click(list_maps, [ws_state], map_pick, api_name="maps")
        map_pick.change(list_versions, map_pick, [version_a, version_b], api_visibility="private")

        def open_stored(map_id: str | None, version: str | None, ws: str) -> tuple[Any, ...]:
            if not map_id or not version:
                raise gr.Error("Pick a map and a version.")
            store = map_store(journey)
            opened = store.load(map_id, int(version))
            stored = store.load_review(map_id, int(version))
            found = Review.model_validate_json(stored) if stored else None
            return (
                opened.model_dump_json(),
                stored,
                map_grid_html(opened, found),
                _finding_rows(found),
                _review_summary(found),
            )

        open_version.click(open_stored, [map_pick, version_a, ws_state], map_outputs, api_name="open_version")

        def diff(map_id: str | None, a: str | None, b: str | None) -> str:
            if not map_id or not a or not b:
                return "Pick a map and two versions."
            store = map_store(journey)
            old, new = sorted(
                (store.load(map_id, int(a)), store.load(map_id, int(b))), key=lambda m: m.version
            )
            return diff_markdown(old, new)

        diff_button.click(diff, [map_pick, version_b, version_a], diff_view, api_name="diff")

        # --- data in and workspaces -----------------------------------------------------------------

        def _pending(state: str | None) -> Pending | None:
            return Pending.model_validate_json(state) if state else None

        def preview_view(pending: Pending | None, note: str | None = None) -> tuple[Any, ...]:
            item = pending.file(pending.current) if pending else None
            readable = [f.key for f in pending.files if f.preview is not None] if pending else []
            columns = column_rows(item)
            return (
                pending.model_dump_json() if pending else None,
                file_rows(pending),
                gr.update(choices=readable, value=pending.current if pending else None),
                item.kind if item is not None else None,
                note or (file_note(item) if pending else ""),
                columns,
                gr.update(choices=[row[0] for row in columns], value=None),
            )

        preview_outputs = [
            pending_state,
            preview_files,
            file_pick,
            kind_pick,
            file_info,
            preview_columns,
            column_pick,
        ]

        def preview(files: list[str] | None, ws: str, state: str | None) -> tuple[Any, ...]:
            if not files:
                return preview_view(None)
            fresh = prepare(journey, ws, [Path(f) for f in files])
            return preview_view(carry_over(_pending(state), fresh))

        uploads.change(preview, [uploads, ws_state, pending_state], preview_outputs, api_name="preview")

        def folded(state: str | None, kind: str | None, rows: list[list[Any]] | None) -> Pending:
            pending = _pending(state)
            if pending is None:
                raise gr.Error("Choose files to preview first.")
            try:
                return apply_edits(pending, pending.current, kind, rows)
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None

        def pick_file(
            key: str | None, kind: str | None, rows: list[list[Any]] | None, state: str | None
        ) -> tuple[Any, ...]:
            pending = _pending(state)
            if pending is None:
                return preview_view(None)
            try:
                pending = apply_edits(pending, pending.current, kind, rows)
            except JourneyError as exc:
                # Stay on the file being corrected, with the grid as the user left it.
                view = list(preview_view(pending, note=f"**Not switched.** {html.escape(str(exc))}"))
                view[3], view[5] = gr.update(), gr.update()
                return tuple(view)
            return preview_view(select(pending, key))

        file_pick.input(
            pick_file,
            [file_pick, kind_pick, preview_columns, pending_state],
            preview_outputs,
            api_name="pick_file",
        )

        def check_again(
            kind: str | None, rows: list[list[Any]] | None, state: str | None, ws: str
        ) -> tuple[Any, ...]:
            pending = folded(state, kind, rows)
            try:
                return preview_view(recheck(journey, ws, pending, pending.current))
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None

        recheck_button.click(
            check_again,
            [kind_pick, preview_columns, pending_state, ws_state],
            preview_outputs,
            api_name="check_preview",
        )

        def pick_role(rows: list[list[Any]] | None, column: str | None, role: str | None) -> list[list[Any]]:
            try:
                return set_role(rows, column, role)
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None

        set_role_button.click(
            pick_role, [preview_columns, column_pick, role_pick], preview_columns, api_name="set_role"
        )

        def role_of(column: str | None, rows: list[list[Any]] | None) -> Any:
            current = next((row[1] for row in rows or [] if row and row[0] == column), None)
            return gr.update(value=current) if current in role_choices() else gr.update()

        column_pick.input(role_of, [column_pick, preview_columns], role_pick, api_visibility="private")

        def ingest(
            files: list[str] | None,
            kind: str | None,
            rows: list[list[Any]] | None,
            state: str | None,
            ws: str,
            progress: gr.Progress = gr.Progress(),  # noqa: B008
        ) -> tuple[Any, ...]:
            if not files:
                raise gr.Error("Choose files to ingest first.")
            uploaded = [Path(f) for f in files]
            pending = _pending(state)
            if pending is not None and pending.matches(uploaded):
                pending = folded(state, kind, rows)
            else:  # not previewed (an API call with files only): read each file as inferred
                pending = prepare(journey, ws, uploaded)

            def tick(step: Any) -> None:
                fraction = (step.file_index - 1 + (step.done / step.total if step.total else 0)) / max(
                    step.files, 1
                )
                progress(fraction, desc=f"{step.file}: {step.phase}")

            _, results = ingest_pending(journey, ws, pending, progress=tick)
            status = f"Workspace **{html.escape(ws)}**: {journey.store.count(ws)} evidence records."
            return results, status, pending.model_dump_json()

        ingest_button.click(
            ingest,
            [uploads, kind_pick, preview_columns, pending_state, ws_state],
            [ingest_results, ws_status, pending_state],
            api_name="ingest",
        )

        def switch(ws: str | None) -> tuple[Any, ...]:
            chosen = ws or workspace
            try:
                check_workspace_name(chosen)
            except ValueError as exc:
                raise gr.Error(str(exc)) from None
            status = f"Workspace **{html.escape(chosen)}**: {journey.store.count(chosen)} evidence records."
            return chosen, status, None, None, EMPTY_GRID, [], "No review yet."

        switch_outputs = [ws_state, ws_status, map_state, review_state, grid, findings, review_summary]
        ws_pick.change(switch, ws_pick, switch_outputs, api_name="workspace")

        def create(name: str) -> Any:
            cleaned = "".join(c for c in name.strip().lower() if c.isalnum() or c in "-_")
            if not cleaned:
                raise gr.Error("Name the workspace with letters, digits, - or _.")
            return gr.update(choices=sorted(set(workspaces()) | {cleaned}), value=cleaned)

        ws_create.click(create, ws_new, ws_pick, api_visibility="private")
    return demo


def _review_summary(review: Review | None) -> str:
    if review is None:
        return "No review yet."
    counts = review.counts()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "no findings"
    return (
        f"**Review** ({html.escape(review.engine)}): grounded share **{review.grounded_share:.0%}** of "
        f"{len(review.claims)} claims · {kinds}"
    )


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
