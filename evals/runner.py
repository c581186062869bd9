"""The eval runner: a registry of evals, a results table, a Markdown report, threshold checks."""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "evals" / "reports"

# name -> module exposing `run() -> EvalResult`; imported only when asked for.
EVALS: dict[str, str] = {
    "retrieval": "evals.retrieval",
    "sentiment": "evals.sentiment",
    "stages": "evals.stages",
    "draft": "evals.draft",
    "review": "evals.review",
    "ask": "evals.ask",
    "funnel": "evals.funnels",
    "reliability": "evals.reliability",
    "pii": "evals.pii",
    "ingest": "evals.ingest",
    "llm": "evals.llm",  # opt-in: skipped unless a model is configured; minutes on a local model
}


@dataclass
class Metric:
    """One figure, with the threshold it must reach (None: reported only, e.g. a baseline)."""

    name: str
    value: float
    threshold: float | None = None
    higher_is_better: bool = True

    @property
    def passed(self) -> bool:
        """Whether the metric meets its threshold."""
        if self.threshold is None:
            return True
        return self.value >= self.threshold if self.higher_is_better else self.value <= self.threshold


@dataclass
class EvalResult:
    """What one eval measured, plus notes for the report."""

    name: str
    metrics: list[Metric]
    notes: list[str] = field(default_factory=list)
    details: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Whether every metric met its threshold."""
        return all(m.passed for m in self.metrics)


def format_table(results: list[EvalResult]) -> str:
    """Render the results as a Markdown table (also readable in a terminal)."""
    lines = ["| eval | metric | value | threshold | status |", "|---|---|---|---|---|"]
    for result in results:
        for metric in result.metrics:
            if metric.threshold is None:
                threshold, status = "—", "info"
            else:
                threshold = f"{'≥' if metric.higher_is_better else '≤'} {metric.threshold:.3f}"
                status = "pass" if metric.passed else "FAIL"
            lines.append(f"| {result.name} | {metric.name} | {metric.value:.3f} | {threshold} | {status} |")
    return "\n".join(lines)


def write_report(results: list[EvalResult], directory: Path = REPORTS) -> Path:
    """Write a Markdown report and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = directory / f"{stamp}-{'-'.join(r.name for r in results)}.md"
    parts = [f"# Eval report {stamp} UTC", "", format_table(results), ""]
    for result in results:
        parts += [f"## {result.name} ({result.seconds:.1f}s)", ""]
        parts += [f"- {note}" for note in result.notes]
        if result.details:
            parts += ["", result.details]
        parts.append("")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def load_eval(name: str) -> Callable[[], EvalResult]:
    """Return the run function of a registered eval."""
    return importlib.import_module(EVALS[name]).run  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    """Run the named evals (all by default); return 1 if any metric is under its threshold."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"evals to run (default: all of {', '.join(EVALS)})")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in EVALS]
    if unknown:
        parser.error(f"unknown eval(s) {', '.join(unknown)}; known: {', '.join(EVALS)}")
    results = []
    for name in args.names or list(EVALS):
        started = time.perf_counter()
        result = load_eval(name)()
        result.seconds = time.perf_counter() - started
        results.append(result)
    print(format_table(results))
    for result in results:
        for note in result.notes:
            print(f"[{result.name}] {note}")
    print(f"\nReport: {write_report(results).relative_to(ROOT)}")
    failed = [r.name for r in results if not r.passed]
    if failed:
        print(f"Below threshold: {', '.join(failed)}")
        return 1
    return 0
