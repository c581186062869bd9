"""The Versions tab: every saved version of a map, opened or compared with another."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.maps.drafting import map_store
from assistant.review.models import Review
from assistant.web.diff import diff_markdown
from assistant.web.tabs.map_panels import MapView, map_panels
from assistant.web.tabs.session import Session


def build_versions_tab(journey: Journey, session: Session, map_view: MapView) -> None:
    """Lay out the Versions tab inside the current Tabs and wire its events."""
    map_pick = gr.Dropdown([], label="Map", allow_custom_value=True)
    with gr.Row():
        version_a = gr.Dropdown([], label="Version", allow_custom_value=True, elem_id="ja-version-pick")
        version_b = gr.Dropdown([], label="Compare with", allow_custom_value=True)
    with gr.Row():
        refresh = gr.Button("Refresh")
        open_version = gr.Button("Open version")
        diff_button = gr.Button("Show differences")
    diff_view = gr.Markdown(elem_id="ja-diff")

    def list_maps(ws: str) -> Any:
        infos = map_store(journey).list(ws)
        ids = list(dict.fromkeys(i.map_id for i in infos))
        return gr.update(choices=ids, value=ids[0] if ids else None)

    def list_versions(map_id: str | None) -> tuple[Any, Any]:
        if not map_id:
            return gr.update(choices=[]), gr.update(choices=[])
        infos = [i for i in map_store(journey).list() if i.map_id == map_id]
        choices = [(f"{i.version} · {i.name}" if i.name else str(i.version), str(i.version)) for i in infos]
        values = [value for _, value in choices]
        return (
            gr.update(choices=choices, value=values[-1] if values else None),
            gr.update(choices=choices, value=values[-2] if len(values) > 1 else None),
        )

    refresh.click(list_maps, [session.workspace], map_pick, api_name="maps")
    map_pick.change(list_versions, map_pick, [version_a, version_b], api_visibility="private")

    def open_stored(map_id: str | None, version: str | None) -> tuple[Any, ...]:
        if not map_id or not version:
            raise gr.Error("Pick a map and a version.")
        store = map_store(journey)
        opened = store.load(map_id, int(version))
        stored = store.load_review(map_id, int(version))
        found = Review.model_validate_json(stored) if stored else None
        return (opened.model_dump_json(), stored, *map_panels(opened, found))

    open_version.click(
        open_stored,
        [map_pick, version_a],
        [session.map_json, session.review_json, *map_view.panels()],
        api_name="open_version",
    )

    def diff(map_id: str | None, a: str | None, b: str | None) -> str:
        if not map_id or not a or not b:
            return "Pick a map and two versions."
        store = map_store(journey)
        try:
            pair = (store.load(map_id, int(a)), store.load(map_id, int(b)))
        except JourneyError as exc:
            raise gr.Error(str(exc)) from None
        old, new = sorted(pair, key=lambda m: m.version)
        return diff_markdown(old, new)

    diff_button.click(diff, [map_pick, version_b, version_a], diff_view, api_name="diff")
