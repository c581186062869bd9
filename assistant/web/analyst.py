"""Answers and reviews written for the chat the way an analyst would say them.

An answer opens with a one-line takeaway built from its top computed facts (where customers drop
off, why, who), then its sections; reference numbers point into the references list the app shows
once, beside the chat, instead of repeating it in the text. A review speaks in the grid's words
(stage and lane, not `stages[0].kpis[0]`), without record ids or similarity scores, its details
behind a toggle. Evidence and map text are escaped for Markdown as well as HTML.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from assistant.ask.models import AskAnswer, Fact
from assistant.ask.render import HEADINGS, ORDER
from assistant.maps.models import JourneyMap
from assistant.review.models import Review
from assistant.web.grid import place_label

MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}#|~>])")
RECORD_ID = re.compile(r"`?\b[0-9a-f]{24}\b`?")
SIMILARITY = re.compile(r"\s*\((?:cosine |)similarity [0-9.]+\)")
FINDINGS_SHOWN = 8


def md(text: str) -> str:
    """User data as literal Markdown text: HTML escaped, Markdown's markup characters backslashed."""
    flat = " ".join(text.split())
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(flat, quote=False))


def plain(message: str) -> str:
    """A finding's message without record ids or similarity scores."""
    return RECORD_ID.sub("a record", SIMILARITY.sub("", message))


def _refs(fact: Fact, numbers: dict[tuple[str, str], int]) -> str:
    found = [numbers[(c.evidence_id, c.quote)] for c in fact.evidence if (c.evidence_id, c.quote) in numbers]
    return " " + "".join(f"[{n}]" for n in found) if found else ""


def takeaway(answer: AskAnswer) -> str:
    """One line from the answer's strongest facts, or that the data does not speak to the question."""
    if not answer.facts:
        return (
            "**The data in this workspace does not speak to this question**: no record or table answers it."
        )
    first = {kind: next((f for f in answer.facts if f.kind == kind), None) for kind in ORDER}
    parts = []
    where, why, who, survey = first["where"], first["why"], first["who"], first["survey"]
    if where is not None:
        parts.append(f"the biggest loss is at {_short(where.label)}: {md(where.figure.split(';')[0])}")
    if why is not None:
        parts.append(f"the top reason customers give is {md(why.label)}: {md(why.figure)}")
    elif survey is not None:
        parts.append(f"respondents most often chose {md(survey.label)}: {md(survey.figure)}")
    if who is not None:
        parts.append(_short(who.label))
    if not parts:
        lead = next(f for f in answer.facts if f.kind != "context")
        parts.append(f"{md(lead.label)}" + (f": {md(lead.figure)}" if lead.figure else ""))
    sentence = "; ".join(parts)
    return f"**Takeaway:** {sentence[0].upper()}{sentence[1:]}."


def _short(label: str) -> str:
    # A fact's label names its source after a dash or in brackets; the takeaway leaves that to the
    # sections below it.
    core = re.sub(r"\s*\((?:largest drop-off|[^()]*\.(?:csv|xlsx|json|tsv))\)", "", label.split(" — ")[0])
    return md(core)


def answer_sections(answer: AskAnswer) -> list[str]:
    """The answer for the chat, as sections streamed one after another."""
    numbers = {(c.evidence_id, c.quote): i for i, c in enumerate(answer.citations, start=1)}
    sections = [takeaway(answer)]
    if answer.follow_up:
        sections.append(f"↳ _{md(answer.follow_up)}_")
    if answer.engine != "offline" and answer.answer.strip():
        sections.append(md(answer.answer.split("\n\nReferences:")[0]))
    for kind in ORDER:
        chosen = [f for f in answer.facts if f.kind == kind]
        if not chosen:
            continue
        lines = [f"#### {HEADINGS[kind]}"]
        for rank, fact in enumerate(chosen, start=1):
            bullet = f"{rank}." if kind in ("why", "survey") else "-"
            figure = f": {md(fact.figure)}" if fact.figure else ""
            lines.append(f"{bullet} **{md(fact.label)}**{figure}{_refs(fact, numbers)}")
        sections.append("\n".join(lines))
    notes = [f"_Note: {md(w)}_" for w in answer.warnings]
    if answer.thin_evidence and answer.intent != "general":
        notes.insert(0, "_Few customer records speak to this: read the ranking with care._")
    if notes:
        sections.append("\n\n".join(notes))
    if answer.citations:
        sections.append(
            f"_{len(answer.citations)} references, listed under the chat: select one to open it._"
        )
    return sections


def review_sections(review: Review, journey_map: JourneyMap) -> list[str]:
    """A review for the chat: what holds, what does not, the worst findings in the grid's words."""
    verdicts = Counter(c.verdict for c in review.claims)
    head = (
        f"**Takeaway:** {review.grounded_share:.0%} of the {len(review.claims)} claims rest on the data; "
        f"{verdicts['unsupported']} are assumptions, {verdicts['contradicted']} contradicted by it and "
        f"{verdicts['miscited']} cite "
        "records that say something else."
    )
    texts = {c.path: c.text for c in review.claims}
    worst = [f for f in review.findings if f.kind != "weak_evidence"][:FINDINGS_SHOWN]
    lines = ["#### What to fix first"]
    for finding in worst:
        place = place_label(journey_map, finding.path)
        claim = texts.get(finding.path, "")
        said = f" “{md(claim[:90])}”" if claim else ""
        lines.append(f"- **{md(place)}**{said}: {md(plain(finding.message))}")
    if not worst:
        lines.append("- Nothing: every claim the review read rests on the data.")
    details = [
        f"<li>{html.escape(place_label(journey_map, f.path))}: {html.escape(f.suggestion)}</li>"
        for f in worst
        if f.suggestion
    ]
    more = len(review.findings) - len(worst)
    sections = [head, "\n".join(lines)]
    if details:
        sections.append(f"<details><summary>Suggestions</summary><ul>{''.join(details)}</ul></details>")
    if more > 0:
        sections.append(f"_{more} more findings in the Map tab, each beside its item._")
    return sections
