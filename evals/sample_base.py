"""The sample knowledge base, ingested once into an eval data home and reused while unchanged."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from assistant.context import Journey
from assistant.offline import apply_offline_defaults
from assistant.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
EVAL_HOME = ROOT / ".journey" / "evals"
WORKSPACE = "sample"


def knowledge_fingerprint() -> str:
    """Hash of every file under knowledge/, so a changed sample base is re-ingested from scratch."""
    digest = hashlib.sha256()
    for path in sorted(p for p in KNOWLEDGE.rglob("*") if p.is_file()):
        digest.update(path.relative_to(KNOWLEDGE).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def sample_journey() -> Journey:
    """Return a Journey whose `sample` workspace holds exactly the current sample knowledge base.

    Ingestion is idempotent, so while knowledge/ is unchanged a run only re-reads the files.
    When it changed, the eval home is rebuilt: records of an older version must not linger.
    """
    apply_offline_defaults()
    stamp = EVAL_HOME / "knowledge.sha256"
    fingerprint = knowledge_fingerprint()
    if EVAL_HOME.exists() and (not stamp.exists() or stamp.read_text() != fingerprint):
        shutil.rmtree(EVAL_HOME)
    journey = Journey.open(load_settings(JOURNEY_HOME=str(EVAL_HOME)))
    report = journey.ingester(WORKSPACE).ingest([KNOWLEDGE])
    if report.failures:
        raise RuntimeError(f"the sample knowledge base failed to ingest: {report.failures}")
    stamp.write_text(fingerprint)
    return journey
