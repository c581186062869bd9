"""Funnel eval: the sample event log and weekly export against their ground truth, and real UCI sessions.

UCI's expected conversions are computed here independently (plain csv module, no DuckDB), so the
eval compares two implementations; the dataset's NOTE gives the overall figure (1,908 of 12,330).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import yaml

from assistant.funnels import compute_funnel
from evals.runner import EvalResult, Metric

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge" / "analytics"
TRUTH = ROOT / "evals" / "ground_truth" / "planted_causes.yaml"
UCI = ROOT.parent / "shared" / "datasets" / "uci_online_shoppers_intention" / "online_shoppers_intention.csv"
STEPS = ["visit", "product", "cart", "checkout", "payment", "order"]


def _uci_truth(column: str) -> dict[str, float]:
    entered: dict[str, int] = defaultdict(int)
    bought: dict[str, int] = defaultdict(int)
    with UCI.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entered[row[column]] += 1
            bought[row[column]] += row["Revenue"] == "TRUE"
    return {value: bought[value] / entered[value] for value in entered}


def run() -> EvalResult:
    """Compare every computed step count and conversion with the truth."""
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))["checkout_dropoff"]
    log = compute_funnel(KNOWLEDGE / "events.csv", by="device")
    reached = truth["event_log"]["users_reached"]
    cells = [(s.count, reached["overall"][s.name]) for s in log.steps]
    cells += [(s.count, reached[g.value][s.name]) for g in log.breakdown for s in g.steps]
    log_exact = sum(a == b for a, b in cells) / len(cells)

    weekly = compute_funnel(KNOWLEDGE / "funnel_weekly_by_device.csv")
    totals = truth["weekly_export"]["totals"]
    cells = [(s.count, totals["overall"][s.name]) for s in weekly.steps]
    cells += [(s.count, totals[g.value][s.name]) for g in weekly.breakdown for s in g.steps]
    weekly_exact = sum(a == b for a, b in cells) / len(cells)
    missing = [w for w in weekly.warnings if w.kind == "missing_period" and "tablet" in w.message]
    missing_reported = float(bool(missing))

    overall = compute_funnel(UCI, ["sessions", "Revenue"])
    errors = [abs(overall.overall_conversion - 1908 / 12330)]
    for column in ("VisitorType", "Month"):
        expected = _uci_truth(column)
        result = compute_funnel(UCI, ["sessions", "Revenue"], by=column)
        errors += [abs(g.overall_conversion - expected[g.value]) for g in result.breakdown]
    metrics = [
        Metric("event log step counts exact", log_exact, 1.0),
        Metric("weekly export step counts exact", weekly_exact, 1.0),
        Metric("missing tablet week reported", missing_reported, 1.0),
        Metric("UCI overall conversion", overall.overall_conversion, None),
        Metric("UCI max conversion error (points)", max(errors) * 100, 0.1, higher_is_better=False),
    ]
    notes = [
        f"event log: {' → '.join(f'{s.name} {s.count:,}' for s in log.steps)}",
        f"UCI: {overall.steps[-1].count:,} of {overall.steps[0].count:,} sessions bought "
        f"({overall.overall_conversion:.2%}); checked by VisitorType and Month ({len(errors) - 1} groups)",
    ]
    return EvalResult("funnel", metrics, notes)
