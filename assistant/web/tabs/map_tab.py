"""The Map tab: draft, review, import and export a map; click an item or a finding to see its evidence.

The grid takes the whole width (stages fit a 1440 px screen); the review's findings sit under it,
and the evidence of a clicked item or finding opens in a drawer at the right edge of the screen,
beside what was clicked, whatever the scroll position.
"""

from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.models import JourneyMap
from assistant.review.importers import load_map_file
from assistant.review.models import Finding, Review
from assistant.review.service import review_map
from assistant.web.chat import evidence_markdown
from assistant.web.exports import FORMATS, export_map
from assistant.web.grid import find_item, item_text, map_grid_html, place_label
from assistant.web.references import cited_ids
from assistant.web.tabs.session import Session, open_map, open_review

EMPTY_GRID = (
    "<p>No map yet. Draft one (button above, or ask in the chat), or import a map file to review.</p>"
)
NO_REVIEW = "No review yet."
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
# After an item or finding is chosen, bring its highlighted item into view: the findings sit under
# the grid, and the opening drawer narrows the grid so its rows grow taller.
SCROLL_TO_SELECTED_JS = (
    "() => { const hit = document.querySelector('#ja-grid .ja-selected');"
    " if (hit) hit.scrollIntoView({block: 'center', behavior: 'instant'}); }"
)


@dataclass
class MapView:
    """The Map tab's components that other tabs update."""

    grid: gr.HTML
    findings: gr.Dataframe
    summary: gr.Markdown
    drawer: gr.Sidebar
    drawer_body: gr.Markdown
    download: gr.File

    def panels(self) -> list[Any]:
        """What `map_panels` fills, in its order."""
        return [self.grid, self.findings, self.summary, self.drawer, self.drawer_body, self.download]


def ordered_findings(review: Review) -> list[Finding]:
    """Problems first; "supported but cites nothing" notes last, they are the least urgent."""
    return [f for f in review.findings if f.kind != "weak_evidence"] + [
        f for f in review.findings if f.kind == "weak_evidence"
    ]


def finding_rows(journey_map: JourneyMap | None, review: Review | None) -> list[list[str]]:
    """The findings table: severity, the place in grid words with the item's text, kind, message."""
    if review is None:
        return []
    texts = {v.path: v.text for v in review.claims}
    rows = []
    for finding in ordered_findings(review):
        where = place_label(journey_map, finding.path) if journey_map else finding.path
        text = texts.get(finding.path, "")
        rows.append([finding.severity, f"{where}: {text}" if text else where, finding.kind, finding.message])
    return rows


def review_summary(review: Review | None) -> str:
    """One line: the grounded share and the findings by kind."""
    if review is None:
        return NO_REVIEW
    counts = review.counts()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "no findings"
    return (
        f"**Review** ({html.escape(review.engine)}): grounded share **{review.grounded_share:.0%}** of "
        f"{len(review.claims)} claims · {kinds}"
    )


def map_panels(journey_map: JourneyMap | None, review: Review | None) -> tuple[Any, ...]:
    """Grid, findings and summary for a map (or the empty view), with the drawer and download closed.

    Opening another map, version or workspace goes through here, so nothing of the previous map
    (its evidence in the drawer, its download) stays on screen.
    """
    grid = map_grid_html(journey_map, review) if journey_map else EMPTY_GRID
    return (
        grid,
        finding_rows(journey_map, review),
        review_summary(review),
        gr.Sidebar(open=False),
        "",
        None,
    )


def build_map_tab(journey: Journey, session: Session) -> MapView:
    """Lay out the Map tab inside the current Tabs and wire its events."""
    with gr.Row():
        draft_button = gr.Button("Draft a map from the evidence", variant="primary", elem_id="ja-draft")
        review_button = gr.Button("Review this map", elem_id="ja-review")
        export_format = gr.Dropdown(list(FORMATS), value="png", label="Export format", scale=0, min_width=120)
        export_button = gr.Button("Export", elem_id="ja-export")
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
    with gr.Row():
        download = gr.File(label="Download", elem_id="ja-download")
        import_file = gr.File(
            label="Import a map to review (JSON, CSV or Markdown grid)",
            file_types=[".json", ".csv", ".tsv", ".md"],
        )
    with gr.Sidebar(open=False, position="right", width=440, elem_id="ja-drawer") as drawer:
        drawer_body = gr.Markdown(elem_id="ja-item-evidence")
    view = MapView(grid, findings, summary, drawer, drawer_body, download)
    state = [session.map_json, session.review_json]

    def shown(journey_map: JourneyMap, review: Review | None) -> tuple[Any, ...]:
        kept = review.model_dump_json() if review else None
        return (journey_map.model_dump_json(), kept, *map_panels(journey_map, review))

    def draft(ws: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        from assistant.workflow import draft_map

        progress(0.05, desc="Drafting…")
        try:
            result = draft_map(journey, ws, progress=lambda m: progress(None, desc=m))
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        return shown(result.journey_map, result.review)

    outputs = [*state, *view.panels()]
    draft_button.click(draft, [session.workspace], outputs, api_name="draft")

    def review_current(ws: str, map_json: str | None) -> tuple[Any, ...]:
        current = open_map(map_json)
        if current is None:
            raise gr.Error("No map is open: draft one or import a map file first.")
        return shown(current, review_map(journey, ws, current))

    review_button.click(review_current, [session.workspace, session.map_json], outputs, api_name="review")

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
        if current is None or not path:
            return gr.update(), gr.update(), ""
        item = find_item(current, path)
        if item is None:
            return gr.update(), gr.Sidebar(open=True), f"Nothing at {html.escape(path)}."
        body = item_evidence(journey, ws, current, path, item)
        return map_grid_html(current, open_review(review_json), highlight=path), gr.Sidebar(open=True), body

    selected.change(
        show_item,
        [selected, session.workspace, session.map_json, session.review_json],
        [grid, drawer, drawer_body],
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


def item_evidence(journey: Journey, ws: str, journey_map: JourneyMap, path: str, item: object) -> str:
    """The drawer for a clicked item: where it sits, its text, its basis, then each cited record."""
    ids = [c.evidence_id for c in getattr(item, "evidence", [])]
    if not ids and hasattr(item, "evidence_id"):  # a persona quote is itself a citation
        ids = [item.evidence_id]
    lane = path.split(".")[1].split("[")[0] if path.startswith("stages[") else ""
    text = item_text(lane, item) if lane else getattr(item, "text", getattr(item, "quote", ""))
    head = f"### {html.escape(place_label(journey_map, path))}\n\n{html.escape(str(text))}\n\n"
    if not ids:
        basis = getattr(item, "basis", "data")
        why = "an assumption: no data behind it" if basis == "assumption" else "it cites no evidence"
        return head + f"**{why}.** Attach evidence by citing records in an edit, or treat it as a hypothesis."
    return head + evidence_markdown(journey, ws, ids, f"{len(set(ids))} evidence record(s)")


def finding_markdown(journey: Journey, ws: str, journey_map: JourneyMap, finding: Finding) -> str:
    """The drawer for a chosen finding: what, where, the suggestion, and the evidence it rests on."""
    place = place_label(journey_map, finding.path)
    body = f"### {html.escape(place)}\n\n**{finding.severity} · {finding.kind.replace('_', ' ')}**: "
    body += html.escape(finding.message)
    if finding.suggestion:
        body += f"\n\n→ {html.escape(finding.suggestion)}"
    if finding.evidence:
        body += "\n\n" + evidence_markdown(journey, ws, [c.evidence_id for c in finding.evidence], "Evidence")
    return body
