"""Ingest benchmark: the torch and ONNX MiniLM backends side by side, on 20k+ records.

For each backend: ingest records/s beside pure embedding records/s, and retrieval (recall@10, MRR)
on the sample base, as `python -m evals retrieval` measures it; then the new/old ratio, all measured
in one run so a busy machine slows both alike. Also memory and search latency of the default.

With `--against REV`, the same records also go through the project as it was at git revision REV
(a worktree of it, run by benchmarks/ingest_driver.py with its own default embedder), alternating
with the current code, so "N× faster than when the issue was filed" is measured, not remembered.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_ingest.py [--records N] [--rounds R] [--against REV]`).
Prints ratios measured in one run; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.offline import apply_offline_defaults

apply_offline_defaults()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the evals package, for retrieval figures

from assistant.context import Journey  # noqa: E402
from assistant.embeddings import Embedder, MiniLMEmbedder, MiniLMTorchEmbedder  # noqa: E402
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


def time_embedding(embedder: Embedder, texts: list[str]) -> float:
    """Seconds to embed the texts in the ingest pipeline's batches."""
    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        embedder.embed_documents(texts[start : start + EMBED_BATCH])
    return time.perf_counter() - started


def time_ingest(embedder: Embedder, folder: Path, home: Path) -> tuple[float, int, Journey]:
    """Seconds to ingest the folder into a fresh data home, and the records added."""
    journey = Journey.open(load_settings(JOURNEY_HOME=str(home)), embedder=embedder)
    started = time.perf_counter()
    report = journey.ingester("bench").ingest([folder])
    seconds = time.perf_counter() - started
    assert report.ok, report.failures
    return seconds, report.chunks_added, journey


def retrieval_figures(embedder: Embedder, home: Path) -> dict[str, float]:
    """`python -m evals retrieval`'s figures, with the sample base embedded by this embedder."""
    import evals.retrieval as retrieval
    from evals.sample_base import KNOWLEDGE, WORKSPACE

    def journey() -> Journey:
        opened = Journey.open(load_settings(JOURNEY_HOME=str(home)), embedder=embedder)
        assert opened.ingester(WORKSPACE).ingest([KNOWLEDGE]).ok
        return opened

    original = retrieval.sample_journey
    retrieval.sample_journey = journey
    try:
        result = retrieval.run()
    finally:
        retrieval.sample_journey = original
    return {m.name: m.value for m in result.metrics}


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=1, help="alternate old/new this many times; medians")
    parser.add_argument("--no-retrieval", action="store_true", help="skip the retrieval figures")
    parser.add_argument(
        "--against", metavar="REV", help="also time the code at this git revision, same records"
    )
    args = parser.parse_args()

    rows = build_rows(args.records)
    texts = [r["body"] for r in rows]
    # Before: what ingest used until now (sentence-transformers on torch, batches of 64).
    # After: the default (`JOURNEY_EMBEDDINGS=minilm`): ONNX Runtime, or torch if it cannot be built.
    with tempfile.TemporaryDirectory() as tmp:
        backends: dict[str, Embedder] = {
            "before: minilm-torch": MiniLMTorchEmbedder(batch_size=64),
            "after: minilm (default)": MiniLMEmbedder(cache_dir=Path(tmp) / "models"),
        }
        rss: dict[str, float] = {}
        for name, embedder in backends.items():
            embedder.embed_documents(["warm up the model"])  # model load (and export) is not timed
            rss[name] = peak_rss_mb()
        used = getattr(backends["after: minilm (default)"], "backend", "?")

        folder = Path(tmp) / "export"
        folder.mkdir()
        write_files(rows, folder)
        embed_s: dict[str, list[float]] = {n: [] for n in backends}
        ingest_s: dict[str, list[float]] = {n: [] for n in backends}
        added: dict[str, int] = {}
        journey: Journey | None = None
        for round_ in range(args.rounds):
            order = list(backends) if round_ % 2 == 0 else list(reversed(backends))
            for name in order:
                embed_s[name].append(time_embedding(backends[name], texts))
                home = Path(tmp) / f"home-{round_}-{list(backends).index(name)}"
                seconds, added[name], opened = time_ingest(backends[name], folder, home)
                ingest_s[name].append(seconds)
                if name.startswith("after"):
                    journey = opened
        assert journey is not None

        started = time.perf_counter()
        journey.retriever.lexical_index("bench")
        index_seconds = time.perf_counter() - started
        latencies: dict[str, list[float]] = {"hybrid": [], "dense": [], "lexical": []}
        for mode, samples in latencies.items():
            for round_ in range(5):
                for query in QUERIES:
                    started = time.perf_counter()
                    journey.retriever.search("bench", f"{query} {round_}", k=10, mode=mode)  # type: ignore[arg-type]
                    samples.append((time.perf_counter() - started) * 1000)
        then_now = against(args.against, folder, Path(tmp), args.rounds) if args.against else None
        figures = (
            {}
            if args.no_retrieval
            else {
                n: retrieval_figures(e, Path(tmp) / f"eval-{i}") for i, (n, e) in enumerate(backends.items())
            }
        )

    before, after = list(backends)
    rate = {n: added[n] / statistics.median(ingest_s[n]) for n in backends}
    embed_rate = {n: len(texts) / statistics.median(embed_s[n]) for n in backends}
    print(
        f"records ingested          {added[after]:>10,}   (rounds: {args.rounds}; the default ran on {used})"
    )
    print(f"{'':26}{before:>24}{after:>26}{'ratio after/before':>22}")
    print(
        f"{'full ingest records/s':26}{rate[before]:>24,.0f}{rate[after]:>26,.0f}"
        f"{rate[after] / rate[before]:>21.2f}×   (goal ≥ 2)"
    )
    print(
        f"{'pure embedding records/s':26}{embed_rate[before]:>24,.0f}{embed_rate[after]:>26,.0f}"
        f"{embed_rate[after] / embed_rate[before]:>21.2f}×"
    )
    print(
        f"{'ratio ingest / embedding':26}"
        + "".join(
            f"{statistics.median(ingest_s[n]) / statistics.median(embed_s[n]):>{w}.2f}"
            for n, w in ((before, 24), (after, 26))
        )
        + "   (goal ≤ 1.3)"
    )
    for metric in ("hybrid recall@10", "hybrid MRR", "dense recall@10", "dense MRR"):
        if figures:
            b, a = figures[before][metric], figures[after][metric]
            print(f"{'retrieval ' + metric:26}{b:>24.3f}{a:>26.3f}{a - b:>+21.3f}    (difference)")
    if then_now is not None:
        then, now = (added[after] / statistics.median(v) for v in then_now)
        print(
            f"{'full ingest vs ' + args.against:26}{then:>24,.0f}{now:>26,.0f}{now / then:>21.2f}×   "
            f"(the code at {args.against}, its own default embedder; goal ≥ 2)"
        )
    print(
        f"peak RSS                  {peak_rss_mb():>10.0f} MB  (after loading both models: {max(rss.values()):.0f} MB)"
    )
    print(f"BM25 index build          {index_seconds * 1000:>10.0f} ms  (once per change of the workspace)")
    for mode, samples in latencies.items():
        quantiles = statistics.quantiles(samples, n=20)
        print(
            f"search {mode:<8} p50/p95    {statistics.median(samples):>6.1f} / {quantiles[18]:.1f} ms  (k=10, {len(samples)} queries, default backend)"
        )


def against(rev: str, folder: Path, tmp: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Ingest seconds of the code at `rev` and of this checkout, alternating, each in its own process."""
    tree = tmp / "against"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
        check=True,
        capture_output=True,
    )
    then: list[float] = []
    now: list[float] = []
    try:
        for round_ in range(rounds):
            pair = [(tree, then), (ROOT, now)]
            for root, seconds in pair if round_ % 2 == 0 else reversed(pair):
                home = tmp / f"against-{round_}-{len(then)}-{len(now)}"
                out = subprocess.run(
                    [
                        sys.executable,
                        str(ROOT / "benchmarks" / "ingest_driver.py"),
                        str(root),
                        str(folder),
                        str(home),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=tmp,
                )
                seconds.append(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True
        )
    return then, now


if __name__ == "__main__":
    main()
