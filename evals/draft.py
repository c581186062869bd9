"""Drafting eval: stage tagging, sentiment, theme recovery of planted causes, citation validity.

Theme recovery is judged by content, not by name: a planted cause counts as recovered when some
theme of its stage draws at least PURITY of its records from that cause (by the ground truth of
each record); its share error is |theme share - true share|, both over the stage's records.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from assistant.maps.citations import cited_items, find_problems
from assistant.workflow import draft_map
from evals import sentiment as sentiment_eval
from evals import stages as stages_eval
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "evals" / "ground_truth"
ID_COLUMNS = {
    "support_tickets.csv": "ticket_id",
    "app_store_reviews.csv": "review_id",
    "customer_survey_2026q3.csv": "respondent_id",
}
PURITY = 0.6
SHARE_TOLERANCE = 0.05
LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")


def truth_by_record() -> dict[tuple[str, str], dict[str, str]]:
    """Ground-truth labels keyed by (source file, record id)."""
    with (TRUTH / "records.csv").open(encoding="utf-8") as handle:
        return {(r["source"], r["record_id"]): r for r in csv.DictReader(handle)}


def run() -> EvalResult:
    """Draft the sample base's map offline and score it against the planted causes."""
    journey = sample_journey()
    result = draft_map(journey, WORKSPACE, save=False)
    journey_map, digest = result.journey_map, result.digest
    planted = yaml.safe_load((TRUTH / "planted_causes.yaml").read_text(encoding="utf-8"))
    truth = truth_by_record()
    records = {r.id: r for r in journey.analyzer(WORKSPACE).records()}

    def truth_key(evidence_id: str) -> tuple[str, str] | None:
        record = records.get(evidence_id)
        column = ID_COLUMNS.get(record.source) if record else None
        return (record.source, str(record.attributes.get(column))) if record and column else None

    rows = [
        "| stage | cause | true share | theme | theme share | error | purity |",
        "|---|---|---|---|---|---|---|",
    ]
    recovered, errors, causes = 0, [], 0
    for stage_id, info in planted["stages"].items():
        stage = digest.stage(stage_id)
        for cause, facts in (info.get("causes") or {}).items():
            causes += 1
            best = None
            for theme in stage.themes if stage else []:
                keys = {k for k in (truth_key(i) for i in theme.evidence_ids) if k}
                labels = Counter(truth[k]["cause"] for k in keys if k in truth)
                purity = labels[cause] / max(len(keys), 1)
                if purity >= PURITY and (best is None or labels[cause] > best[1]):
                    best = (theme, labels[cause], purity)
            if best is None:
                rows.append(f"| {stage_id} | {cause} | {facts['share']:.3f} | — | — | — | — |")
                continue
            theme, _, purity = best
            error = abs(theme.share - facts["share"])
            errors.append(error)
            recovered += error <= SHARE_TOLERANCE
            rows.append(
                f"| {stage_id} | {cause} | {facts['share']:.3f} | {theme.label} | {theme.share:.3f} | "
                f"{error:.3f} | {purity:.2f} |"
            )
    data_items = [(p, i) for p, i in cited_items(journey_map) if getattr(i, "basis", "") == "data"]
    problems = find_problems(journey_map, {r.id: r.text for r in records.values()})
    bad_paths = {p.path for p in problems}
    valid_share = sum(1 for p, _ in data_items if p not in bad_paths) / max(len(data_items), 1)
    complete = all(
        all(getattr(s, lane) for lane in LANES) and s.emotion is not None and s.owner is not None
        for s in journey_map.stages
    )
    by_stage = defaultdict(int)
    for stage in digest.stages:
        by_stage[stage.id] = stage.count
    # Emotion: the drafted score against the truth's balance of positive and negative records.
    emotion_errors = []
    for stage in journey_map.stages:
        facts = planted["stages"].get(stage.name, {}).get("sentiment")
        if facts and stage.emotion is not None:
            truth_balance = (facts["positive"] - facts["negative"]) / max(sum(facts.values()), 1)
            emotion_errors.append(abs(stage.emotion.score - truth_balance))
    metrics = [
        Metric(
            "emotion score abs error vs truth balance",
            sum(emotion_errors) / max(len(emotion_errors), 1),
            0.15,
            higher_is_better=False,
        ),
        Metric("themes recovered within 5 pts (recall)", recovered / max(causes, 1), 0.9),
        Metric("theme share mean abs error", sum(errors) / max(len(errors), 1), 0.05, higher_is_better=False),
        Metric("data items with valid citations", valid_share, 1.0),
        Metric("every stage has every component", float(complete), 1.0),
    ]
    notes = [
        f"{causes} planted causes; map of {len(journey_map.stages)} stages, "
        f"{len(data_items)} data-based items",
        "records per stage: " + ", ".join(f"{k} {v}" for k, v in by_stage.items()),
    ]
    stage_result, sentiment_result = stages_eval.run(), sentiment_eval.run()
    metrics = stage_result.metrics + sentiment_result.metrics + metrics
    notes = stage_result.notes + sentiment_result.notes + notes
    details = "\n\n".join(["\n".join(rows), stage_result.details, sentiment_result.details])
    return EvalResult("draft", metrics, notes, details=details)
