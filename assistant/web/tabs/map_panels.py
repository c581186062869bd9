"""What the Map tab shows of a map: grid, findings, summary, and the drawer's evidence of an item.

Shared by the tabs that open a map (Chat, Map, Versions) and by the edit form, so a map opened
anywhere is shown the same way and nothing of the previous one stays on screen.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.context import Journey
from assistant.maps.editing import comments_on
from assistant.maps.models import JourneyMap
from assistant.review.models import Finding, Review
from assistant.web.analyst import plain
from assistant.web.chat import evidence_markdown
from assistant.web.grid import map_grid_html, place_label, shown_text
from assistant.workflow import Refreshed

EMPTY_GRID = (
    "<p>No map yet. Draft one (button above, or ask in the chat), or import a map file to review.</p>"
)
NO_REVIEW = "No review yet."
FINDING_HEADERS = ["severity", "where", "kind", "finding"]
# After an item or finding is chosen or edited, bring its highlighted item into view: the findings
# sit under the grid, and the opening drawer narrows the grid so its rows grow taller.
SCROLL_TO_SELECTED_JS = (
    "() => { const hit = document.querySelector('#ja-grid .ja-selected');"
    " if (hit) hit.scrollIntoView({block: 'center', behavior: 'instant'}); }"
)


@dataclass
class MapView:
    """The Map tab's components that other tabs update."""

    grid: gr.HTML
    findings: gr.Dataframe
    summary: gr.Markdown
    drawer: gr.Sidebar
    drawer_body: gr.Markdown
    download: gr.File

    def panels(self) -> list[Any]:
        """What `map_panels` fills, in its order."""
        return [self.grid, self.findings, self.summary, self.drawer, self.drawer_body, self.download]


def ordered_findings(review: Review) -> list[Finding]:
    """Problems first; "supported but cites nothing" notes last, they are the least urgent."""
    return [f for f in review.findings if f.kind != "weak_evidence"] + [
        f for f in review.findings if f.kind == "weak_evidence"
    ]


def finding_rows(journey_map: JourneyMap | None, review: Review | None) -> list[list[str]]:
    """The findings table: severity, the place in grid words with the item's text, kind, message."""
    if review is None:
        return []
    texts = {v.path: v.text for v in review.claims}
    rows = []
    for finding in ordered_findings(review):
        where = place_label(journey_map, finding.path) if journey_map else finding.path
        text = texts.get(finding.path, "")
        kind = finding.kind.replace("_", " ")
        rows.append([finding.severity, f"{where}: {text}" if text else where, kind, plain(finding.message)])
    return rows


def review_summary(review: Review | None) -> str:
    """One line: the grounded share and the findings by kind."""
    if review is None:
        return NO_REVIEW
    counts = review.counts()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "no findings"
    return (
        f"**Review** ({html.escape(review.engine)}): grounded share **{review.grounded_share:.0%}** of "
        f"{len(review.claims)} claims · {kinds}"
    )


def map_panels(
    journey_map: JourneyMap | None, review: Review | None, note: str = "", drawer: str | None = None
) -> tuple[Any, ...]:
    """Grid, findings and summary for a map (or the empty view), the download cleared.

    Opening another map, version or workspace goes through here, so nothing of the previous map
    (its evidence in the drawer, its download) stays on screen. `note` goes under the summary;
    `drawer` opens the drawer with that text (closed otherwise).
    """
    grid = map_grid_html(journey_map, review) if journey_map else EMPTY_GRID
    summary = review_summary(review) + (f"\n\n{note}" if note else "")
    return (
        grid,
        finding_rows(journey_map, review),
        summary,
        gr.Sidebar(open=drawer is not None),
        drawer or "",
        None,
    )


def item_evidence(journey: Journey, ws: str, journey_map: JourneyMap, path: str, item: object) -> str:
    """The drawer for a clicked item: where it sits, its text, its basis, then each cited record."""
    ids = [c.evidence_id for c in getattr(item, "evidence", [])]
    if not ids and hasattr(item, "evidence_id"):  # a persona quote is itself a citation
        ids = [item.evidence_id]
    head = f"### {html.escape(place_label(journey_map, path))}\n\n{html.escape(shown_text(path, item))}\n\n"
    if not ids:
        basis = getattr(item, "basis", "data")
        why = "an assumption: no data behind it" if basis == "assumption" else "it cites no evidence"
        return head + f"**{why}.** Attach evidence by citing records in an edit, or treat it as a hypothesis."
    return head + evidence_markdown(journey, ws, ids, f"{len(set(ids))} evidence record(s)")


def comments_markdown(journey_map: JourneyMap, path: str) -> str:
    """The comments on an item, oldest first."""
    found = comments_on(journey_map, path)
    if not found:
        return ""
    lines = ["**Comments**"]
    for comment in found:
        lines.append(f"- {html.escape(comment.text)} — *{html.escape(comment.by)}, {comment.at:%Y-%m-%d}*")
    return "\n".join(lines)


def finding_markdown(journey: Journey, ws: str, journey_map: JourneyMap, finding: Finding) -> str:
    """The drawer for a chosen finding: what, where, the suggestion, and the evidence it rests on."""
    place = place_label(journey_map, finding.path)
    body = f"### {html.escape(place)}\n\n**{finding.severity} · {finding.kind.replace('_', ' ')}**: "
    body += html.escape(finding.message)
    if finding.suggestion:
        body += f"\n\n→ {html.escape(finding.suggestion)}"
    if finding.evidence:
        body += "\n\n" + evidence_markdown(journey, ws, [c.evidence_id for c in finding.evidence], "Evidence")
    return body


def changes_markdown(before: JourneyMap, refreshed: Refreshed) -> str:
    """What a refresh found: the version it made (or that nothing changed) and each change."""
    kept = refreshed.saved.journey_map
    if refreshed.saved.unchanged:
        head = f"### Nothing new\n\nThe evidence gives the map of version {kept.version}: nothing was saved."
    else:
        head = (
            f"### What changed since version {before.version}\n\nSaved as version {kept.version}, "
            f"with your {len(kept.edits)} edits kept and {len(kept.comments)} comments."
        )
    lines = [f"- {html.escape(change)}" for change in refreshed.changes] or [
        "- No pain, emotion or KPI moved."
    ]
    warnings = [f"> ⚠ {html.escape(w)}" for w in refreshed.warnings]
    return "\n\n".join([head, "\n".join(lines), *warnings])
