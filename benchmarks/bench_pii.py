"""Redaction speed: ordinary feedback beside inputs that invite catastrophic regex backtracking.

Prints megabytes per second for each input and its ratio to ordinary text, measured in one run, so a
busy machine slows all alike. A pattern that backtracks shows up as a ratio far below 1.

Run: `.venv/bin/python benchmarks/bench_pii.py`. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable
from pathlib import Path

from assistant.ingest.pii import redact_pii

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = (
    ROOT.parent
    / "shared/datasets/womens_clothing_ecommerce_reviews_subset/Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)
SIZE = 1_000_000


def ordinary(rng: random.Random) -> str:
    """A megabyte of real review text (or the sample base's feedback when ../shared is absent)."""
    if REVIEWS.is_file():
        with REVIEWS.open(encoding="utf-8") as handle:
            texts = [r["ReviewText"] for r in csv.DictReader(handle) if r["ReviewText"].strip()]
    else:
        texts = [p.read_text(encoding="utf-8") for p in (ROOT / "knowledge").rglob("*.txt")]
    out: list[str] = []
    while sum(map(len, out)) < SIZE:
        out.append(rng.choice(texts))
    return " ".join(out)[:SIZE]


INPUTS: dict[str, Callable[[random.Random], str]] = {
    "ordinary feedback": ordinary,
    "digits and spaces": lambda rng: "".join(rng.choice("0123456789 ") for _ in range(SIZE)),
    "card numbers": lambda rng: ("4111 1111 1111 1111 " * 50_000)[:SIZE],
    "phone numbers": lambda rng: ("07700 900123 " * 77_000)[:SIZE],
    "single digits": lambda rng: "1 " * (SIZE // 2),
    "brackets": lambda rng: "(1)-" * (SIZE // 4),
    "'dot' words": lambda rng: "a dot " * (SIZE // 6) + "at",
    "long domain": lambda rng: "a@" + "b." * (SIZE // 2),
}


def main() -> None:
    """Measure and print."""
    rates: dict[str, float] = {}
    for name, make in INPUTS.items():
        text = make(random.Random(0))
        started = time.perf_counter()
        redact_pii(text)
        rates[name] = len(text) / 1e6 / (time.perf_counter() - started)
    base = rates["ordinary feedback"]
    print(f"{'input (1 MB each)':24}{'MB/s':>8}{'ratio to ordinary':>20}")
    for name, rate in rates.items():
        print(f"{name:24}{rate:>8.2f}{rate / base:>20.2f}")


if __name__ == "__main__":
    main()
