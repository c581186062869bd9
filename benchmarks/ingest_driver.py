"""Time one ingest with whichever `assistant` package is first on sys.path (for bench_ingest --against).

Run as `python benchmarks/ingest_driver.py ROOT FOLDER HOME`: ROOT is a checkout of the project
(this one, or an older commit's worktree), so the same records go through old and new code alike.
Prints one JSON line: seconds (model loading not included) and records added.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    """Load ROOT's package, warm its default embedder up, time the ingest of FOLDER."""
    root, folder, home = (Path(a) for a in sys.argv[1:4])
    os.environ.update(
        {"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "ORT_DISABLE_TELEMETRY": "1"}
    )
    sys.path.insert(0, str(root))
    from assistant.context import Journey
    from assistant.embeddings import get_embedder
    from assistant.settings import load_settings

    settings = load_settings(JOURNEY_HOME=str(home))
    embedder = get_embedder(settings)
    embedder.embed_documents(["warm up the model"])  # loading (and any one-off export) is not timed
    journey = Journey.open(settings, embedder=embedder)
    started = time.perf_counter()
    report = journey.ingester("bench").ingest([folder])
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "records": report.chunks_added, "ok": report.ok}))


if __name__ == "__main__":
    main()
