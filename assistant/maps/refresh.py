"""Keeping a map current: a fresh draft with the person's edits carried over, and what changed.

The edits are carried by what they say, not by position: renamed, removed and added stages are
redone by name; items a person wrote or changed stay in their stage and lane (replacing the
drafted item they rewrote); items they deleted stay deleted; comments stay with their items.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from assistant.maps.citations import cited_items
from assistant.maps.editing import said
from assistant.maps.models import JourneyMap, MapEdit, Stage
from assistant.models import Claim

ITEM_LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")
EMOTION_SHIFT = 0.1  # a stage's emotion moving less than this is noise of the sentiment scores


def drafted_names(current: JourneyMap) -> list[str]:
    """The stage ids the map's stages were drafted as, renames undone (added stages keep their name)."""
    origin = {s.name: s.name for s in current.stages}
    for edit in reversed(current.edits):
        if edit.action == "rename_stage":
            for shown, was in origin.items():
                if was == edit.after:
                    origin[shown] = edit.before
    return [origin[s.name] for s in current.stages]


def _rename_and_drop(journey_map: JourneyMap, current: JourneyMap) -> None:
    for edit in current.edits:
        if edit.action == "rename_stage":
            for stage in journey_map.stages:
                if stage.name == edit.before:
                    stage.name = edit.after
        elif edit.action == "remove_stage":
            journey_map.stages = [s for s in journey_map.stages if s.name != edit.before]


def _edits_by_final_stage(current: JourneyMap) -> list[tuple[str, MapEdit]]:
    """Each edit with the name its stage has now (an edit made before a rename follows the stage)."""
    later: dict[str, str] = {}
    named: list[tuple[str, MapEdit]] = []
    for edit in reversed(current.edits):
        named.append((later.get(edit.stage, edit.stage), edit))
        if edit.action == "rename_stage":
            later[edit.before] = later.get(edit.after, edit.after)
    return named[::-1]


def _carry_items(fresh: Stage, kept: Stage, current: JourneyMap) -> None:
    edits = [e for stage, e in _edits_by_final_stage(current) if stage == kept.name]
    for lane in ITEM_LANES:
        items: list[Claim] = getattr(fresh, lane)
        gone = {e.before for e in edits if e.lane == lane and e.action in ("edit", "delete")}
        items[:] = [i for i in items if i.text not in gone]
        for mine in (i for i in getattr(kept, lane) if i.author == "user"):
            same = [n for n, i in enumerate(items) if i.text == mine.text]
            if same:
                items[same[0]] = mine
            else:
                items.append(mine)
    for lane in ("emotion", "owner"):
        value = getattr(kept, lane)
        if value is not None and value.author == "user":
            setattr(fresh, lane, value)
        elif value is None and any(e.lane == lane and e.action == "delete" for e in edits):
            setattr(fresh, lane, None)


def carry_edits(fresh: JourneyMap, current: JourneyMap) -> JourneyMap:
    """The fresh draft with `current`'s edits, comments, id and edit history carried over."""
    merged = fresh.model_copy(deep=True)
    _rename_and_drop(merged, current)
    by_name = {s.name: s for s in merged.stages}
    stages: list[Stage] = []
    for kept in current.stages:
        fresh_stage = by_name.pop(kept.name, None)
        if fresh_stage is None:  # a stage the person added: it has only what they put in it
            stages.append(kept.model_copy(deep=True))
            continue
        _carry_items(fresh_stage, kept, current)
        stages.append(fresh_stage)
    stages += list(by_name.values())  # stages the stage set has and the map did not (none, usually)
    merged.stages = stages
    traits = merged.persona.traits
    for mine in (t for t in current.persona.traits if t.author == "user"):
        if all(t.text != mine.text for t in traits):
            traits.append(mine)
    return merged.model_copy(
        update={
            "id": current.id,
            "title": current.title,
            "comments": [c.model_copy() for c in current.comments],
            "edits": list(current.edits),
        }
    )


def what_changed(old: JourneyMap, new: JourneyMap, existing_ids: Collection[str]) -> list[str]:
    """What a refresh changed, most telling first: new and grown pains, emotion, KPI values, lost evidence."""
    pains, grown, emotions, kpis, lost = [], [], [], [], []
    old_stages = {s.name: s for s in old.stages}
    for stage in new.stages:
        before = old_stages.get(stage.name)
        title = stage.name.title()
        if before is None:
            continue
        old_pains = {p.text: p for p in before.pain_points}
        for pain in stage.pain_points:
            was, now = old_pains.get(pain.text), pain.frequency
            if was is None:
                size = f" ({now.count} records)" if now is not None else ""
                pains.append(f"New pain in {title}: {pain.text}{size}")
            elif now is not None and was.frequency is not None and now.count != was.frequency.count:
                verb = "grew" if now.count > was.frequency.count else "shrank"
                grown.append(
                    f"{pain.text} ({title}) {verb}: {was.frequency.count} → {now.count} records"
                    f" ({was.frequency.share:.0%} → {now.share:.0%} of the stage)"
                )
        if (
            stage.emotion
            and before.emotion
            and abs(stage.emotion.score - before.emotion.score) >= EMOTION_SHIFT
        ):
            emotions.append(
                f"Emotion in {title}: {before.emotion.score:+.2f} {before.emotion.label} → "
                f"{stage.emotion.score:+.2f} {stage.emotion.label}"
            )
        old_kpis = {k.name: k.value for k in before.kpis}
        for kpi in stage.kpis:
            if kpi.value and old_kpis.get(kpi.name) != kpi.value:
                kpis.append(f"KPI {kpi.name} ({title}): {old_kpis.get(kpi.name) or 'no value'} → {kpi.value}")
    for path, item in cited_items(old):
        missing = [c for c in item.evidence if c.evidence_id not in existing_ids]
        if missing:
            index = re.match(r"stages\[(\d+)\]", path)
            place = old.stages[int(index[1])].name.title() if index else "Persona"
            where = f"“{said(item)}” ({place})"
            lost.append(f"Evidence gone for {where}: {len(missing)} of its {len(item.evidence)} records")
    return pains + grown + emotions + kpis + lost
