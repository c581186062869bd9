"""Funnel eval: the sample event log and weekly export against their ground truth; real files beside them.

UCI's expected conversions are computed here independently (plain csv module, no DuckDB), so the
eval compares two implementations; the dataset's NOTE gives the overall figure (1,908 of 12,330).
The real files (OTTO session events, UCI, the Fivetran Facebook Ads daily seed) are read with no
`--steps`: the column roles and the step aliases find the steps, and the figures are compared with
the hand-computed facts of evals/datasets/ingest/manifest.yaml.
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
SHARED = ROOT.parent / "shared" / "datasets"
MANIFEST = ROOT / "evals" / "datasets" / "ingest" / "manifest.yaml"
REAL = {  # manifest id -> (file, window seconds: 0 = any order, as the manifest counts them)
    "otto_session_events": (SHARED / "event_logs_support_and_shop" / "otto_sessions_sample_events.csv", 0),
    "uci_online_shoppers": (UCI, 7 * 86400),
    "fivetran_facebook_ads_daily": (
        ROOT
        / "evals"
        / "datasets"
        / "ingest"
        / "files"
        / "fivetran_facebook_ads"
        / "facebook_ads_basic_ad_data.csv",
        7 * 86400,
    ),
}


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

    overall = compute_funnel(UCI, ["sessions", "Revenue"])  # the named steps still work
    errors = [abs(overall.overall_conversion - 1908 / 12330)]
    for column in ("VisitorType", "Month"):
        expected = _uci_truth(column)
        result = compute_funnel(UCI, ["sessions", "Revenue"], by=column)
        errors += [abs(g.overall_conversion - expected[g.value]) for g in result.breakdown]
    real_cells: list[bool] = []
    real_notes: list[str] = []
    entries = {e["id"]: e for e in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    for entry_id, (path, window) in REAL.items():
        fact = next(f for f in entries[entry_id]["facts"] if f["type"] == "funnel")
        result = compute_funnel(path, window_seconds=window)  # no --steps
        rates = [s.conversion_from_previous or 0.0 for s in result.steps[1:]]
        real_cells.append(abs(result.overall_conversion - float(fact["overall"])) <= 5e-4)
        real_cells += [abs(a - float(b)) <= 5e-4 for a, b in zip(rates, fact["transitions"], strict=False)]
        real_cells.append(len(rates) == len(fact["transitions"]))
        real_notes.append(
            f"{result.source} ({result.shape}{', any order' if window == 0 else ''}): "
            f"{' → '.join(f'{s.name} [{s.step}] {s.count:,}' for s in result.steps)}; "
            f"overall {result.overall_conversion:.2%} (manifest {float(fact['overall']):.2%})"
            + "".join(f"; {w.kind}: {w.message}" for w in result.warnings if w.kind != "small_sample")
        )
    ordered = compute_funnel(REAL["otto_session_events"][0])
    real_notes.append(
        "OTTO ordered within 7 days of the first click: "
        + " → ".join(f"{s.name} {s.count}" for s in ordered.steps)
        + f" ({ordered.overall_conversion:.0%}); sessions span up to 4 weeks"
    )
    metrics = [
        Metric("event log step counts exact", log_exact, 1.0),
        Metric("weekly export step counts exact", weekly_exact, 1.0),
        Metric("missing tablet week reported", missing_reported, 1.0),
        Metric("UCI overall conversion", overall.overall_conversion, None),
        Metric("UCI max conversion error (points)", max(errors) * 100, 0.1, higher_is_better=False),
        Metric("real files: figures as the manifest, no --steps", sum(real_cells) / len(real_cells), 1.0),
    ]
    notes = [
        f"event log: {' → '.join(f'{s.name} {s.count:,}' for s in log.steps)}",
        f"UCI: {overall.steps[-1].count:,} of {overall.steps[0].count:,} sessions bought "
        f"({overall.overall_conversion:.2%}); checked by VisitorType and Month ({len(errors) - 1} groups)",
    ]
    return EvalResult("funnel", metrics, notes + real_notes)
