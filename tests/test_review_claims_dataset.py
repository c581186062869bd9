"""Structure of the reviewer eval's labelled claims (evals/datasets/review_claims.yaml).

Checks the file alone, without an ingested store: fields, vocabularies, stage ids from the ecommerce
stage set, unique ids, the label mix the eval needs, emotion scores and citations. Whether cited ids
exist and quotes are verbatim is the eval's job (it has the store).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "evals" / "datasets" / "review_claims.yaml"
AS_IS = ROOT / "evals" / "ground_truth" / "as_is_map_claims.yaml"
STAGESET = ROOT / "assistant" / "stagesets" / "ecommerce.yaml"

LANES = {
    "touchpoints",
    "actions",
    "thoughts",
    "emotion",
    "pain_points",
    "opportunities",
    "kpis",
    "owner",
    "persona",
}
LABELS = {"supported", "assumption", "contradicted", "miscited"}
REQUIRED = {"id", "stage", "lane", "text", "label", "reason"}
OPTIONAL = {"evidence", "emotion_score"}
MINIMUMS = {"supported": 20, "assumption": 15, "contradicted": 12, "miscited": 12}
EVIDENCE_ID = re.compile(r"[0-9a-f]{24}")


def _claims() -> list[dict[str, Any]]:
    data = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("claims"), list), (
        "expected a top-level 'claims' list"
    )
    return data["claims"]


CLAIMS = _claims()


def _stage_ids() -> set[str]:
    data = yaml.safe_load(STAGESET.read_text(encoding="utf-8"))
    return {stage["id"] for stage in data["stages"]}


def test_enough_claims_alone_and_with_the_as_is_map() -> None:
    as_is = yaml.safe_load(AS_IS.read_text(encoding="utf-8"))["claims"]
    assert len(CLAIMS) >= 60
    assert len(CLAIMS) + len(as_is) >= 120


def test_label_mix() -> None:
    counts = Counter(claim["label"] for claim in CLAIMS)
    for label, minimum in MINIMUMS.items():
        assert counts[label] >= minimum, f"{label}: {counts[label]} claims, need {minimum}"
    supported = [c for c in CLAIMS if c["label"] == "supported"]
    assert any(c.get("evidence") for c in supported), "some supported claims must cite evidence"
    assert any(not c.get("evidence") for c in supported), "some supported claims must cite nothing"
    persona = [c for c in CLAIMS if c["lane"] == "persona"]
    assert len(persona) >= 3
    assert len({c["label"] for c in persona}) >= 2, "persona traits should not all share one label"


def test_ids_are_unique_and_well_formed() -> None:
    ids = [claim.get("id") for claim in CLAIMS]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert all(isinstance(i, str) and re.fullmatch(r"rc\d{3}", i) for i in ids)


@pytest.mark.parametrize("claim", CLAIMS, ids=[str(c.get("id")) for c in CLAIMS])
def test_claim_fields(claim: dict[str, Any]) -> None:
    keys = set(claim)
    assert keys >= REQUIRED, f"missing {sorted(REQUIRED - keys)}"
    assert keys <= REQUIRED | OPTIONAL, f"unknown fields {sorted(keys - REQUIRED - OPTIONAL)}"
    assert claim["lane"] in LANES
    assert claim["label"] in LABELS
    if claim["lane"] == "persona":
        assert claim["stage"] is None, "persona traits have stage null"
    else:
        assert claim["stage"] in _stage_ids(), f"unknown stage {claim['stage']!r}"
    for field in ("text", "reason"):
        assert isinstance(claim[field], str) and claim[field].strip(), f"{field} must be a non-empty string"


@pytest.mark.parametrize("claim", CLAIMS, ids=[str(c.get("id")) for c in CLAIMS])
def test_emotion_scores(claim: dict[str, Any]) -> None:
    if claim["lane"] == "emotion":
        score = claim.get("emotion_score")
        assert isinstance(score, int | float) and not isinstance(score, bool), "emotion claims need a score"
        assert -1.0 <= score <= 1.0
    else:
        assert "emotion_score" not in claim, "emotion_score belongs to lane emotion only"


@pytest.mark.parametrize("claim", CLAIMS, ids=[str(c.get("id")) for c in CLAIMS])
def test_citations(claim: dict[str, Any]) -> None:
    evidence = claim.get("evidence")
    if claim["label"] == "miscited":
        assert evidence, "a mis-cited claim needs the broken citation"
    if evidence is None:
        return
    assert isinstance(evidence, list) and evidence
    for citation in evidence:
        assert set(citation) == {"evidence_id", "quote"}
        # An unquoted all-digit id would load as a number: ids must stay strings.
        assert isinstance(citation["evidence_id"], str) and citation["evidence_id"]
        assert isinstance(citation["quote"], str) and citation["quote"].strip()
        if claim["label"] != "miscited":
            # Only a mis-cited claim may carry a malformed id; the others cite real ids.
            assert EVIDENCE_ID.fullmatch(citation["evidence_id"])
