"""A person's edits to a map: items and stages changed, added, removed or moved, and comments.

Every function returns a new map and leaves the one given as it was. What a person writes is
theirs (`author="user"`) and an assumption unless they attach evidence; each edit is logged in the
map's `edits` so a refresh from new data can keep it. Paths are the grid's
(`stages[2].pain_points[0]`, `persona.traits[3]`).
"""

from __future__ import annotations

import re
from typing import Any

from assistant.errors import JourneyError
from assistant.maps.models import KPI, Comment, Emotion, JourneyMap, MapEdit, Opportunity, PainPoint, Stage
from assistant.models import Citation, Claim

LANE_TYPES: dict[str, type[Claim]] = {
    "touchpoints": Claim,
    "actions": Claim,
    "thoughts": Claim,
    "pain_points": PainPoint,
    "opportunities": Opportunity,
    "kpis": KPI,
}
SINGLE_LANES = ("emotion", "owner")
PATH = re.compile(r"^stages\[(\d+)\]\.(\w+)(?:\[(\d+)\])?$|^persona\.(traits|quotes)\[(\d+)\]$")
EMOTION_TEXT = re.compile(r"^\s*([+-−]?\d*\.?\d+)\s+(.+)$")


class EditError(JourneyError):
    """An edit that cannot be made: the message says what and where."""


def _parse(journey_map: JourneyMap, path: str) -> tuple[int | None, str, int | None]:
    """(stage index or None for the persona, lane or persona field, item index or None)."""
    match = PATH.match(path)
    if not match:
        raise EditError(f"no item at {path!r}: expected stages[N].lane[M] or persona.traits[M]")
    if match[4]:
        return None, match[4], int(match[5])
    stage, lane = int(match[1]), match[2]
    if stage >= len(journey_map.stages):
        raise EditError(f"the map has {len(journey_map.stages)} stages; there is no stage {stage + 1}")
    if lane not in LANE_TYPES and lane not in SINGLE_LANES:
        raise EditError(f"there is no lane {lane!r} (lanes: {', '.join([*LANE_TYPES, *SINGLE_LANES])})")
    return stage, lane, int(match[3]) if match[3] is not None else None


def _items(journey_map: JourneyMap, stage: int | None, lane: str) -> list[Any]:
    owner: Any = journey_map.persona if stage is None else journey_map.stages[stage]
    return getattr(owner, lane)  # type: ignore[no-any-return]


def _logged(journey_map: JourneyMap, edit: MapEdit) -> JourneyMap:
    journey_map.edits.append(edit)
    return journey_map


def said(value: Any) -> str:
    """What an item says: a claim's text, an emotion as '-0.40 frustrated', a quote's words."""
    if value is None:
        return ""
    if isinstance(value, Emotion):
        return f"{value.score:+.2f} {value.label}"
    return str(value.quote if isinstance(value, Citation) else value.text)


def _stage_name(journey_map: JourneyMap, stage: int | None) -> str:
    return "" if stage is None else journey_map.stages[stage].name


def _claim(kind: type[Claim], text: str, evidence: list[Citation], old: Any = None) -> Claim:
    text = " ".join(text.split())
    if not text:
        raise EditError("an item needs some text; to remove it, delete it")
    values: dict[str, Any] = old.model_dump() if isinstance(old, Claim) else {}
    values.update(text=text, evidence=evidence, basis="data" if evidence else "assumption", author="user")
    if kind is KPI:
        values["name"] = values.get("name") if old is not None and old.text == text else text
        values.setdefault("definition", "")
    if kind is PainPoint:
        values["frequency"] = None  # a person's wording no longer matches the theme that was counted
    return kind.model_validate(values)


def _emotion(text: str, evidence: list[Citation]) -> Emotion:
    match = EMOTION_TEXT.match(text.replace("−", "-"))
    if not match:
        raise EditError(
            f"an emotion is a score from -1 to +1 and a word, e.g. '-0.4 frustrated'; got {text!r}"
        )
    score = float(match[1])
    if not -1 <= score <= 1:
        raise EditError(f"an emotion's score runs from -1 to +1; got {score}")
    return Emotion(
        score=score,
        label=match[2].strip(),
        evidence=evidence,
        basis="data" if evidence else "assumption",
        author="user",
    )


def edit_item(
    journey_map: JourneyMap, path: str, text: str, evidence: list[Citation] | None = None
) -> JourneyMap:
    """The item at `path` with new text (and the evidence the person attached, if any)."""
    edited = journey_map.model_copy(deep=True)
    stage, lane, index = _parse(edited, path)
    cited = list(evidence or [])
    before = ""
    if lane == "emotion" and stage is not None:
        old_emotion = edited.stages[stage].emotion
        before = said(old_emotion)
        edited.stages[stage].emotion = _emotion(text, cited)
    elif lane == "owner" and stage is not None:
        old_owner = edited.stages[stage].owner
        before = old_owner.text if old_owner else ""
        edited.stages[stage].owner = _claim(Claim, text, cited, old_owner)
    elif lane == "quotes":
        raise EditError("a persona quote is a record's own words: delete it rather than rewrite it")
    else:
        items = _items(edited, stage, lane)
        if index is None or index >= len(items):
            raise EditError(f"no item at {path!r}")
        before = items[index].text
        kind = type(items[index]) if stage is None else LANE_TYPES[lane]
        items[index] = _claim(kind, text, cited, items[index])
        if stage is None:
            items[index].category = journey_map.persona.traits[index].category
    return _logged(
        edited, MapEdit(action="edit", stage=_stage_name(edited, stage), lane=lane, before=before, after=text)
    )


def add_item(
    journey_map: JourneyMap, stage: int, lane: str, text: str, evidence: list[Citation] | None = None
) -> tuple[JourneyMap, str]:
    """The map with a new item at the end of a cell, and the new item's path."""
    edited = journey_map.model_copy(deep=True)
    _parse(edited, f"stages[{stage}].{lane}")
    if lane in SINGLE_LANES:
        path = f"stages[{stage}].{lane}"
        return edit_item(journey_map, path, text, evidence), path
    items = _items(edited, stage, lane)
    items.append(_claim(LANE_TYPES[lane], text, list(evidence or [])))
    edit = MapEdit(action="add", stage=edited.stages[stage].name, lane=lane, after=items[-1].text)
    return _logged(edited, edit), f"stages[{stage}].{lane}[{len(items) - 1}]"


def delete_item(journey_map: JourneyMap, path: str) -> JourneyMap:
    """The map without the item at `path`."""
    edited = journey_map.model_copy(deep=True)
    stage, lane, index = _parse(edited, path)
    if lane in SINGLE_LANES and stage is not None:
        old = getattr(edited.stages[stage], lane)
        before = said(old)
        setattr(edited.stages[stage], lane, None)
    else:
        items = _items(edited, stage, lane)
        if index is None or index >= len(items):
            raise EditError(f"no item at {path!r}")
        removed = items.pop(index)
        before = said(removed)
    return _logged(
        edited, MapEdit(action="delete", stage=_stage_name(edited, stage), lane=lane, before=before)
    )


def move_item(journey_map: JourneyMap, path: str, offset: int) -> tuple[JourneyMap, str]:
    """The map with the item moved `offset` places within its cell (clamped), and its new path."""
    edited = journey_map.model_copy(deep=True)
    stage, lane, index = _parse(edited, path)
    if index is None:
        raise EditError(f"{lane} holds one value; there is nothing to move it past")
    items = _items(edited, stage, lane)
    if index >= len(items):
        raise EditError(f"no item at {path!r}")
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    text = said(items[target])
    edit = MapEdit(
        action="move", stage=_stage_name(edited, stage), lane=lane, before=str(index + 1), after=text
    )
    new_path = re.sub(r"\[\d+\]$", f"[{target}]", path)
    return _logged(edited, edit), new_path


def _stage_id(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise EditError("a stage needs a name")
    return cleaned.lower()


def rename_stage(journey_map: JourneyMap, stage: int, name: str) -> JourneyMap:
    """The map with a stage renamed; its comments follow it."""
    edited = journey_map.model_copy(deep=True)
    _parse(edited, f"stages[{stage}].owner")
    new, old = _stage_id(name), edited.stages[stage].name
    if any(s.name == new for i, s in enumerate(edited.stages) if i != stage):
        raise EditError(f"there is already a stage called {new!r}")
    edited.stages[stage].name = new
    for comment in edited.comments:
        if comment.stage == old:
            comment.stage = new
    return _logged(edited, MapEdit(action="rename_stage", stage=new, before=old, after=new))


def add_stage(journey_map: JourneyMap, after: int, name: str) -> JourneyMap:
    """The map with a new, empty stage after stage `after` (-1: first)."""
    edited = journey_map.model_copy(deep=True)
    new = _stage_id(name)
    if any(s.name == new for s in edited.stages):
        raise EditError(f"there is already a stage called {new!r}")
    position = max(0, min(len(edited.stages), after + 1))
    edited.stages.insert(position, Stage(name=new))
    before = edited.stages[position - 1].name if position > 0 else ""
    return _logged(edited, MapEdit(action="add_stage", stage=new, before=before, after=new))


def remove_stage(journey_map: JourneyMap, stage: int) -> JourneyMap:
    """The map without a stage (a map keeps at least one)."""
    edited = journey_map.model_copy(deep=True)
    _parse(edited, f"stages[{stage}].owner")
    if len(edited.stages) == 1:
        raise EditError("a map needs at least one stage")
    removed = edited.stages.pop(stage)
    return _logged(edited, MapEdit(action="remove_stage", stage=removed.name, before=removed.name))


def move_stage(journey_map: JourneyMap, stage: int, offset: int) -> JourneyMap:
    """The map with a stage moved `offset` places (clamped)."""
    edited = journey_map.model_copy(deep=True)
    _parse(edited, f"stages[{stage}].owner")
    target = max(0, min(len(edited.stages) - 1, stage + offset))
    moved = edited.stages.pop(stage)
    edited.stages.insert(target, moved)
    edit = MapEdit(action="move_stage", stage=moved.name, before=str(stage + 1), after=str(target + 1))
    return _logged(edited, edit)


def add_comment(
    journey_map: JourneyMap, path: str, text: str, author: str = "", department: str = ""
) -> JourneyMap:
    """The map with a comment on the item at `path`, anchored to the item's text."""
    if not text.strip():
        raise EditError("a comment needs some text")
    stage, lane, _ = _parse(journey_map, path)
    target = comment_target(journey_map, path)
    if target is None:
        raise EditError(f"no item at {path!r} to comment on")
    edited = journey_map.model_copy(deep=True)
    comment = Comment(
        stage=_stage_name(edited, stage),
        lane=lane,
        item=target,
        text=text.strip(),
        author=author.strip(),
        department=department.strip(),
    )
    edited.comments.append(comment)
    return edited


def comment_target(journey_map: JourneyMap, path: str) -> str | None:
    """The text a comment on `path` is anchored to."""
    stage, lane, index = _parse(journey_map, path)
    if lane in SINGLE_LANES and stage is not None:
        value = getattr(journey_map.stages[stage], lane)
        if value is None:
            return None
        return said(value)
    items = _items(journey_map, stage, lane)
    if index is None or index >= len(items):
        return None
    return said(items[index])


def comments_on(journey_map: JourneyMap, path: str) -> list[Comment]:
    """The comments anchored to the item at `path`."""
    try:
        stage, lane, _ = _parse(journey_map, path)
        target = comment_target(journey_map, path)
    except EditError:
        return []
    name = _stage_name(journey_map, stage)
    return [c for c in journey_map.comments if c.stage == name and c.lane == lane and c.item == target]
