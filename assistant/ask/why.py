"""Why: a stage's complaint themes and closed survey answers, with outside context kept apart.

Only the company's own customer records are counted. Research documents (a published study the
user ingested as `--kind research`, or the team's own summary) restate or generalise; they are
shown as context, labelled, and never change the ranking.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from assistant.ask.models import Fact
from assistant.models import Citation
from assistant.review.facts import WorkspaceFacts

REASON_COLUMN = re.compile(r"obstacle|reason|why|barrier|problem|issue|complaint|main_", re.I)
REASON_MAX_VALUES = 25
CONTEXT_RECORDS = 3
MIN_THEME_COUNT = 2
MAX_THEMES = 6


def theme_facts(facts: WorkspaceFacts, stage_id: str) -> list[Fact]:
    """The stage's themes, largest first, each with its count, share and quotes."""
    stage = facts.digest.stage(stage_id)
    if stage is None:
        return []
    themes = [t for t in stage.themes if t.count >= MIN_THEME_COUNT]
    return [
        Fact(
            kind="why",
            label=theme.label,
            figure=f"{theme.count} records ({theme.share:.0%} of the {stage.name} stage's feedback)",
            value=theme.share,
            count=theme.count,
            evidence=list(theme.quotes[:2]),
        )
        for theme in themes[:MAX_THEMES]
    ]


def closed_answer_facts(facts: WorkspaceFacts) -> list[Fact]:
    """Closed survey answers that give a reason (a column like main_obstacle), counted."""
    by_column: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in facts.records.values():
        if record.kind == "research":
            continue
        for key, value in record.attributes.items():
            if isinstance(value, str) and value.strip() and REASON_COLUMN.search(key):
                by_column[key][value.strip()] += 1
                if len(examples[(key, value.strip())]) < 2:
                    examples[(key, value.strip())].append(record.id)
    found = []
    for column, counts in by_column.items():
        if not 2 <= len(counts) <= REASON_MAX_VALUES:
            continue
        total = sum(counts.values())
        for value, count in counts.most_common(5):
            evidence = [
                Citation(evidence_id=rid, quote=facts.records[rid].text.strip()[:80])
                for rid in examples[(column, value)]
                if facts.records[rid].text.strip()
            ]
            found.append(
                Fact(
                    kind="survey",
                    label=f"{column}: {value}",
                    figure=f"{count} of {total} answers ({count / total:.0%})",
                    value=count / total,
                    count=count,
                    evidence=evidence,
                )
            )
    return found


def outside_context(facts: WorkspaceFacts, question: str) -> list[Fact]:
    """Research documents relevant to the question, labelled as context (never ranked or counted)."""
    hits = facts.journey.retriever.search(facts.workspace, question, k=40)
    chosen = [h.evidence for h in hits if h.evidence.kind == "research"][:CONTEXT_RECORDS]
    return [
        Fact(
            kind="context",
            label=f"{evidence.source} (research, not your customers' own words)",
            figure="",
            evidence=[Citation(evidence_id=evidence.id, quote=_opening(evidence.text))],
            outside=True,
        )
        for evidence in chosen
    ]


def _opening(text: str, limit: int = 200) -> str:
    flat = text.strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut
