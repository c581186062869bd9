"""Ask eval: the drop-off question on the sample base, and questions with expected facts.

1. "why do customers drop off at checkout?": the largest drop-off step and its conversion against
   the weekly export's truth (within one point), and the planted purchase causes in the order of
   their true shares (Spearman rank correlation of our "why" order, >= 0.8). A "why" theme is matched
   to a planted cause by the ground truth of its records (majority cause, as the draft eval does).
2. Every question in `evals/datasets/ask_questions.yaml`: the detected intent and the expected facts.
   Conversions on the real UCI sessions are checked by `python -m evals funnel`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from scipy.stats import spearmanr

from assistant.ask.service import ask
from evals.draft import ID_COLUMNS, TRUTH, truth_by_record
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "evals" / "datasets" / "ask_questions.yaml"
DROPOFF_QUESTION = "why do customers drop off at checkout?"


def run() -> EvalResult:
    """Ask the drop-off question and the labelled questions offline; score the facts."""
    journey = sample_journey()
    planted = yaml.safe_load((TRUTH / "planted_causes.yaml").read_text(encoding="utf-8"))
    truth_drop = planted["checkout_dropoff"]["weekly_export"]["largest_checkout_dropoff"]
    answer = ask(journey, WORKSPACE, DROPOFF_QUESTION, use_llm=False)
    where = [f for f in answer.facts if f.kind == "where"]
    largest = where[0] if where else None
    step = largest.label.split(" (")[0].replace(" → ", "_to_") if largest else ""
    step_ok = float(step == truth_drop["step"])
    conversion_error = abs((largest.value or 0) - truth_drop["conversion"]) if largest else 1.0

    # Rank correlation of our "why" themes with the planted purchase causes' shares.
    analyzer = journey.analyzer(WORKSPACE)
    records = {r.id: r for r in analyzer.records()}
    truth = truth_by_record()
    stage = analyzer.digest().stage("purchase")
    by_label = {t.label: t for t in stage.themes} if stage else {}
    causes = planted["stages"]["purchase"]["causes"]
    ours: list[str] = []
    for fact in (f for f in answer.facts if f.kind == "why"):
        theme = by_label.get(fact.label)
        if theme is None:
            continue
        labels = Counter()
        for rid in theme.evidence_ids:
            record = records.get(rid)
            column = ID_COLUMNS.get(record.source) if record else None
            key = (record.source, str(record.attributes.get(column))) if record and column else None
            if key in truth:
                labels[truth[key]["cause"]] += 1
        cause = labels.most_common(1)[0][0] if labels else ""
        if cause in causes and cause not in ours:
            ours.append(cause)
    true_order = sorted(causes, key=lambda c: -causes[c]["share"])
    ranks = [ours.index(c) if c in ours else len(true_order) for c in true_order]
    rho = float(spearmanr(range(len(true_order)), ranks).statistic) if len(set(ranks)) > 1 else 0.0
    found = sum(c in ours for c in true_order) / len(true_order)

    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    passed, rows = 0, ["| question | intent | missing |", "|---|---|---|"]
    for item in questions:
        reply = ask(journey, WORKSPACE, item["question"], use_llm=False)
        text = reply.answer.lower()
        missing = [e for e in item["expect"] if e.lower() not in text]
        intent_ok = reply.intent == item["intent"]
        passed += intent_ok and not missing
        if not intent_ok or missing:
            wanted = f"{reply.intent} (want {item['intent']})"
            rows.append(f"| {item['question']} | {wanted} | {'; '.join(missing)} |")
    metrics = [
        Metric("largest drop-off step matches", step_ok, 1.0),
        Metric("its conversion error (points)", conversion_error * 100, 1.0, higher_is_better=False),
        Metric("planted purchase causes found", found, 1.0),
        Metric("Spearman of cause order", rho, 0.8),
        Metric("questions with every expected fact", passed / len(questions), 0.85),
    ]
    notes = [
        f"largest drop: {largest.label if largest else '—'} {largest.figure if largest else ''}",
        f"why order: {', '.join(ours)}; truth: {', '.join(true_order)}",
        f"{len(questions)} questions, {passed} fully answered",
    ]
    return EvalResult("ask", metrics, notes, details="\n".join(rows))
