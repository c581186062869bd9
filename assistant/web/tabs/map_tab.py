"""The Map tab: draft, review, import and export a map; click an item or a finding to see its evidence.

The grid takes the whole width (stages fit a 1440 px screen); the review's findings sit under it,
and the evidence of a clicked item or finding opens in a drawer at the right edge of the screen,
beside what was clicked, whatever the scroll position.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.analysis.stages import bundled_stage_sets
from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.models import JourneyMap
from assistant.review.importers import load_map_file
from assistant.review.models import Review
from assistant.review.service import review_map
from assistant.web.departments import ALL, department_markdown, departments
from assistant.web.exports import FORMATS, export_map
from assistant.web.grid import find_item, map_grid_html
from assistant.web.references import cited_ids
from assistant.web.tabs.edit_panel import build_edit_form, build_stage_editor, form_values
from assistant.web.tabs.map_panels import (
    EMPTY_GRID,
    FINDING_HEADERS,
    NO_REVIEW,
    SCROLL_TO_SELECTED_JS,
    MapView,
    changes_markdown,
    comments_markdown,
    finding_markdown,
    item_evidence,
    map_panels,
    ordered_findings,
)
from assistant.web.tabs.session import Session, open_map, open_review

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


def build_map_tab(journey: Journey, session: Session) -> MapView:
    """Lay out the Map tab inside the current Tabs and wire its events."""
    with gr.Row():
        draft_button = gr.Button("Draft a map from the evidence", variant="primary", elem_id="ja-draft")
        review_button = gr.Button("Review this map", elem_id="ja-review")
        refresh_button = gr.Button("Refresh with new data", elem_id="ja-refresh")
        export_format = gr.Dropdown(list(FORMATS), value="png", label="Export format", scale=0, min_width=120)
        export_button = gr.Button("Export", elem_id="ja-export")
    with gr.Row():
        persona_pick = gr.Dropdown(
            [],
            value=None,
            label="Persona (blank: everyone; or type who, e.g. 'mobile-first parents')",
            allow_custom_value=True,
            scale=3,
            elem_id="ja-persona-pick",
        )
        suggest = gr.Button("Suggest personas", size="sm", scale=1, elem_id="ja-suggest-personas")
        stage_set_pick = gr.Dropdown(
            bundled_stage_sets(),
            value=journey.settings.stage_set,
            label="Stage set",
            allow_custom_value=True,
            scale=2,
            elem_id="ja-stage-set",
        )
    stage_slot = gr.Column()
    grid = gr.HTML(EMPTY_GRID, js_on_load=GRID_CLICK_JS, elem_id="ja-grid")
    selected = gr.Textbox(visible="hidden", elem_id="ja-selected-path")
    summary = gr.Markdown(NO_REVIEW, elem_id="ja-review-summary")
    findings = gr.Dataframe(
        headers=FINDING_HEADERS,
        label="Review findings (select one to see it in the grid and its evidence)",
        interactive=False,
        wrap=True,
        column_widths=["8%", "34%", "13%", "45%"],
        elem_id="ja-findings",
    )
    with gr.Accordion("Department view", open=False, elem_id="ja-department"):
        department = gr.Dropdown([ALL], value=ALL, label="Department", elem_id="ja-department-pick")
        department_view = gr.Markdown(elem_id="ja-department-view")
    with gr.Row():
        download = gr.File(label="Download", elem_id="ja-download")
        import_file = gr.File(
            label="Import a map to review (JSON, CSV or Markdown grid)",
            file_types=[".json", ".csv", ".tsv", ".md"],
        )
    with gr.Sidebar(open=False, position="right", width=440, elem_id="ja-drawer") as drawer:
        drawer_body = gr.Markdown(elem_id="ja-item-evidence")
        view = MapView(grid, findings, summary, drawer, drawer_body, download)
        form = build_edit_form(journey, session, selected, view)
    with stage_slot:
        build_stage_editor(journey, session, view)
    state = [session.map_json, session.review_json]

    def shown(
        journey_map: JourneyMap, review: Review | None, note: str = "", drawer: str | None = None
    ) -> tuple[Any, ...]:
        kept = review.model_dump_json() if review else None
        return (journey_map.model_dump_json(), kept, *map_panels(journey_map, review, note, drawer))

    def suggest_personas(ws: str, stage_set: str | None) -> Any:
        from assistant.maps.persona import propose_personas

        records = journey.analyzer(ws, stage_set or None).records()
        names = [name for name, _ in propose_personas(records)]
        if not names:
            raise gr.Error("The evidence has no segment attributes to tell personas apart; type one instead.")
        return gr.update(choices=names, value=None)

    suggest.click(suggest_personas, [session.workspace, stage_set_pick], persona_pick, api_name="personas")

    def draft(
        ws: str,
        persona: str | None = None,
        stage_set: str | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        from assistant.workflow import draft_map

        progress(0.05, desc="Drafting…")
        try:
            result = draft_map(
                journey,
                ws,
                persona=(persona or "").strip() or None,
                stage_set=stage_set or None,
                progress=lambda m: progress(None, desc=m),
            )
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        # Warnings (nothing changed since the last version, a stage the model missed) go under the grid.
        notes = "\n\n".join(f"> ⚠ {html.escape(w)}" for w in result.warnings)
        return shown(result.journey_map, result.review, note=notes)

    outputs = [*state, *view.panels()]
    draft_button.click(draft, [session.workspace, persona_pick, stage_set_pick], outputs, api_name="draft")

    def review_current(ws: str, map_json: str | None) -> tuple[Any, ...]:
        current = open_map(map_json)
        if current is None:
            raise gr.Error("No map is open: draft one or import a map file first.")
        return shown(current, review_map(journey, ws, current))

    review_button.click(review_current, [session.workspace, session.map_json], outputs, api_name="review")

    def refresh(ws: str, map_json: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        from assistant.workflow import refresh_map

        current = open_map(map_json)
        if current is None:
            raise gr.Error("No map is open: draft one, open a version or import a map first.")
        progress(0.05, desc="Redrafting from the evidence now in the workspace…")
        try:
            result = refresh_map(journey, ws, current, progress=lambda m: progress(None, desc=m))
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        return shown(result.saved.journey_map, result.saved.review, drawer=changes_markdown(current, result))

    refresh_button.click(refresh, [session.workspace, session.map_json], outputs, api_name="refresh")

    def import_map(file: str | None, ws: str) -> tuple[Any, ...]:
        if not file:
            return (None, None, *map_panels(None, None))
        try:
            imported = load_map_file(Path(file), journey.analyzer(ws).stage_set)
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        return shown(imported, review_map(journey, ws, imported))

    import_file.upload(import_map, [import_file, session.workspace], outputs, api_name="import_map")

    def show_item(path: str, ws: str, map_json: str | None, review_json: str | None) -> tuple[Any, ...]:
        current = open_map(map_json)
        unchanged = (gr.update(), gr.update())
        if current is None or not path:
            return gr.update(), gr.update(), "", *unchanged, ""
        item = find_item(current, path)
        if item is None:
            return gr.update(), gr.Sidebar(open=True), f"Nothing at {html.escape(path)}.", *unchanged, ""
        body = item_evidence(journey, ws, current, path, item)
        notes = comments_markdown(current, path)
        grid_html = map_grid_html(current, open_review(review_json), highlight=path)
        return (
            grid_html,
            gr.Sidebar(open=True),
            body + (f"\n\n{notes}" if notes else ""),
            *form_values(current, path),
            "",
        )

    selected.change(
        show_item,
        [selected, session.workspace, session.map_json, session.review_json],
        [grid, drawer, drawer_body, form.text, form.evidence, form.status],
        api_name="item",
    ).then(None, js=SCROLL_TO_SELECTED_JS)  # the drawer narrows the grid: keep the clicked item in view

    def select_finding(
        map_json: str | None, review_json: str | None, ws: str, evt: gr.SelectData
    ) -> tuple[Any, ...]:
        current, found = open_map(map_json), open_review(review_json)
        if current is None or found is None:
            return gr.update(), gr.update(), ""
        ordered = ordered_findings(found)
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if row is None or row >= len(ordered):
            return gr.update(), gr.update(), ""
        body = finding_markdown(journey, ws, current, ordered[row])
        return map_grid_html(current, found, highlight=ordered[row].path), gr.Sidebar(open=True), body

    findings.select(
        select_finding,
        [session.map_json, session.review_json, session.workspace],
        [grid, drawer, drawer_body],
        api_visibility="private",
    ).then(None, js=SCROLL_TO_SELECTED_JS)

    def department_choices(map_json: str | None) -> tuple[Any, str]:
        current = open_map(map_json)
        return gr.update(choices=[ALL, *(departments(current) if current else [])], value=ALL), ""

    session.map_json.change(
        department_choices, session.map_json, [department, department_view], api_visibility="private"
    )

    def department_of(map_json: str | None, chosen: str | None) -> str:
        current = open_map(map_json)
        return department_markdown(current, chosen) if current else ""

    department.input(department_of, [session.map_json, department], department_view, api_name="department")

    def export(map_json: str | None, fmt: str, ws: str) -> str:
        current = open_map(map_json)
        if current is None:
            raise gr.Error("No map is open to export.")
        records = {r.id: r for r in journey.store.get(ws, cited_ids(current))}
        folder = Path(tempfile.mkdtemp(prefix="journey-export-"))
        return str(export_map(current, fmt, folder, records))

    export_button.click(
        export, [session.map_json, export_format, session.workspace], download, api_name="export"
    )
    return view
