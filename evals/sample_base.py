"""The sample knowledge base, ingested once into an eval data home and reused while unchanged."""

from __future__ import annotations

from pathlib import Path

from assistant.context import Journey
from assistant.offline import apply_offline_defaults
from assistant.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
EVAL_HOME = ROOT / ".journey" / "evals"
WORKSPACE = "sample"


def sample_journey() -> Journey:
    """Return a Journey whose `sample` workspace holds the whole sample knowledge base.

    Ingestion is idempotent, so a second run only re-reads the files and stores nothing new.
    """
    apply_offline_defaults()
    journey = Journey.open(load_settings(JOURNEY_HOME=str(EVAL_HOME)))
    report = journey.ingester(WORKSPACE).ingest([KNOWLEDGE])
    if report.failures:
        raise RuntimeError(f"the sample knowledge base failed to ingest: {report.failures}")
    return journey
