"""The map drawn as a deck-ready image: persona line, stage headers, the emotion curve, every lane.

Text is laid out by its width in pixels in DejaVu Sans (see `fonts`), so '£', '€', '—', quotes and
accents draw as themselves and nothing is cut: a cell grows to hold all of its items. The stage
columns widen until the picture is wider than it is tall, so it fits a landscape slide or page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from assistant.maps.models import JourneyMap
from assistant.web.fonts import BOLD, REGULAR, drawable, font_path
from assistant.web.grid import GRID_LANES, item_text, lane_items

LANE_WIDTH, PAD, ITEM_GAP = 170, 10, 6
TEXT, SMALL, HEADING, TITLE = 15, 13, 17, 26
CURVE_HEIGHT = 130
# Widths tried for a stage column, narrowest first: the first that makes the picture landscape wins.
COLUMN_WIDTHS = (240, 280, 320, 380, 440, 520)
LANDSCAPE = 0.75  # height / width at most
INK, MUTED, AMBER, RULE, HEAD = "#1f2328", "#57606a", "#9a6700", "#d0d7de", "#f3f4f6"
MOOD_COLOURS = {"positive": "#1a7f37", "negative": "#cf222e", "neutral": "#57606a"}

Font = ImageFont.FreeTypeFont


def font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans at a size."""
    return ImageFont.truetype(str(font_path(BOLD if bold else REGULAR)), size)


def wrap(text: str, face: Font, width: float) -> list[str]:
    """Lines of at most `width` pixels; a word wider than a line is split between letters."""
    lines: list[str] = []
    for paragraph in drawable(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while face.getlength(word) > width:
                cut = max(1, next(i for i in range(len(word), 0, -1) if face.getlength(word[:i]) <= width))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


@dataclass
class Block:
    """One item of a cell, wrapped."""

    lines: list[str]
    colour: str


@dataclass
class Layout:
    """Where everything goes for one column width."""

    column: int
    header_lines: list[str]
    stage_lines: list[list[str]]
    cells: list[list[list[Block]]] = field(default_factory=list)  # lane -> stage -> blocks
    heights: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        """Picture width in pixels."""
        return LANE_WIDTH + self.column * len(self.stage_lines) + 1

    @property
    def stage_height(self) -> int:
        """Height of the stage-header row."""
        return max([len(lines) for lines in self.stage_lines] + [1]) * (HEADING + 6) + 2 * PAD

    @property
    def top(self) -> int:
        """Where the grid starts."""
        return 2 * PAD + TITLE + 8 + len(self.header_lines) * (SMALL + 6) + PAD

    @property
    def height(self) -> int:
        """Picture height in pixels."""
        return self.top + self.stage_height + CURVE_HEIGHT + sum(self.heights) + 3 * PAD + SMALL


def _line_height() -> int:
    return TEXT + 6


def layout(
    journey_map: JourneyMap, numbers: Mapping[str, list[int]], column: int, persona_line: str
) -> Layout:
    """Wrap every text for stage columns of `column` pixels."""
    text, bold, small = font(TEXT), font(HEADING, bold=True), font(SMALL)
    inner = column - 2 * PAD
    width = LANE_WIDTH + column * len(journey_map.stages) - 2 * PAD
    plan = Layout(
        column=column,
        header_lines=wrap(persona_line, small, width),
        stage_lines=[wrap(s.name.title(), bold, inner) for s in journey_map.stages],
    )
    for lane, _ in GRID_LANES:
        row: list[list[Block]] = []
        for s_index in range(len(journey_map.stages)):
            blocks = []
            for path, item in lane_items(journey_map, s_index, lane):
                assumption = getattr(item, "basis", "data") == "assumption"
                cited = numbers.get(path)
                suffix = f" [{', '.join(map(str, cited))}]" if cited else ""
                mark = " (assumption)" if assumption else ""
                lines = wrap(f"• {item_text(lane, item)}{suffix}{mark}", text, inner)
                blocks.append(Block(lines, AMBER if assumption else INK))
            row.append(blocks)
        plan.cells.append(row)
        tallest = max(
            [sum(len(b.lines) * _line_height() + ITEM_GAP for b in blocks) for blocks in row]
            + [_line_height()]
        )
        plan.heights.append(tallest + 2 * PAD)
    return plan


def choose_layout(journey_map: JourneyMap, numbers: Mapping[str, list[int]], persona_line: str) -> Layout:
    """The narrowest column width whose picture is landscape (the widest tried otherwise)."""
    plan = layout(journey_map, numbers, COLUMN_WIDTHS[0], persona_line)
    for column in COLUMN_WIDTHS[1:]:
        if plan.height <= plan.width * LANDSCAPE:
            break
        plan = layout(journey_map, numbers, column, persona_line)
    return plan


def _mood(score: float) -> str:
    return "positive" if score > 0.1 else "negative" if score < -0.1 else "neutral"


def to_png(journey_map: JourneyMap, numbers: Mapping[str, list[int]] | None = None) -> bytes:
    """The map as a PNG; `numbers` (item path → reference numbers) are printed after each item."""
    persona = journey_map.persona
    size = f" ({persona.size.count:,} records)" if persona.size else ""
    persona_line = f"Persona: {persona.name}{size} — {persona.summary}"
    plan = choose_layout(journey_map, numbers or {}, persona_line)
    image = Image.new("RGB", (plan.width, plan.height), "white")
    draw = ImageDraw.Draw(image)
    text, small, bold = font(TEXT), font(SMALL), font(HEADING, bold=True)
    title = f"{journey_map.title} · v{journey_map.version} · {journey_map.engine}"
    draw.text((PAD, PAD), drawable(title), fill=INK, font=font(TITLE, bold=True))
    y = 2 * PAD + TITLE + 8
    for line in plan.header_lines:
        draw.text((PAD, y), line, fill=MUTED, font=small)
        y += SMALL + 6
    y = plan.top
    draw.rectangle([0, y, LANE_WIDTH, y + plan.stage_height], fill=HEAD, outline=RULE)
    draw.text((PAD, y + PAD), "Stage", fill=INK, font=bold)
    for s_index, lines in enumerate(plan.stage_lines):
        x = LANE_WIDTH + s_index * plan.column
        draw.rectangle([x, y, x + plan.column, y + plan.stage_height], fill=HEAD, outline=RULE)
        for n, line in enumerate(lines):
            draw.text((x + PAD, y + PAD + n * (HEADING + 6)), line, fill=INK, font=bold)
    y += plan.stage_height
    _draw_curve(draw, journey_map, plan, y, small)
    y += CURVE_HEIGHT
    for (_, title_text), row, height in zip(GRID_LANES, plan.cells, plan.heights, strict=True):
        draw.rectangle([0, y, LANE_WIDTH, y + height], fill=HEAD, outline=RULE)
        draw.text((PAD, y + PAD), title_text, fill=INK, font=bold)
        for s_index, blocks in enumerate(row):
            x = LANE_WIDTH + s_index * plan.column
            draw.rectangle([x, y, x + plan.column, y + height], outline=RULE)
            line_y = y + PAD
            for block in blocks:
                for line in block.lines:
                    draw.text((x + PAD, line_y), line, fill=block.colour, font=text)
                    line_y += _line_height()
                line_y += ITEM_GAP
            if not blocks:
                draw.text((x + PAD, line_y), "—", fill=MUTED, font=text)
        y += height
    legend = (
        "Amber items rest on assumptions, not data. [n]: the evidence references listed in the PDF and HTML."
    )
    draw.text((PAD, y + PAD), drawable(legend), fill=MUTED, font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _draw_curve(
    draw: ImageDraw.ImageDraw, journey_map: JourneyMap, plan: Layout, top: int, face: Font
) -> None:
    """The emotion curve in its own row, each point at its stage column's centre."""
    stages = journey_map.stages
    draw.rectangle([0, top, LANE_WIDTH, top + CURVE_HEIGHT], fill=HEAD, outline=RULE)
    draw.text((PAD, top + PAD), "Emotion", fill=INK, font=font(HEADING, bold=True))
    span = CURVE_HEIGHT - 3 * PAD - SMALL - 14

    def y_of(score: float) -> float:
        return top + 2 * PAD + (1 - (score + 1) / 2) * span

    draw.line([LANE_WIDTH, y_of(0), plan.width, y_of(0)], fill=RULE, width=1)
    centres = [LANE_WIDTH + plan.column * i + plan.column / 2 for i in range(len(stages))]
    points = [(centres[i], y_of(s.emotion.score)) for i, s in enumerate(stages) if s.emotion is not None]
    if len(points) > 1:
        draw.line(points, fill="#0969da", width=3)
    for i, stage in enumerate(stages):
        if stage.emotion is None:
            continue
        x, y = centres[i], y_of(stage.emotion.score)
        draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=MOOD_COLOURS[_mood(stage.emotion.score)])
        label = drawable(f"{stage.emotion.score:+.2f} {stage.emotion.label}")
        width = face.getlength(label)
        draw.text((x - width / 2, top + CURVE_HEIGHT - PAD - SMALL - 2), label, fill=INK, font=face)
