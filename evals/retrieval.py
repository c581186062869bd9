"""Retrieval eval: recall@10 and MRR of hybrid, dense-only and lexical-only search."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.models import Evidence
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

DATASET = Path(__file__).parent / "datasets" / "retrieval.yaml"
K = 10


def is_relevant(evidence: Evidence, relevant: list[dict[str, str]]) -> bool:
    """Whether a record is one of the question's relevant records (by source and a verbatim part)."""
    return any(evidence.source == r["source"] and r["contains"] in evidence.text for r in relevant)


def run() -> EvalResult:
    """Run every question in every mode and compare."""
    spec = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    thresholds = spec.get("thresholds", {})
    journey = sample_journey()
    rows = ["| id | hybrid rank | dense rank | lexical rank | question |", "|---|---|---|---|---|"]
    figures: dict[str, dict[str, float]] = {}
    per_question: dict[str, dict[str, int | None]] = {}
    for mode in ("hybrid", "dense", "lexical"):
        recalls, reciprocal = [], []
        for question in spec["questions"]:
            hits = journey.retriever.search(WORKSPACE, question["question"], k=K, mode=mode)
            relevant = question["relevant"]
            found = {i for r in relevant for i, h in enumerate(hits) if is_relevant(h.evidence, [r])}
            covered = sum(1 for r in relevant if any(is_relevant(h.evidence, [r]) for h in hits))
            recalls.append(covered / len(relevant))
            first = min(found) + 1 if found else None
            reciprocal.append(1 / first if first else 0.0)
            per_question.setdefault(question["id"], {})[mode] = first
        figures[mode] = {
            "recall_at_10": sum(recalls) / len(recalls),
            "mrr": sum(reciprocal) / len(reciprocal),
        }
    for question in spec["questions"]:
        ranks = per_question[question["id"]]
        rows.append(
            f"| {question['id']} | {ranks['hybrid'] or '—'} | {ranks['dense'] or '—'} | "
            f"{ranks['lexical'] or '—'} | {question['question']} |"
        )
    metrics = [
        Metric("hybrid recall@10", figures["hybrid"]["recall_at_10"], thresholds.get("recall_at_10")),
        Metric("hybrid MRR", figures["hybrid"]["mrr"], thresholds.get("mrr")),
        Metric("dense recall@10", figures["dense"]["recall_at_10"]),
        Metric("dense MRR", figures["dense"]["mrr"]),
        Metric("lexical recall@10", figures["lexical"]["recall_at_10"]),
        Metric("lexical MRR", figures["lexical"]["mrr"]),
    ]
    notes = [
        f"{len(spec['questions'])} questions over the sample base "
        f"({journey.store.count(WORKSPACE)} records); rank = position of the first relevant record"
    ]
    return EvalResult("retrieval", metrics, notes, details="\n".join(rows))
