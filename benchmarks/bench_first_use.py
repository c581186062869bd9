"""First use, offline, on the sample base: ingest, first answer, first draft (with its review).

Run: `.venv/bin/python benchmarks/bench_first_use.py`. A fresh data home each run, so "first" means
first: sentence embeddings for themes are computed on the first answer and cached for later ones.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

from assistant.ask.service import ask  # noqa: E402
from assistant.context import Journey  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.workflow import draft_map  # noqa: E402

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


def timed(label: str, action: object) -> object:
    """Run and print how long it took."""
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    print(f"{label:<40} {time.perf_counter() - start:6.1f} s")
    return result


def main() -> None:
    """Time each first step of a newcomer's session."""
    with tempfile.TemporaryDirectory() as home:
        journey = Journey.open(load_settings(JOURNEY_HOME=home))
        report = timed("ingest the sample knowledge base", lambda: journey.ingester().ingest([KNOWLEDGE]))
        print(f"  ({report.chunks_added} records from {report.files_ingested} files)")  # type: ignore[attr-defined]
        timed(
            "first answer (drop-off question)",
            lambda: ask(journey, None, "why do customers drop off at checkout?"),
        )
        timed("second answer (a topic)", lambda: ask(journey, None, "what do customers say about refunds?"))
        timed("first draft, reviewed on save", lambda: draft_map(journey))
        timed("second draft, reviewed on save", lambda: draft_map(journey))


if __name__ == "__main__":
    main()
