"""The map as a PDF for a deck or a print-out: persona card, the whole grid, then the evidence.

Page 1 is the persona card (who, goals, behaviour, frustrations, a quote, each with its reference
numbers) and where the evidence came from; page 2 is the whole grid with its emotion curve on one
landscape page; then the evidence appendix lists every reference as source, place and text, and
the comments people left on the map follow. Text
is set in DejaVu Sans, so nothing turns into '?' or a box.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from fpdf import FPDF
from PIL import Image

from assistant.maps.models import JourneyMap
from assistant.web.fonts import BOLD, REGULAR, drawable, font_path
from assistant.web.grid import PERSONA_SECTIONS
from assistant.web.map_picture import to_png
from assistant.web.references import Reference, item_numbers

FAMILY = "DejaVu"
A4_LANDSCAPE = (297.0, 210.0)  # mm
MARGIN = 12.0


def _pdf() -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(font_path(REGULAR)))
    pdf.add_font(FAMILY, "B", str(font_path(BOLD)))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    return pdf


def _write(pdf: FPDF, text: str, size: float, bold: bool = False, height: float | None = None) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, height or size * 0.5, drawable(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _cites(numbers: Mapping[str, list[int]], path: str) -> str:
    found = numbers.get(path)
    return f" [{', '.join(map(str, found))}]" if found else ""


def _persona_page(pdf: FPDF, journey_map: JourneyMap, numbers: Mapping[str, list[int]]) -> None:
    persona = journey_map.persona
    pdf.add_page()
    _write(pdf, journey_map.title, 18, bold=True, height=9)
    if journey_map.scope:
        _write(pdf, journey_map.scope, 10)
    pdf.ln(2)
    size = (
        f" · {persona.size.count:,} records ({persona.size.share:.0%} of the evidence)"
        if persona.size
        else ""
    )
    _write(pdf, f"{persona.name}{size}", 14, bold=True, height=7)
    _write(pdf, persona.summary, 10)
    if persona.quotes:
        _write(pdf, f"“{persona.quotes[0].quote}”{_cites(numbers, 'persona.quotes[0]')}", 10)
    pdf.ln(3)
    column = (A4_LANDSCAPE[0] - 2 * MARGIN) / len(PERSONA_SECTIONS)
    top = pdf.get_y()
    bottom = top
    for index, (categories, title) in enumerate(PERSONA_SECTIONS):
        pdf.set_xy(MARGIN + index * column, top)
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(column - 3, 6, title, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FAMILY, "", 9)
        lines = [
            f"• {t.text}{_cites(numbers, f'persona.traits[{i}]')}"
            + (" (assumption)" if t.basis == "assumption" else "")
            for i, t in enumerate(persona.traits)
            if t.category in categories
        ]
        for line in lines or ["—"]:
            pdf.multi_cell(column - 3, 4.5, drawable(line), align="L", new_x="LEFT", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom + 4)
    sources = journey_map.sources
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(sources.counts.items()))
    span = (
        f", from {sources.first:%Y-%m-%d} to {sources.last:%Y-%m-%d}"
        if sources.first and sources.last
        else ""
    )
    if counts:
        _write(pdf, f"Evidence: {counts}{span}.", 9)
    _write(pdf, f"Version {journey_map.version} · drafted by {journey_map.engine}.", 9)


def _grid_page(pdf: FPDF, journey_map: JourneyMap, numbers: Mapping[str, list[int]]) -> None:
    picture = to_png(journey_map, numbers)
    with Image.open(io.BytesIO(picture)) as image:
        width_px, height_px = image.size
    page_w, page_h = A4_LANDSCAPE
    # The picture is made landscape; if it is still taller, the page grows to hold all of it.
    if height_px / width_px > (page_h - 2 * MARGIN) / (page_w - 2 * MARGIN):
        page_h = (page_w - 2 * MARGIN) * height_px / width_px + 2 * MARGIN
    pdf.add_page(
        orientation="L" if page_w >= page_h else "P", format=(min(page_w, page_h), max(page_w, page_h))
    )
    available_w, available_h = page_w - 2 * MARGIN, page_h - 2 * MARGIN
    scale = min(available_w / width_px, available_h / height_px)
    pdf.image(io.BytesIO(picture), x=MARGIN, y=MARGIN, w=width_px * scale, h=height_px * scale)


def _appendix(pdf: FPDF, references: Mapping[str, Reference]) -> None:
    pdf.add_page(orientation="L", format="A4")
    _write(pdf, "Evidence", 14, bold=True, height=8)
    if not references:
        _write(pdf, "The map cites no evidence: every item in it is an assumption.", 10)
        return
    for reference in sorted(references.values(), key=lambda r: r.number):
        _write(pdf, f"[{reference.number}] {reference.source}", 9, bold=True, height=4.8)
        _write(pdf, reference.text.strip(), 9, height=4.5)
        pdf.ln(1.5)


def _comments(pdf: FPDF, journey_map: JourneyMap) -> None:
    if not journey_map.comments:
        return
    pdf.ln(3)
    _write(pdf, "Comments", 14, bold=True, height=8)
    for comment in journey_map.comments:
        where = f"{comment.stage.title() or 'Persona'} · {comment.lane.replace('_', ' ')}"
        _write(pdf, f"{where} — on “{comment.item}”", 9, bold=True, height=4.8)
        _write(pdf, f"{comment.text} ({comment.by}, {comment.at:%Y-%m-%d})", 9, height=4.5)
        pdf.ln(1.5)


def to_pdf(journey_map: JourneyMap, references: Mapping[str, Reference]) -> bytes:
    """Persona card, the whole grid on one landscape page, then the evidence appendix."""
    numbers = item_numbers(journey_map, references)
    pdf = _pdf()
    _persona_page(pdf, journey_map, numbers)
    _grid_page(pdf, journey_map, numbers)
    _appendix(pdf, references)
    _comments(pdf, journey_map)
    return bytes(pdf.output())
