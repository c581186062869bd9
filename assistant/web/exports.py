"""Map exports: JSON, Markdown, CSV (the lanes x stages grid tools import), HTML, PNG and PDF."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping
from pathlib import Path

from assistant.maps.editing import comments_on
from assistant.maps.models import JourneyMap
from assistant.maps.render import to_markdown
from assistant.models import Evidence
from assistant.web.grid import LANES, comment_counts, item_text, lane_items, map_grid_html, place_label
from assistant.web.map_pdf import to_pdf
from assistant.web.map_picture import to_png
from assistant.web.references import Reference, item_numbers, number_references

FORMATS: tuple[str, ...] = ("json", "md", "csv", "html", "png", "pdf")
HTML_CSS = """
body { font-family: system-ui, sans-serif; margin: 16px; }
.ja-ev { display: none; position: fixed; top: 0; right: 0; width: min(440px, 100vw); height: 100vh;
  overflow-y: auto; background: #fff; box-shadow: -2px 0 8px rgba(0,0,0,.2); padding: 12px 16px;
  box-sizing: border-box; z-index: 10; }
.ja-ev:target { display: block; }
.ja-ev .ja-close { float: right; text-decoration: none; font-size: 20px; }
.ja-ev blockquote { margin: 4px 0 12px 0; padding-left: 8px; border-left: 3px solid #d0d7de; }
.ja-ev .ja-source { font-weight: 600; font-size: 13px; }
"""


def to_csv(journey_map: JourneyMap) -> str:
    """Lanes as rows, stages as columns, items joined by '; ' (what `journey review` imports back)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["lane", *[s.name.title() for s in journey_map.stages]])
    for lane, title in LANES:
        row = [title]
        for s_index in range(len(journey_map.stages)):
            texts = [
                item_text(lane, item).replace(";", ",") for _, item in lane_items(journey_map, s_index, lane)
            ]
            row.append("; ".join(texts))
        writer.writerow(row)
    return buffer.getvalue()


def to_html(journey_map: JourneyMap, references: Mapping[str, Reference] | None = None) -> str:
    """A standalone page: persona, grid and curve; a click on an item opens its evidence beside it.

    The evidence panels are part of the page and open through their anchor (CSS `:target`), so the
    file works from a disk, a mail attachment or an intranet, with no script and no server.
    """
    references = references or {}
    numbers = item_numbers(journey_map, references)
    by_number = {r.number: r for r in references.values()}
    commented = [p for p in comment_counts(journey_map) if p not in numbers]
    links = {path: f"ev-{index}" for index, path in enumerate([*numbers, *commented])}
    esc = html.escape
    panels = []
    for path, anchor in links.items():
        records = "".join(
            f"<div class='ja-source'>[{n}] {esc(by_number[n].source)}</div>"
            f"<blockquote>{esc(by_number[n].text)}</blockquote>"
            for n in numbers.get(path, [])
        )
        panels.append(
            f"<aside class='ja-ev' id='{anchor}'><a class='ja-close' href='#' aria-label='Close'>×</a>"
            f"<h3>{esc(place_label(journey_map, path))}</h3>{records}"
            f"{_comments_html(journey_map, path)}</aside>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(journey_map.title)}</title><style>{HTML_CSS}</style></head><body>"
        f"{map_grid_html(journey_map, links=links)}{''.join(panels)}</body></html>"
    )


def _comments_html(journey_map: JourneyMap, path: str) -> str:
    found = comments_on(journey_map, path)
    if not found:
        return ""
    esc = html.escape
    items = "".join(f"<li>{esc(c.text)} — <em>{esc(c.by)}, {c.at:%Y-%m-%d}</em></li>" for c in found)
    return f"<h4>Comments</h4><ul>{items}</ul>"


def export_map(
    journey_map: JourneyMap, fmt: str, folder: Path, records: Mapping[str, Evidence] | None = None
) -> Path:
    """Write the map in one format into a folder; return the file.

    `records` (evidence id → record) lets PNG, HTML and PDF number each cited record and list its
    source and text; without them the references hold the quotes the map itself carries.
    """
    references = number_references(journey_map, records or {})
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in journey_map.title)[:60] or "journey_map"
    path = folder / f"{stem}_v{journey_map.version}.{fmt}"
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(journey_map.model_dump_json(indent=2), encoding="utf-8")
    elif fmt == "md":
        path.write_text(to_markdown(journey_map), encoding="utf-8")
    elif fmt == "csv":
        path.write_text(to_csv(journey_map), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(journey_map, references), encoding="utf-8")
    elif fmt == "png":
        path.write_bytes(to_png(journey_map, item_numbers(journey_map, references)))
    else:
        path.write_bytes(to_pdf(journey_map, references))
    return path
