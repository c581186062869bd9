"""The map as a picture: a swimlane grid (stages as columns, lanes as rows) and the emotion curve.

Every item carries its path (`stages[2].pain_points[0]`) so a click can open its evidence and a
review finding can highlight its cell. Items resting on assumptions are marked; each cell shows
how many evidence records back it. All map and evidence text is escaped: it is user data.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping

from assistant.maps.editing import comments_on
from assistant.maps.models import JourneyMap
from assistant.review.models import Review

LANES: tuple[tuple[str, str], ...] = (
    ("touchpoints", "Touchpoints"),
    ("actions", "Actions"),
    ("thoughts", "Thoughts"),
    ("emotion", "Emotion"),
    ("pain_points", "Pain points"),
    ("opportunities", "Opportunities"),
    ("kpis", "KPIs"),
    ("owner", "Owner"),
)
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
# The emotion lane is drawn as the curve row under the stage headers, not as a lane of its own.
GRID_LANES = tuple((lane, title) for lane, title in LANES if lane != "emotion")
PERSONA_SECTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("demographic",), "Who they are"),
    (("goal", "motivation"), "Goals"),
    (("behaviour",), "What they do"),
    (("frustration",), "Frustrations"),
)
# The curve's drawing box in each stage column (viewBox units; the box stretches to the column).
CURVE_WIDTH, CURVE_HEIGHT, CURVE_PAD = 100, 64, 7

CSS = """
.ja-map { font-size: 13px; }
.ja-map h3 { margin: 0 0 6px 0; }
.ja-grid { border-collapse: collapse; width: 100%; table-layout: fixed; }
.ja-grid th, .ja-grid td { border: 1px solid #d0d7de; padding: 5px; vertical-align: top;
  overflow-wrap: break-word; hyphens: auto; }
.ja-grid th { background: #f3f4f6; }
.ja-grid th.ja-lane { width: 104px; text-align: left; overflow-wrap: normal; hyphens: manual; }
.ja-grid td.ja-curve-cell { padding: 0 0 4px 0; border-top: none; border-bottom: none; text-align: center; }
.ja-curve { display: block; width: 100%; height: 64px; }
.ja-item { margin: 0 0 4px 0; padding: 3px 5px; border-radius: 4px; background: #eef6ff; cursor: pointer; }
.ja-item.ja-assumption { background: #fff7e6; border: 1px dashed #d48806; }
.ja-item.ja-flag-high { box-shadow: inset 3px 0 0 #cf222e; }
.ja-item.ja-flag-medium { box-shadow: inset 3px 0 0 #d48806; }
.ja-item.ja-selected { outline: 2px solid #0969da; }
.ja-link { color: inherit; text-decoration: none; }
.ja-curve-label { display: inline-block; margin: 0 4px; font-size: 12px; }
.ja-cell-count { color: #57606a; font-size: 11px; }
td.ja-highlight { background: #fff8c5; }
.ja-tag { font-size: 10px; color: #9a6700; }
.ja-tag-user { color: #8250df; } .ja-tag-comment { color: #0969da; }
.ja-legend { font-size: 12px; color: #57606a; margin: 4px 0; }
.ja-persona { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin: 0 0 8px 0;
  display: grid; grid-template-columns: minmax(180px, 1.2fr) repeat(4, minmax(0, 1fr)); gap: 10px; }
.ja-persona h4 { margin: 0 0 4px 0; font-size: 13px; }
.ja-persona .ja-persona-name { font-size: 16px; font-weight: 600; }
.ja-persona .ja-size { color: #57606a; font-size: 12px; }
.ja-persona .ja-quote { margin: 6px 0 0 0; border-left: 3px solid #d0d7de; font-style: italic; }
.ja-stage-list { display: none; }
.ja-stage-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px; margin: 0 0 10px 0; }
.ja-stage-card h4 { margin: 0 0 6px 0; font-size: 16px; }
.ja-stage-card .ja-lane-title { font-weight: 600; margin: 6px 0 2px 0; }
.ja-mood { font-size: 14px; padding: 4px 8px; border-radius: 4px; display: inline-block; cursor: pointer; }
.ja-mood-positive { background: #dafbe1; } .ja-mood-negative { background: #ffebe9; }
.ja-mood-neutral { background: #f3f4f6; }
@media (max-width: 760px) {
  .ja-grid { display: none; }
  .ja-stage-list { display: block; }
  .ja-persona { grid-template-columns: 1fr; }
}
"""


def item_text(lane: str, item: object) -> str:
    """The text an item shows in the grid."""
    if lane == "emotion":
        return f"{item.score:+.2f} {item.label}"  # type: ignore[attr-defined]
    if lane == "kpis":
        value = f" = {item.value}" if item.value else ""  # type: ignore[attr-defined]
        return f"{item.name}{value}"  # type: ignore[attr-defined]
    return str(item.text)  # type: ignore[attr-defined]


def shown_text(path: str, item: object) -> str:
    """What the item at a path shows: its grid text, a persona trait's text, a persona quote's words."""
    if path.startswith("stages["):
        return item_text(path.split(".")[1].split("[")[0], item)
    return str(getattr(item, "text", getattr(item, "quote", "")))


def lane_items(journey_map: JourneyMap, stage_index: int, lane: str) -> list[tuple[str, object]]:
    """(path, item) of one cell."""
    stage = journey_map.stages[stage_index]
    base = f"stages[{stage_index}].{lane}"
    if lane in ("emotion", "owner"):
        value = getattr(stage, lane)
        return [(base, value)] if value is not None else []
    return [(f"{base}[{i}]", item) for i, item in enumerate(getattr(stage, lane))]


def find_item(journey_map: JourneyMap, path: str) -> object | None:
    """The item at a path (a persona trait, or a stage item), or None."""
    for field in ("traits", "quotes"):
        if path.startswith(f"persona.{field}["):
            index = int(path.split("[", 1)[1].split("]", 1)[0])
            items = getattr(journey_map.persona, field)
            return items[index] if index < len(items) else None
    for s_index in range(len(journey_map.stages)):
        for lane, _ in LANES:
            for item_path, item in lane_items(journey_map, s_index, lane):
                if path == item_path or path.startswith(item_path + "."):
                    return item
    return None


def _flags(review: Review | None) -> dict[str, str]:
    worst: dict[str, str] = {}
    for finding in review.findings if review else []:
        if finding.kind in ("weak_evidence", "stale"):
            continue
        path = finding.path.split(".part[")[0]
        if path not in worst or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[worst[path]]:
            worst[path] = finding.severity
    return worst


class _Marks:
    """How one item is marked: assumption, review flag, selected."""

    def __init__(
        self,
        review: Review | None,
        highlight: str | None,
        links: Mapping[str, str] | None = None,
        comments: Mapping[str, int] | None = None,
    ) -> None:
        self.flags = _flags(review)
        self.highlight = highlight
        self.links = links or {}  # item path -> the page anchor holding its evidence (HTML export)
        self.comments = comments or {}  # item path -> comments on it

    def item(self, path: str, item: object, text: str, extra: str = "") -> str:
        esc = html.escape
        classes = ["ja-item", *extra.split()]
        assumption = getattr(item, "basis", "data") == "assumption"
        if assumption:
            classes.append("ja-assumption")
        if path in self.flags:
            classes.append(f"ja-flag-{self.flags[path]}")
        if self.highlight and (self.highlight == path or self.highlight.startswith(path + ".")):
            classes.append("ja-selected")
        tag = " <span class='ja-tag'>assumption</span>" if assumption else ""
        if getattr(item, "author", "draft") == "user":
            classes.append("ja-user")
            tag += " <span class='ja-tag ja-tag-user'>yours</span>"
        if self.comments.get(path):
            count = self.comments[path]
            tag += f" <span class='ja-tag ja-tag-comment'>{count} comment{'s' if count > 1 else ''}</span>"
        shown = esc(text)
        if path in self.links:
            shown = f"<a class='ja-link' href='#{esc(self.links[path])}'>{shown}</a>"
        return f"<div class='{' '.join(classes)}' data-path='{esc(path)}'>{shown}{tag}</div>"

    def cell(self) -> str | None:
        """The cell path of the highlighted item (`stages[2].pain_points`), if any."""
        if not self.highlight:
            return None
        path = self.highlight.split(".part[")[0]
        return path.rsplit("[", 1)[0] if path.endswith("]") else path


def persona_card_html(journey_map: JourneyMap, marks: _Marks | None = None) -> str:
    """The persona as a card: name and size, who they are, goals, behaviour, frustrations, a quote."""
    esc = html.escape
    marks = marks or _Marks(None, None)
    persona = journey_map.persona
    size = ""
    if persona.size:
        share = f"{persona.size.share:.0%} of the evidence"
        size = f"<div class='ja-size'>{persona.size.count:,} records ({share})</div>"
    quote = ""
    if persona.quotes:
        first = persona.quotes[0]
        quote = marks.item("persona.quotes[0]", first, f"“{first.quote[:200]}”", "ja-quote")
    columns = [
        f"<div><div class='ja-persona-name'>{esc(persona.name)}</div>{size}"
        f"<div>{esc(persona.summary)}</div>{quote}</div>"
    ]
    for categories, title in PERSONA_SECTIONS:
        items = [
            marks.item(f"persona.traits[{i}]", trait, trait.text)
            for i, trait in enumerate(persona.traits)
            if trait.category in categories
        ]
        columns.append(f"<div><h4>{esc(title)}</h4>{''.join(items) or '—'}</div>")
    return f"<div class='ja-persona' aria-label='Persona'>{''.join(columns)}</div>"


def _curve_y(score: float) -> float:
    return CURVE_PAD + (1 - (score + 1) / 2) * (CURVE_HEIGHT - 2 * CURVE_PAD)


def _mood(score: float) -> str:
    return "positive" if score > 0.1 else "negative" if score < -0.1 else "neutral"


def curve_cell_svg(scores: list[float | None], index: int) -> str:
    """One stage column's piece of the emotion curve: half-segments to its neighbours and its point.

    Each column draws from the midpoint with the previous stage to the midpoint with the next, so the
    pieces join into one line across the grid and every point sits at its own column's centre.
    """
    score = scores[index]
    mid, top = CURVE_WIDTH / 2, _curve_y(0)
    parts = [
        f"<svg class='ja-curve' viewBox='0 0 {CURVE_WIDTH} {CURVE_HEIGHT}' preserveAspectRatio='none' "
        "xmlns='http://www.w3.org/2000/svg' aria-hidden='true'>",
        f"<line x1='0' y1='{top:.1f}' x2='{CURVE_WIDTH}' y2='{top:.1f}' stroke='#d0d7de' "
        "stroke-dasharray='4' vector-effect='non-scaling-stroke'/>",
    ]
    if score is not None:
        y = _curve_y(score)
        for neighbour, x_end in ((index - 1, 0.0), (index + 1, float(CURVE_WIDTH))):
            other = scores[neighbour] if 0 <= neighbour < len(scores) else None
            if other is not None:
                joint = (y + _curve_y(other)) / 2
                parts.append(
                    f"<line x1='{mid}' y1='{y:.1f}' x2='{x_end}' y2='{joint:.1f}' stroke='#0969da' "
                    "stroke-width='2.5' vector-effect='non-scaling-stroke'/>"
                )
        colour = {"positive": "#1a7f37", "negative": "#cf222e", "neutral": "#57606a"}[_mood(score)]
        # A zero-length round-capped line stays a round dot however the box is stretched.
        parts.append(
            f"<line class='ja-dot' x1='{mid}' y1='{y:.1f}' x2='{mid}' y2='{y:.1f}' stroke='{colour}' "
            "stroke-width='11' stroke-linecap='round' vector-effect='non-scaling-stroke'/>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _stage_list_html(journey_map: JourneyMap, marks: _Marks) -> str:
    """The same map as one card per stage, for narrow screens."""
    esc = html.escape
    cards = []
    for s_index, stage in enumerate(journey_map.stages):
        mood = ""
        if stage.emotion is not None:
            mood = marks.item(
                f"stages[{s_index}].emotion",
                stage.emotion,
                f"Emotion {stage.emotion.score:+.2f} {stage.emotion.label}",
                f"ja-mood ja-mood-{_mood(stage.emotion.score)}",
            )
        lanes = []
        for lane, title in GRID_LANES:
            cell = lane_items(journey_map, s_index, lane)
            items = [marks.item(path, item, item_text(lane, item)) for path, item in cell]
            if items:
                lanes.append(f"<div class='ja-lane-title'>{esc(title)}</div>{''.join(items)}")
        heading = f"<h4>{esc(stage.name.title())}</h4>"
        cards.append(f"<section class='ja-stage-card'>{heading}{mood}{''.join(lanes)}</section>")
    return f"<div class='ja-stage-list'>{''.join(cards)}</div>"


def map_grid_html(
    journey_map: JourneyMap,
    review: Review | None = None,
    highlight: str | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """The persona card, then the swimlane grid with the emotion curve right under the stage headers.

    `links` (item path → anchor id) makes items open their evidence in a page that holds it.
    """
    esc = html.escape
    marks = _Marks(review, highlight, links, comment_counts(journey_map))
    highlight_cell = marks.cell()
    stages = journey_map.stages
    head = "".join(f"<th data-stage='{i}'>{esc(s.name.title())}</th>" for i, s in enumerate(stages))
    rows = [f"<tr><th class='ja-lane'>Stage</th>{head}</tr>"]
    scores = [s.emotion.score if s.emotion else None for s in stages]
    curve = []
    for s_index, stage in enumerate(stages):
        label = (
            marks.item(
                f"stages[{s_index}].emotion",
                stage.emotion,
                f"{stage.emotion.score:+.2f} {stage.emotion.label}",
                "ja-curve-label",
            )
            if stage.emotion is not None
            else "<span class='ja-cell-count'>no emotion</span>"
        )
        marked = " ja-highlight" if highlight_cell == f"stages[{s_index}].emotion" else ""
        curve.append(
            f"<td class='ja-curve-cell{marked}' data-cell='stages[{s_index}].emotion'>"
            f"{curve_cell_svg(scores, s_index)}{label}</td>"
        )
    rows.append(f"<tr class='ja-curve-row'><th class='ja-lane'>Emotion</th>{''.join(curve)}</tr>")
    for lane, title in GRID_LANES:
        cells = []
        for s_index in range(len(stages)):
            items = lane_items(journey_map, s_index, lane)
            evidence = {c.evidence_id for _, item in items for c in getattr(item, "evidence", [])}
            blocks = [marks.item(path, item, item_text(lane, item)) for path, item in items]
            cell_id = f"stages[{s_index}].{lane}"
            marked = " class='ja-highlight'" if highlight_cell == cell_id else ""
            count = f"<div class='ja-cell-count'>{len(evidence)} evidence</div>" if items else ""
            cells.append(f"<td{marked} data-cell='{esc(cell_id)}'>{''.join(blocks) or '—'}{count}</td>")
        rows.append(f"<tr><th class='ja-lane'>{title}</th>{''.join(cells)}</tr>")
    legend = (
        "<div class='ja-legend'>Blue items rest on cited data; dashed amber items are assumptions; "
        "a red or amber edge marks a review finding. Click an item to see its evidence.</div>"
    )
    return (
        f"<style>{CSS}</style><div class='ja-map'><h3>{esc(journey_map.title)} "
        f"<small>v{journey_map.version} · {esc(journey_map.engine)}</small></h3>"
        f"{persona_card_html(journey_map, marks)}{legend}"
        f"<table class='ja-grid'>{''.join(rows)}</table>"
        f"{_stage_list_html(journey_map, marks)}</div>"
    )


def evidence_counts(journey_map: JourneyMap) -> dict[str, int]:
    """Evidence records per cell path, for tests and exports."""
    counts: dict[str, set[str]] = defaultdict(set)
    for s_index in range(len(journey_map.stages)):
        for lane, _ in LANES:
            for _, item in lane_items(journey_map, s_index, lane):
                counts[f"stages[{s_index}].{lane}"] |= {c.evidence_id for c in getattr(item, "evidence", [])}
    return {k: len(v) for k, v in counts.items()}


def place_label(journey_map: JourneyMap, path: str) -> str:
    """Where a path points, in the words of the grid: 'Purchase · Pain points 2', 'Persona · Goals'."""
    match = re.match(r"stages\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?(?:\.part\[(\d+)\])?", path)
    if match:
        s_index = int(match[1])
        stage = journey_map.stages[s_index].name.title() if s_index < len(journey_map.stages) else path
        lane = dict(LANES).get(match[2] or "", (match[2] or "").replace("_", " "))
        place = f"{stage} · {lane}".rstrip(" ·")
        if match[3] is not None:
            place += f" {int(match[3]) + 1}"
        if match[4] is not None:
            place += f" (part {int(match[4]) + 1})"
        return place
    if path.startswith("persona.traits["):
        trait = find_item(journey_map, path)
        titles = {c: title for categories, title in PERSONA_SECTIONS for c in categories}
        return f"Persona · {titles.get(getattr(trait, 'category', ''), 'Trait')}"
    if path.startswith("persona"):
        return "Persona"
    return path


def comment_counts(journey_map: JourneyMap) -> dict[str, int]:
    """Comments per item path (a comment follows its item's text, wherever the item moved)."""
    if not journey_map.comments:
        return {}
    counts: dict[str, int] = {}
    paths = [f"persona.traits[{i}]" for i in range(len(journey_map.persona.traits))]
    paths += [f"persona.quotes[{i}]" for i in range(len(journey_map.persona.quotes))]
    for s_index in range(len(journey_map.stages)):
        for lane, _ in LANES:
            paths += [path for path, _ in lane_items(journey_map, s_index, lane)]
    for path in paths:
        found = len(comments_on(journey_map, path))
        if found:
            counts[path] = found
    return counts
