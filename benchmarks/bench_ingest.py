"""Ingest benchmark: 20k+ records, ingest time beside pure embedding time, memory, search latency.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_ingest.py [--records N]`).
Prints ratios measured in one run; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

from assistant.context import Journey  # noqa: E402
from assistant.embeddings import MiniLMEmbedder  # noqa: E402
from assistant.ingest.pipeline import EMBED_BATCH  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = (
    ROOT.parent
    / "shared/datasets/womens_clothing_ecommerce_reviews_subset/Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)
QUERIES = [
    "dress too small in the chest",
    "fabric feels cheap",
    "love the colour",
    "runs large, size down",
    "returned it",
    "zipper broke",
    "perfect for summer",
    "see-through material",
    "great quality for the price",
    "sleeves too long",
]


def build_rows(target: int, seed: int = 7) -> list[dict[str, str]]:
    """Make `target` unique, realistic records from real review sentences (one to three each)."""
    with REVIEWS.open(encoding="utf-8") as handle:
        reviews = [r for r in csv.DictReader(handle) if r["ReviewText"].strip()]
    sentences = [
        s.strip() for r in reviews for s in re.split(r"(?<=[.!?])\s+", r["ReviewText"]) if len(s.split()) >= 4
    ]
    rng = random.Random(seed)
    rows, seen = [], set()
    devices, channels = ["mobile", "desktop", "tablet"], ["email", "chat", "app", "phone"]
    while len(rows) < target:
        text = " ".join(rng.sample(sentences, rng.choice((1, 1, 2, 3))))
        if text in seen:
            continue
        seen.add(text)
        rows.append(
            {
                "id": f"B-{len(rows):06d}",
                "created_at": f"2026-{rng.randint(4, 9):02d}-{rng.randint(1, 28):02d}",
                "device": rng.choice(devices),
                "channel": rng.choice(channels),
                "body": text,
            }
        )
    return rows


def write_files(rows: list[dict[str, str]], folder: Path, per_file: int = 5000) -> None:
    """Write the rows as several CSV files, as an export usually arrives."""
    for start in range(0, len(rows), per_file):
        with (folder / f"tickets_{start // per_file:02d}.csv").open(
            "w", newline="", encoding="utf-8"
        ) as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows[start : start + per_file])


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()

    rows = build_rows(args.records)
    texts = [r["body"] for r in rows]
    embedder = MiniLMEmbedder()
    embedder.embed_documents(["warm up the model"])  # model load is not part of either figure
    rss_after_model = peak_rss_mb()

    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        embedder.embed_documents(texts[start : start + EMBED_BATCH])
    embed_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        write_files(rows, folder)
        journey = Journey.open(load_settings(JOURNEY_HOME=str(Path(tmp) / "home")), embedder=embedder)
        started = time.perf_counter()
        report = journey.ingester("bench").ingest([folder])
        ingest_seconds = time.perf_counter() - started
        assert report.ok, report.failures

        started = time.perf_counter()
        journey.retriever.lexical_index("bench")
        index_seconds = time.perf_counter() - started
        latencies = {"hybrid": [], "dense": [], "lexical": []}
        for mode, samples in latencies.items():
            for round_ in range(5):
                for query in QUERIES:
                    started = time.perf_counter()
                    journey.retriever.search("bench", f"{query} {round_}", k=10, mode=mode)  # type: ignore[arg-type]
                    samples.append((time.perf_counter() - started) * 1000)

    print(f"records ingested          {report.chunks_added:>10,}")
    print(
        f"pure embedding            {embed_seconds:>10.1f} s   ({len(texts) / embed_seconds:,.0f} records/s)"
    )
    print(
        f"full ingest               {ingest_seconds:>10.1f} s   ({report.chunks_added / ingest_seconds:,.0f} records/s)"
    )
    print(f"ratio ingest / embedding  {ingest_seconds / embed_seconds:>10.2f}     (goal ≤ 1.3)")
    print(
        f"peak RSS                  {peak_rss_mb():>10.0f} MB  (after model load: {rss_after_model:.0f} MB)"
    )
    print(f"BM25 index build          {index_seconds * 1000:>10.0f} ms  (once per change of the workspace)")
    for mode, samples in latencies.items():
        quantiles = statistics.quantiles(samples, n=20)
        print(
            f"search {mode:<8} p50/p95    {statistics.median(samples):>6.1f} / {quantiles[18]:.1f} ms  (k=10, {len(samples)} queries)"
        )


if __name__ == "__main__":
    main()
