"""The Data tab: add evidence files, check how each will be read, correct roles and kinds, ingest."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.web.preview import (
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
from assistant.web.tabs.session import Session


def build_data_tab(journey: Journey, session: Session, ws_status: gr.Markdown) -> None:
    """Lay out the Data tab inside the current Tabs and wire its events."""
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
        ingest_button = gr.Button("Ingest into this workspace", variant="primary", elem_id="ja-ingest")
    ingest_results = gr.Dataframe(
        headers=RESULT_HEADERS,
        interactive=False,
        wrap=True,
        column_widths=["18%", "10%", "72%"],
        elem_id="ja-ingest-results",
    )

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

    uploads.change(preview, [uploads, session.workspace, pending_state], preview_outputs, api_name="preview")

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
        [kind_pick, preview_columns, pending_state, session.workspace],
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
        [uploads, kind_pick, preview_columns, pending_state, session.workspace],
        [ingest_results, ws_status, pending_state],
        api_name="ingest",
    )
