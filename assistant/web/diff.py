"""What changed between two versions of a map, lane by lane."""

from __future__ import annotations

import html

from assistant.maps.models import JourneyMap
from assistant.web.grid import LANES, item_text, lane_items


def map_diff(old: JourneyMap, new: JourneyMap) -> list[tuple[str, str, str]]:
    """(stage, lane, change) for every item added or removed and every emotion that moved."""
    changes: list[tuple[str, str, str]] = []
    old_stages = {s.name: i for i, s in enumerate(old.stages)}
    new_stages = {s.name: i for i, s in enumerate(new.stages)}
    for name in [*new_stages, *[n for n in old_stages if n not in new_stages]]:
        if name not in old_stages:
            changes.append((name, "stage", "added"))
            continue
        if name not in new_stages:
            changes.append((name, "stage", "removed"))
            continue
        for lane, title in LANES:
            before = [item_text(lane, i) for _, i in lane_items(old, old_stages[name], lane)]
            after = [item_text(lane, i) for _, i in lane_items(new, new_stages[name], lane)]
            for text in after:
                if text not in before:
                    changes.append((name, title, f"+ {text}"))
            for text in before:
                if text not in after:
                    changes.append((name, title, f"− {text}"))
    return changes


def diff_markdown(old: JourneyMap, new: JourneyMap) -> str:
    """The diff as a Markdown table (text escaped)."""
    changes = map_diff(old, new)
    header = (
        f"**{html.escape(new.title)}**: version {old.version} → {new.version}, {len(changes)} changes\n\n"
    )
    if not changes:
        return header + "The two versions are the same."
    rows = ["| stage | lane | change |", "|---|---|---|"]
    for stage, lane, change in changes:
        text = html.escape(change, quote=False).replace("|", "\\|")
        rows.append(f"| {html.escape(stage)} | {lane} | {text} |")
    return header + "\n".join(rows)
