"""Retrieval eval: recall@10 and MRR of hybrid, dense-only and lexical-only search."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.models import Evidence
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

DATASET = Path(__file__).parent / "datasets" / "retrieval.yaml"
K = 10
# Lexical weights of the fusion, tried side by side to show why the default was chosen.
FUSION_WEIGHTS = (0.05, 0.2, 0.3, 0.5)


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
    default_weight = journey.retriever.lexical_weight
    variants = [("hybrid", default_weight), ("dense", 0.0), ("lexical", 0.0), ("rrf", 0.0)]
    variants += [("hybrid", w) for w in FUSION_WEIGHTS if w != default_weight]
    for mode, weight in variants:
        name = mode if mode != "hybrid" or weight == default_weight else f"hybrid w={weight}"
        journey.retriever.lexical_weight = weight
        recalls, reciprocal = [], []
        for question in spec["questions"]:
            hits = journey.retriever.search(WORKSPACE, question["question"], k=K, mode=mode)  # type: ignore[arg-type]
            relevant = question["relevant"]
            found = {i for r in relevant for i, h in enumerate(hits) if is_relevant(h.evidence, [r])}
            covered = sum(1 for r in relevant if any(is_relevant(h.evidence, [r]) for h in hits))
            recalls.append(covered / len(relevant))
            first = min(found) + 1 if found else None
            reciprocal.append(1 / first if first else 0.0)
            per_question.setdefault(question["id"], {})[name] = first
        figures[name] = {
            "recall_at_10": sum(recalls) / len(recalls),
            "mrr": sum(reciprocal) / len(reciprocal),
        }
    for question in spec["questions"]:
        ranks = per_question[question["id"]]
        rows.append(
            f"| {question['id']} | {ranks['hybrid'] or '—'} | {ranks['dense'] or '—'} | "
            f"{ranks['lexical'] or '—'} | {question['question']} |"
        )
    journey.retriever.lexical_weight = default_weight
    metrics = [
        Metric("hybrid recall@10", figures["hybrid"]["recall_at_10"], thresholds.get("recall_at_10")),
        Metric("hybrid MRR", figures["hybrid"]["mrr"], thresholds.get("mrr")),
        Metric("dense recall@10", figures["dense"]["recall_at_10"]),
        Metric("dense MRR", figures["dense"]["mrr"]),
        Metric("lexical recall@10", figures["lexical"]["recall_at_10"]),
        Metric("lexical MRR", figures["lexical"]["mrr"]),
        Metric("RRF recall@10", figures["rrf"]["recall_at_10"]),
        Metric("RRF MRR", figures["rrf"]["mrr"]),
    ]
    for name, values in figures.items():
        if name.startswith("hybrid w="):
            metrics += [
                Metric(f"{name} recall@10", values["recall_at_10"]),
                Metric(f"{name} MRR", values["mrr"]),
            ]
    notes = [
        f"{len(spec['questions'])} questions over the sample base "
        f"({journey.store.count(WORKSPACE)} records); rank = position of the first relevant record"
    ]
    return EvalResult("retrieval", metrics, notes, details="\n".join(rows))
