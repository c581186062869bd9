"""Map exports: JSON, Markdown, CSV (the lanes x stages grid tools import), HTML, PNG and PDF."""

from __future__ import annotations

import csv
import html
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from assistant.maps.models import JourneyMap
from assistant.maps.render import to_markdown
from assistant.web.grid import LANES, emotion_points, item_text, lane_items, map_grid_html

FORMATS: tuple[str, ...] = ("json", "md", "csv", "html", "png", "pdf")


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


def to_html(journey_map: JourneyMap) -> str:
    """A standalone page: the grid and the emotion curve, no scripts, no external assets."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(journey_map.title)}</title></head><body>"
        f"{map_grid_html(journey_map)}</body></html>"
    )


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the bitmap font, fixed size
        return ImageFont.load_default()


def to_png(journey_map: JourneyMap) -> bytes:
    """The grid and the emotion curve drawn as an image."""
    stages = journey_map.stages
    lane_width, column_width, pad = 130, 190, 6
    font, bold = _font(13), _font(15)
    wrap = 26
    cells: list[list[list[str]]] = []
    heights: list[int] = []
    for lane, _ in LANES:
        row = []
        for s_index in range(len(stages)):
            lines: list[str] = []
            for _, item in lane_items(journey_map, s_index, lane):
                mark = "(assumption) " if getattr(item, "basis", "data") == "assumption" else ""
                lines += textwrap.wrap(f"• {mark}{item_text(lane, item)}", wrap)[:6]
            row.append(lines[:14])
        cells.append(row)
        heights.append(max([len(c) for c in row] + [1]) * 17 + 2 * pad)
    chart = 200
    width = lane_width + column_width * len(stages) + 1
    height = 70 + 30 + sum(heights) + chart
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((pad, pad), journey_map.title[:120], fill="black", font=bold)
    draw.text(
        (pad, 30),
        f"{journey_map.persona.name} · v{journey_map.version} · {journey_map.engine}"[:150],
        fill="#57606a",
        font=font,
    )
    top = 70
    for s_index, stage in enumerate(stages):
        x = lane_width + s_index * column_width
        draw.rectangle([x, top, x + column_width, top + 30], fill="#f3f4f6", outline="#d0d7de")
        draw.text((x + pad, top + 8), stage.name.title(), fill="black", font=bold)
    y = top + 30
    for (_, title), row, h in zip(LANES, cells, heights, strict=True):
        draw.rectangle([0, y, lane_width, y + h], fill="#f3f4f6", outline="#d0d7de")
        draw.text((pad, y + pad), title, fill="black", font=bold)
        for s_index, lines in enumerate(row):
            x = lane_width + s_index * column_width
            draw.rectangle([x, y, x + column_width, y + h], outline="#d0d7de")
            for n, line in enumerate(lines):
                color = "#9a6700" if "(assumption)" in line else "black"
                draw.text((x + pad, y + pad + n * 17), line, fill=color, font=font)
        y += h
    _draw_curve(draw, journey_map, lane_width, column_width, y + 20, chart - 40, font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _draw_curve(
    draw: ImageDraw.ImageDraw,
    journey_map: JourneyMap,
    left: int,
    column: int,
    top: int,
    height: int,
    font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
) -> None:
    points = emotion_points(journey_map)

    def y(score: float) -> float:
        return top + (1 - (score + 1) / 2) * height

    draw.line([left, y(0), left + column * len(points), y(0)], fill="#d0d7de")
    draw.text((6, top - 6), "Emotion +1", fill="#57606a", font=font)
    draw.text((6, y(-1) - 6), "-1", fill="#57606a", font=font)
    coords = [
        (left + column * i + column / 2, y(score))
        for i, (_, score, _) in enumerate(points)
        if score is not None
    ]
    if len(coords) > 1:
        draw.line(coords, fill="#0969da", width=3)
    for i, (_, score, label) in enumerate(points):
        if score is None:
            continue
        x = left + column * i + column / 2
        color = "#1a7f37" if score > 0.1 else "#cf222e" if score < -0.1 else "#57606a"
        draw.ellipse([x - 5, y(score) - 5, x + 5, y(score) + 5], fill=color)
        draw.text((x - 40, y(score) - 22), f"{score:+.2f} {label}"[:24], fill="black", font=font)


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1 only; typographic quotes and arrows are mapped, the rest replaced.
    table = {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "→": "->",
        "…": "...",
        "•": "-",
        "−": "-",
    }
    return "".join(table.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")


def to_pdf(journey_map: JourneyMap) -> bytes:
    """A landscape PDF: the map picture, then every stage's items with their evidence ids."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(journey_map.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    summary = _latin1(f"{journey_map.persona.name}: {journey_map.persona.summary}")
    pdf.multi_cell(0, 5, summary, new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(to_png(journey_map)), w=270)
    for s_index, stage in enumerate(journey_map.stages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, _latin1(stage.name.title()), new_x="LMARGIN", new_y="NEXT")
        for lane, title in LANES:
            items = lane_items(journey_map, s_index, lane)
            if not items:
                continue
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 9)
            for _, item in items:
                basis = getattr(item, "basis", "data")
                cited = ", ".join(c.evidence_id[:8] for c in getattr(item, "evidence", [])[:3])
                suffix = f"  [{cited}]" if cited else ("  [assumption]" if basis == "assumption" else "")
                pdf.multi_cell(
                    0, 4.5, _latin1(f"- {item_text(lane, item)}{suffix}"), new_x="LMARGIN", new_y="NEXT"
                )
    return bytes(pdf.output())


def export_map(journey_map: JourneyMap, fmt: str, folder: Path) -> Path:
    """Write the map in one format into a folder; return the file."""
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
        path.write_text(to_html(journey_map), encoding="utf-8")
    elif fmt == "png":
        path.write_bytes(to_png(journey_map))
    else:
        path.write_bytes(to_pdf(journey_map))
    return path
