"""An answer written from its facts without a model: where, who, why, then outside context."""

from __future__ import annotations

import html
from collections.abc import Mapping

from assistant.ask.models import AskAnswer, Fact


def _esc(text: str) -> str:
    # Evidence is untrusted: <, > and & are escaped so it shows as text, never as markup.
    return html.escape(text, quote=False)


HEADINGS = {
    "where": "Where customers drop off",
    "who": "Who drops more",
    "why": "Why (ranked by your customers' own evidence)",
    "survey": "What survey respondents chose (closed answers)",
    "say": "What customers say",
    "compare": "Segments compared",
    "data_quality": "Data quality",
    "context": "Outside context (research; not counted in the ranking above)",
}
ORDER = ("where", "who", "why", "survey", "say", "compare", "data_quality", "context")


def _refs(fact: Fact, numbers: dict[tuple[str, str], int]) -> str:
    refs = [numbers[(c.evidence_id, c.quote)] for c in fact.evidence if (c.evidence_id, c.quote) in numbers]
    return " " + "".join(f"[{n}]" for n in refs) if refs else ""


def render_offline(answer: AskAnswer, computed: Mapping[str, str] | None = None) -> str:
    """Markdown answer: sections of facts with numbered references, then the references.

    `computed` maps computed-figure records to how they were computed: such a reference is shown
    as the figure and its computation (file, column, base), not as a quote someone said.
    """
    computed = computed or {}
    numbers = {(c.evidence_id, c.quote): i for i, c in enumerate(answer.citations, start=1)}
    lines = [f"**{_esc(answer.question)}**", ""]
    if answer.follow_up:
        lines += [f"_{_esc(answer.follow_up)}_", ""]
    if not answer.facts:
        lines.append("I found no evidence that speaks to this in this workspace.")
    for kind in ORDER:
        chosen = [f for f in answer.facts if f.kind == kind]
        if not chosen:
            continue
        lines += [f"### {HEADINGS[kind]}", ""]
        for rank, fact in enumerate(chosen, start=1):
            prefix = f"{rank}. " if kind in ("why", "survey") else "- "
            figure = f": {fact.figure}" if fact.figure else ""
            lines.append(f"{prefix}**{_esc(fact.label)}**{_esc(figure)}{_refs(fact, numbers)}")
        lines.append("")
    if answer.thin_evidence and answer.intent != "general":
        lines += [
            "_The evidence is thin: few customer records speak to this, so read the ranking with care._",
            "",
        ]
    for warning in answer.warnings:
        lines.append(f"_Note: {_esc(warning)}_")
    if answer.citations:
        lines += ["", "References:"]
        for number, citation in enumerate(answer.citations, start=1):
            how = computed.get(citation.evidence_id)
            if how is not None:
                shown = f"computed figure: {_esc(citation.quote)} — {_esc(how)}"
                lines.append(f"[{number}] `{citation.evidence_id}` {shown}")
            else:
                lines.append(f"[{number}] `{citation.evidence_id}` “{_esc(citation.quote)}”")
    return "\n".join(lines).strip() + "\n"
