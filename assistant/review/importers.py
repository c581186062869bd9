"""Read a map to review: our JSON, a CSV export (lanes as rows, stages as columns), a Markdown table.

Journey-mapping tools export a grid: one row per lane ("Touchpoints", "Customer actions", ...), one
column per stage, several items in a cell separated by ";" or line breaks. Imported items carry no
citations, so every one of them is checked against the evidence by the reviewer. Plain text has no
such structure and needs an LLM to be split into stages and lanes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from pydantic import ValidationError

from assistant.analysis.sentiment import sentiment_score
from assistant.analysis.stages import StageSet
from assistant.errors import JourneyError
from assistant.maps.models import KPI, Emotion, JourneyMap, Opportunity, PainPoint, Persona, Stage
from assistant.maps.store import map_id_for
from assistant.models import Claim


class MapFormatError(JourneyError):
    """A map file could not be read; the message names the file and the line or field."""


# Lane headers as journey-mapping tools write them, to our lane names.
LANE_ALIASES: dict[str, str] = {
    "touchpoints": "touchpoints",
    "touchpoint": "touchpoints",
    "channels": "touchpoints",
    "customer actions": "actions",
    "actions": "actions",
    "doing": "actions",
    "thoughts": "thoughts",
    "thinking": "thoughts",
    "customer thoughts": "thoughts",
    "emotion": "emotion",
    "emotions": "emotion",
    "feelings": "emotion",
    "feeling": "emotion",
    "pain points": "pain_points",
    "pain point": "pain_points",
    "pains": "pain_points",
    "opportunities": "opportunities",
    "opportunity": "opportunities",
    "ideas": "opportunities",
    "kpis": "kpis",
    "kpi": "kpis",
    "metrics": "kpis",
    "owner": "owner",
    "owners": "owner",
    "department": "owner",
    "owning department": "owner",
}
EMOTION_CELL = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(.*)$")
KPI_VALUE = re.compile(r"([+-]?[£$€]?\d[\d,.]*\s*(?:%|pts|points|days|s|min)?)\s*$")


def load_map_file(path: Path, stage_set: StageSet | None = None) -> JourneyMap:
    """Read a map file by its extension: .json, .csv/.tsv, .md; plain text raises MapFormatError."""
    if not path.is_file():
        raise MapFormatError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MapFormatError(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json_map(text, path.name)
    if suffix in (".csv", ".tsv"):
        return parse_grid(_csv_rows(text, path.name, "\t" if suffix == ".tsv" else ","), path.name, stage_set)
    if suffix in (".md", ".markdown"):
        return parse_grid(_markdown_rows(text, path.name), path.name, stage_set)
    raise MapFormatError(
        f"{path.name}: plain text has no stages or lanes to check; reviewing it needs an LLM to "
        "structure it (set OPENAI_API_KEY), or export the map as CSV, Markdown table or JSON"
    )


def parse_json_map(text: str, name: str) -> JourneyMap:
    """Parse our JSON map; a missing id or title is filled in, any other problem names the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MapFormatError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise MapFormatError(f"{name}: expected a JSON object with 'persona' and 'stages'")
    data.setdefault("title", Path(name).stem)
    data.setdefault("id", map_id_for(str(data["title"])))
    data.setdefault("persona", {"name": "Unnamed persona", "summary": ""})
    try:
        return JourneyMap.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise MapFormatError(f"{name}: field {where}: {first['msg']}{more}") from None


def _csv_rows(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise MapFormatError(f"{name}: line {reader.line_num}: {exc}") from None


def _markdown_rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            if rows and stripped:
                break  # the first table only
            continue
        cells = [
            c.strip().replace("<br>", "\n").replace("<br/>", "\n") for c in stripped.strip("|").split("|")
        ]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # the header rule
        rows.append((number, cells))
    if not rows:
        raise MapFormatError(f"{name}: no Markdown table found (expected '| lane | Stage 1 | ... |' rows)")
    return rows


def _stage_id(header: str, stage_set: StageSet | None) -> str:
    lowered = header.strip().lower()
    for stage in stage_set.stages if stage_set else []:
        if lowered in (stage.id.lower(), stage.name.lower()):
            return stage.id
    return re.sub(r"\W+", "_", lowered).strip("_")


def _items(cell: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*;\s*|\n+", cell) if p.strip()]


def parse_emotion(cell: str) -> Emotion:
    """'+0.3 Curious' -> score 0.3, label Curious; a bare label gets its word's sentiment."""
    match = EMOTION_CELL.match(cell)
    if match:
        score = max(-1.0, min(1.0, float(match.group(1))))
        return Emotion(score=score, label=match.group(2).strip() or "unlabelled")
    return Emotion(score=round(sentiment_score(cell), 2), label=cell.strip())


def parse_kpi(cell: str) -> KPI:
    """'Checkout completion 60%' -> name 'Checkout completion', value '60%'."""
    match = KPI_VALUE.search(cell)
    if match and match.start() > 0:
        name = cell[: match.start()].strip()
        return KPI(text=cell, name=name, definition="", value=match.group(1).strip())
    return KPI(text=cell, name=cell, definition="")


def parse_grid(rows: list[tuple[int, list[str]]], name: str, stage_set: StageSet | None) -> JourneyMap:
    """Build a map from a lanes x stages grid (the first row names the stages)."""
    if len(rows) < 2:
        raise MapFormatError(f"{name}: expected a header row of stages and at least one lane row")
    header_line, header = rows[0]
    stage_headers = [h.strip() for h in header[1:]]
    if not stage_headers or any(not h for h in stage_headers):
        raise MapFormatError(f"{name}: line {header_line}: every column after the first must name a stage")
    stages = [Stage(name=_stage_id(h, stage_set)) for h in stage_headers]
    for line, row in rows[1:]:
        lane_name = row[0].strip()
        lane = LANE_ALIASES.get(lane_name.lower())
        if lane is None:
            known = ", ".join(sorted({k.title() for k in LANE_ALIASES if " " in k or len(k) > 5})[:8])
            raise MapFormatError(
                f"{name}: line {line}: unknown lane {lane_name!r} (known lanes include {known})"
            )
        if len(row) - 1 > len(stages):
            raise MapFormatError(
                f"{name}: line {line}: {len(row) - 1} cells for {len(stages)} stages in lane {lane_name!r}"
            )
        for stage, cell in zip(stages, row[1:], strict=False):
            if not cell.strip():
                continue
            if lane == "emotion":
                stage.emotion = parse_emotion(cell)
            elif lane == "owner":
                stage.owner = Claim(text=cell.strip())
            elif lane == "kpis":
                stage.kpis.extend(parse_kpi(i) for i in _items(cell))
            elif lane == "pain_points":
                stage.pain_points.extend(PainPoint(text=i) for i in _items(cell))
            elif lane == "opportunities":
                stage.opportunities.extend(Opportunity(text=i) for i in _items(cell))
            else:
                getattr(stage, lane).extend(Claim(text=i) for i in _items(cell))
    title = Path(name).stem.replace("_", " ")
    return JourneyMap(
        id=map_id_for(title),
        title=title,
        persona=Persona(name="Unnamed persona", summary="Imported map: no persona given."),
        stages=stages,
        engine="imported",
    )
