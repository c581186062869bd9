"""Reviewer eval: labelled claims over the sample base, offline reviewer beside a cosine baseline.

Claims: every claim of the as-is map (`evals/ground_truth/as_is_map_claims.yaml`, reviewed from the
map file itself, as a user would) plus the labelled set `evals/datasets/review_claims.yaml`
(written separately from the reviewer's tuning, so its figures are the held-out ones).

- Flagging: a claim is flagged when the reviewer's verdict is unsupported or contradicted; the
  truth flags assumption and contradicted claims, against supported ones (mis-cited claims are
  scored on their own).
- Contradicted accuracy: share of contradicted claims whose verdict is contradicted.
- Mis-cited recall: share of mis-cited claims given an invalid_citation finding; and the share of
  well-cited supported claims wrongly given one.
- Baseline: flag a claim when its best cosine to any record is under a threshold, the threshold
  chosen for the best F1 on this very set (a generous baseline).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.evidence.facts import WorkspaceFacts
from assistant.models import Citation
from assistant.review.checks import ClaimChecker
from assistant.review.claims import MapClaim, map_claims
from assistant.review.importers import load_map_file
from evals.runner import EvalResult, Metric
from evals.sample_base import WORKSPACE, sample_journey

ROOT = Path(__file__).resolve().parents[1]
AS_IS = ROOT / "evals" / "ground_truth" / "as_is_map_claims.yaml"
LABELLED = ROOT / "evals" / "datasets" / "review_claims.yaml"
AS_IS_MAP = ROOT / "knowledge" / "maps" / "as_is_journey_map.csv"
FLAGGED_LABELS = {"assumption", "contradicted"}


@dataclass
class Case:
    """One labelled claim and what the reviewer said about it."""

    origin: str  # "as-is map" | "labelled set"
    claim: MapClaim
    label: str
    verdict: str = ""
    invalid_citation: bool = False
    best_cosine: float = 0.0


def as_is_cases(facts: WorkspaceFacts) -> list[Case]:
    """The as-is map's claims, read from the map file, with their labels."""
    truth = yaml.safe_load(AS_IS.read_text(encoding="utf-8"))["claims"]
    labels = {(c["stage"], c["text"].strip().lower()): c["label"] for c in truth}
    claims = map_claims(load_map_file(AS_IS_MAP, facts.analyzer.stage_set))
    cases = [Case("as-is map", c, labels[(c.stage, c.text.strip().lower())]) for c in claims]
    if len(cases) != len(truth):
        raise AssertionError(f"as-is map has {len(cases)} claims, its truth file {len(truth)}")
    return cases


def labelled_cases() -> list[Case]:
    """The separately written labelled claims, as map claims with paths."""
    if not LABELLED.exists():
        return []
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    cases = []
    for index, item in enumerate(data["claims"]):
        lane = item["lane"]
        path = f"persona.traits[{index}]" if lane == "persona" else f"stages[{item['stage']}].{lane}[{index}]"
        citations = [
            Citation(evidence_id=e["evidence_id"], quote=e["quote"]) for e in item.get("evidence") or []
        ]
        value = None
        if lane == "kpis":
            from assistant.review.importers import parse_kpi

            value = parse_kpi(item["text"]).value
        claim = MapClaim(
            path,
            lane,
            item.get("stage"),
            item["text"] if lane != "emotion" else f"{item['emotion_score']:+.1f} {item['text']}",
            citations,
            emotion_score=item.get("emotion_score"),
            kpi_value=value,
        )
        cases.append(Case("labelled set", claim, item["label"]))
    return cases


def _prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run() -> EvalResult:
    """Review every labelled claim offline and score the flags, beside the cosine baseline."""
    journey = sample_journey()
    facts = WorkspaceFacts(journey, WORKSPACE)
    checker = ClaimChecker(facts)
    cases = as_is_cases(facts) + labelled_cases()
    records = list(facts.records.values())
    matrix = np.stack([r.vector for r in records])
    for case in cases:
        verdict, findings = checker.check(case.claim)
        case.verdict = verdict.verdict
        case.invalid_citation = any(f.kind == "invalid_citation" for f in findings)
        vector = np.asarray(journey.store.embedder.embed_query(case.claim.text))
        case.best_cosine = float((matrix @ vector).max())
    facts.analyzer.save_cache()

    flaggable = [c for c in cases if c.label != "miscited"]
    gold = [c.label in FLAGGED_LABELS for c in flaggable]
    ours = [c.verdict in ("unsupported", "contradicted") for c in flaggable]
    precision, recall, f1 = _prf(list(zip(ours, gold, strict=True)))
    best = max(
        (
            (t, _prf([(c.best_cosine < t, g) for c, g in zip(flaggable, gold, strict=True)]))
            for t in np.arange(0.2, 0.9, 0.01)
        ),
        key=lambda item: item[1][2],
    )
    threshold, (b_precision, b_recall, b_f1) = best
    contradicted = [c for c in cases if c.label == "contradicted"]
    contradicted_accuracy = sum(c.verdict == "contradicted" for c in contradicted) / max(len(contradicted), 1)
    miscited = [c for c in cases if c.label == "miscited"]
    miscited_recall = sum(c.invalid_citation for c in miscited) / max(len(miscited), 1)
    well_cited = [c for c in cases if c.label == "supported" and c.claim.citations]
    false_invalid = sum(c.invalid_citation for c in well_cited) / max(len(well_cited), 1)

    metrics = [
        Metric("flagging F1 (offline)", f1, 0.85),
        Metric("flagging precision (offline)", precision, None),
        Metric("flagging recall (offline)", recall, None),
        Metric("baseline flagging F1 (best cosine, tuned)", b_f1, None),
        Metric("baseline precision", b_precision, None),
        Metric("baseline recall", b_recall, None),
        Metric("contradicted accuracy", contradicted_accuracy, 0.6),
    ]
    if miscited:
        metrics += [
            Metric("mis-cited recall (invalid_citation)", miscited_recall, 0.9),
            Metric("well-cited claims wrongly flagged invalid", false_invalid, 0.1, higher_is_better=False),
        ]
    notes = [
        f"{len(cases)} claims: "
        + ", ".join(
            f"{label} {sum(c.label == label for c in cases)}"
            for label in ("supported", "assumption", "contradicted", "miscited")
        ),
        f"baseline threshold tuned on this set: cosine < {threshold:.2f}",
    ]
    for origin in ("as-is map", "labelled set"):
        part = [
            (c.verdict in ("unsupported", "contradicted"), c.label in FLAGGED_LABELS)
            for c in flaggable
            if c.origin == origin
        ]
        if part:
            p, r, f = _prf(part)
            notes.append(f"{origin}: {len(part)} flaggable claims, P {p:.3f} R {r:.3f} F1 {f:.3f}")
    rows = ["| origin | path | label | verdict | claim |", "|---|---|---|---|---|"]
    for case in cases:
        wrong = (case.verdict in ("unsupported", "contradicted")) != (case.label in FLAGGED_LABELS)
        if case.label == "miscited":
            wrong = not case.invalid_citation
        if wrong:
            rows.append(
                f"| {case.origin} | {case.claim.path} | {case.label} | {case.verdict} "
                f"| {case.claim.text[:70]} |"
            )
    return EvalResult("review", metrics, notes, details="Disagreements:\n\n" + "\n".join(rows))
