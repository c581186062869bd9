"""Opt-in tests against a real model: JOURNEY_LIVE_TESTS=1 plus OPENAI_API_KEY or OPENAI_BASE_URL.

Skipped otherwise (the suite never needs a key or the network). They check what no fake can:
that a real model, given our prompts, drafts a stage whose citations survive the checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.maps.citations import find_problems
from assistant.settings import load_settings
from assistant.workflow import draft_map

LIVE = os.environ.get("JOURNEY_LIVE_TESTS") == "1"
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not LIVE, reason="live model tests are opt-in: set JOURNEY_LIVE_TESTS=1 and a key"),
]


def test_live_model_drafts_a_stage_with_valid_citations(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    rows = [
        "The delivery charge only appeared on the last page, so I left.",
        "Shipping cost added at the end doubled the price.",
        "Apple Pay failed three times in the app.",
        "No guest checkout, I had to make an account for one lamp.",
        "Checkout was quick and easy, no problems.",
    ]
    write(tmp_path / "feedback.csv", "id,comment\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(rows)))
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embedder)
    journey.ingester().ingest([tmp_path / "feedback.csv"])
    if not journey.settings.llm_configured:
        pytest.skip("no OPENAI_API_KEY / OPENAI_BASE_URL in the environment")
    result = draft_map(journey, stages=["purchase"], save=False)
    texts = {i: t for i, t, _ in journey.store.iter_all("default")}
    assert not find_problems(result.journey_map, texts)
    assert result.journey_map.engine.startswith(journey.settings.chat_model)
