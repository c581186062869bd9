"""Editing the open map in place: the item form in the evidence drawer and the stage editor.

Every edit is reviewed against the evidence and saved as a new version (named when the user gives
a name); what a person writes is theirs and an assumption unless they tick matching records to
attach as its evidence. An edit that changes nothing saves nothing and says so.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.editing import (
    add_comment,
    add_item,
    add_stage,
    delete_item,
    edit_item,
    move_item,
    move_stage,
    remove_stage,
    rename_stage,
)
from assistant.maps.models import JourneyMap
from assistant.models import Citation
from assistant.web.grid import find_item, map_grid_html, shown_text
from assistant.web.tabs.map_panels import (
    SCROLL_TO_SELECTED_JS,
    MapView,
    comments_markdown,
    finding_rows,
    item_evidence,
    review_summary,
)
from assistant.web.tabs.session import Session, open_map

MATCHES = 5  # matching records offered as evidence for an edited item
QUOTE_CHARS = 200


@dataclass
class EditForm:
    """The item form's components."""

    text: gr.Textbox
    evidence: gr.CheckboxGroup
    version_name: gr.Textbox
    status: gr.Markdown


def form_values(journey_map: JourneyMap, path: str) -> tuple[Any, Any]:
    """The form filled for the item at `path`: its text, and no records offered yet."""
    item = find_item(journey_map, path)
    return gr.update(value=shown_text(path, item) if item is not None else ""), gr.update(
        choices=[], value=[]
    )


def _cited(journey: Journey, ws: str, ids: list[str]) -> list[Citation]:
    # A citation's quote must be verbatim in its record: the record's opening words are.
    return [
        Citation(evidence_id=r.id, quote=r.text[:QUOTE_CHARS].strip() or r.text)
        for r in journey.store.get(ws, list(dict.fromkeys(ids)))
    ]


def build_edit_form(journey: Journey, session: Session, selected: gr.Textbox, view: MapView) -> EditForm:
    """The form under the drawer's evidence: edit, attach evidence, move, delete, add, comment."""
    with gr.Accordion("Edit this item", open=True, elem_id="ja-edit"):
        text = gr.Textbox(label="Text", lines=2, elem_id="ja-edit-text")
        with gr.Row():
            find = gr.Button("Find matching records", size="sm", elem_id="ja-edit-find")
            save = gr.Button("Save edit", variant="primary", size="sm", elem_id="ja-edit-save")
        evidence = gr.CheckboxGroup([], label="Attach as evidence", elem_id="ja-edit-evidence")
        with gr.Row():
            up = gr.Button("↑ Move up", size="sm", elem_id="ja-edit-up")
            down = gr.Button("↓ Move down", size="sm", elem_id="ja-edit-down")
            add = gr.Button("Add as a new item here", size="sm", elem_id="ja-edit-add")
            delete = gr.Button("Delete", variant="stop", size="sm", elem_id="ja-edit-delete")
        version_name = gr.Textbox(
            label="Name the version this saves (optional)",
            placeholder="e.g. after the CX workshop",
            elem_id="ja-version-name",
        )
    with gr.Accordion("Comment", open=False, elem_id="ja-comment"):
        comment = gr.Textbox(label="Comment", lines=2, elem_id="ja-comment-text")
        with gr.Row():
            author = gr.Textbox(label="Your name", elem_id="ja-comment-author")
            department = gr.Textbox(label="Department", elem_id="ja-comment-department")
        post = gr.Button("Add comment", size="sm", elem_id="ja-comment-add")
    status = gr.Markdown(elem_id="ja-edit-status")
    form = EditForm(text, evidence, version_name, status)

    def matching(value: str, ws: str) -> Any:
        hits = journey.retriever.search(ws, value, k=MATCHES) if value.strip() else []
        choices = [
            (f"{h.evidence.source} · {h.evidence.locator.label}: {h.evidence.text[:120]}", h.evidence.id)
            for h in hits
        ]
        return gr.update(choices=choices, value=[])

    find.click(matching, [text, session.workspace], evidence, api_name="match_evidence")

    def apply(
        change: Callable[[JourneyMap], tuple[JourneyMap, str]],
        map_json: str | None,
        ws: str,
        name: str,
    ) -> tuple[Any, ...]:
        from assistant.workflow import edit_and_review

        current = open_map(map_json)
        if current is None:
            raise gr.Error("No map is open: draft one or import a map file first.")
        try:
            edited, path = change(current)
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        saved = edit_and_review(journey, ws, edited, name)
        kept = saved.journey_map
        note = (
            f"Nothing changed: version {kept.version} stays as it was."
            if saved.unchanged
            else f"Saved as version {kept.version}"
            + (f" “{html.escape(kept.version_name)}”" if kept.version_name else "")
            + " and reviewed again."
        )
        review = saved.review
        item = find_item(kept, path)
        body = item_evidence(journey, ws, kept, path, item) if item is not None else ""
        notes = comments_markdown(kept, path)
        return (
            kept.model_dump_json(),
            review.model_dump_json() if review else None,
            path,
            map_grid_html(kept, review, highlight=path),
            finding_rows(kept, review),
            review_summary(review),
            body + (f"\n\n{notes}" if notes else ""),
            *form_values(kept, path),
            note,
        )

    outputs = [
        session.map_json,
        session.review_json,
        selected,
        view.grid,
        view.findings,
        view.summary,
        view.drawer_body,
        text,
        evidence,
        status,
    ]
    state = [selected, session.map_json, session.workspace, version_name]

    def on_save(path: str, map_json: str | None, ws: str, name: str, value: str, ids: list[str]) -> Any:
        return apply(
            lambda m: (edit_item(m, path, value, _cited(journey, ws, ids)), path), map_json, ws, name
        )

    def on_add(path: str, map_json: str | None, ws: str, name: str, value: str, ids: list[str]) -> Any:
        stage, lane = _cell(path)
        return apply(lambda m: add_item(m, stage, lane, value, _cited(journey, ws, ids)), map_json, ws, name)

    def on_delete(path: str, map_json: str | None, ws: str, name: str) -> Any:
        return apply(lambda m: (delete_item(m, path), _cell_path(path)), map_json, ws, name)

    def on_move(offset: int) -> Callable[..., Any]:
        def move(path: str, map_json: str | None, ws: str, name: str) -> Any:
            return apply(lambda m: move_item(m, path, offset), map_json, ws, name)

        return move

    def on_comment(
        path: str, map_json: str | None, ws: str, name: str, value: str, who: str, dept: str
    ) -> Any:
        return apply(lambda m: (add_comment(m, path, value, who, dept), path), map_json, ws, name)

    wiring: list[tuple[gr.Button, Callable[..., Any], list[Any], str]] = [
        (save, on_save, [*state, text, evidence], "edit_item"),
        (add, on_add, [*state, text, evidence], "add_item"),
        (delete, on_delete, state, "delete_item"),
        (up, on_move(-1), state, "move_item_up"),
        (down, on_move(1), state, "move_item_down"),
    ]
    for button, handler, inputs, api in wiring:
        button.click(handler, inputs, outputs, api_name=api).then(None, js=SCROLL_TO_SELECTED_JS)
    post.click(on_comment, [*state, comment, author, department], outputs, api_name="comment")
    return form


def _cell(path: str) -> tuple[int, str]:
    if not path.startswith("stages["):
        raise gr.Error("Items are added to a stage's cell: click an item of that cell first.")
    stage = int(path.split("[", 1)[1].split("]", 1)[0])
    return stage, path.split(".")[1].split("[")[0]


def _cell_path(path: str) -> str:
    # After a delete the drawer shows the cell the item was in.
    return path.rsplit("[", 1)[0] if path.endswith("]") and ".emotion" not in path else path


def build_stage_editor(journey: Journey, session: Session, view: MapView) -> None:
    """Rename, add, remove and reorder the open map's stages (each change a reviewed version)."""
    with gr.Accordion("Edit stages", open=False, elem_id="ja-stages"):
        with gr.Row():
            stage = gr.Dropdown([], label="Stage", scale=2, elem_id="ja-stage-pick")
            name = gr.Textbox(label="Name (to rename, or for a new stage)", scale=3, elem_id="ja-stage-name")
        with gr.Row():
            rename = gr.Button("Rename", size="sm", elem_id="ja-stage-rename")
            add = gr.Button("Add a stage after it", size="sm", elem_id="ja-stage-add")
            left = gr.Button("← Move earlier", size="sm", elem_id="ja-stage-left")
            right = gr.Button("Move later →", size="sm", elem_id="ja-stage-right")
            remove = gr.Button("Remove", variant="stop", size="sm", elem_id="ja-stage-remove")
        status = gr.Markdown(elem_id="ja-stage-status")

    def stage_choices(map_json: str | None) -> Any:
        current = open_map(map_json)
        names = [s.name for s in current.stages] if current else []
        return gr.update(choices=names, value=names[0] if names else None)

    session.map_json.change(stage_choices, session.map_json, stage, api_visibility="private")

    def run(
        change: Callable[[JourneyMap, int, str], JourneyMap],
    ) -> Callable[[str | None, str | None, str, str], tuple[Any, ...]]:
        def handler(map_json: str | None, picked: str | None, value: str, ws: str) -> tuple[Any, ...]:
            from assistant.workflow import edit_and_review

            current = open_map(map_json)
            if current is None:
                raise gr.Error("No map is open: draft one or import a map file first.")
            names = [s.name for s in current.stages]
            if picked not in names:
                raise gr.Error("Pick a stage first.")
            try:
                edited = change(current, names.index(picked), value)
            except JourneyError as exc:
                raise gr.Error(str(exc)) from None
            saved = edit_and_review(journey, ws, edited)
            kept, review = saved.journey_map, saved.review
            note = (
                "Nothing changed."
                if saved.unchanged
                else f"Saved as version {kept.version} and reviewed again."
            )
            return (
                kept.model_dump_json(),
                review.model_dump_json() if review else None,
                map_grid_html(kept, review),
                finding_rows(kept, review),
                review_summary(review),
                note,
            )

        return handler

    inputs = [session.map_json, stage, name, session.workspace]
    targets = [session.map_json, session.review_json, view.grid, view.findings, view.summary, status]
    rename.click(run(rename_stage), inputs, targets, api_name="rename_stage")
    add.click(run(lambda m, i, v: add_stage(m, i, v)), inputs, targets, api_name="add_stage")
    left.click(run(lambda m, i, _v: move_stage(m, i, -1)), inputs, targets, api_name="move_stage_earlier")
    right.click(run(lambda m, i, _v: move_stage(m, i, 1)), inputs, targets, api_name="move_stage_later")
    remove.click(run(lambda m, i, _v: remove_stage(m, i)), inputs, targets, api_name="remove_stage")
