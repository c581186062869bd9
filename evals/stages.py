"""Stage tagging eval: accuracy and macro-F1 on the sample knowledge base and on hand-labelled real data.

1. The sample base: every record labelled in `evals/ground_truth/records.csv` whose text is in the
   knowledge CSVs (tickets, app reviews, survey comments); stage `none` means off-topic.
2. Real public data labelled by hand in `evals/datasets/stages_real_labelled.csv`: women's clothing
   e-commerce reviews (CC0) and the Baymard checkout-abandonment reasons. Clothing reviews are mostly
   about fit and fabric (`use`) and often touch several stages; the label is the stage the text is
   mainly about, and the `notes` column says where that was a judgement call.

The tagger is not trained on any of this: its only "training data" are the examples written into
`assistant/stagesets/ecommerce.yaml`.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from assistant.analysis.stages import StageTagger, load_stage_set
from assistant.embeddings import MiniLMEmbedder
from assistant.offline import apply_offline_defaults
from evals.runner import EvalResult, Metric

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
LABELS = ROOT / "evals" / "ground_truth" / "records.csv"
REAL = ROOT / "evals" / "datasets" / "stages_real_labelled.csv"

# source file name -> (path, id column, text column, evidence kind)
SAMPLE_SOURCES: dict[str, tuple[Path, str, str, str]] = {
    "support_tickets.csv": (KNOWLEDGE / "tickets" / "support_tickets.csv", "ticket_id", "body", "ticket"),
    "app_store_reviews.csv": (KNOWLEDGE / "reviews" / "app_store_reviews.csv", "review_id", "text", "review"),
    "customer_survey_2026q3.csv": (
        KNOWLEDGE / "survey" / "customer_survey_2026q3.csv",
        "respondent_id",
        "comments",
        "survey",
    ),
}

THRESHOLDS = {
    "sample accuracy": 0.75,
    "sample macro-F1": 0.70,
    "real accuracy": 0.55,
    "real macro-F1": 0.33,
}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sample_records() -> tuple[list[str], list[str], list[str], int]:
    """Texts, gold stages and kinds of the labelled sample-base records, plus how many had no text."""
    texts_by_key: dict[tuple[str, str], str] = {}
    for source, (path, id_col, text_col, _kind) in SAMPLE_SOURCES.items():
        for row in _read_csv(path):
            texts_by_key[(source, row[id_col])] = row.get(text_col) or ""
    texts, gold, kinds, missing = [], [], [], 0
    for row in _read_csv(LABELS):
        text = texts_by_key.get((row["source"], row["record_id"]), "")
        if row["source"] not in SAMPLE_SOURCES or not text.strip():
            missing += 1
            continue
        texts.append(text)
        gold.append(row["stage"])
        kinds.append(SAMPLE_SOURCES[row["source"]][3])
    return texts, gold, kinds, missing


def real_records() -> tuple[list[str], list[str]]:
    """Texts and gold stages of the hand-labelled real records."""
    rows = _read_csv(REAL)
    return [r["text"] for r in rows], [r["stage"] for r in rows]


def confusion_table(gold: list[str], pred: list[str], labels: list[str]) -> str:
    """A Markdown confusion matrix: rows are gold stages, columns predictions."""
    matrix = confusion_matrix(gold, pred, labels=labels)
    lines = ["| gold \\ predicted | " + " | ".join(labels) + " | recall |", "|---" * (len(labels) + 2) + "|"]
    for label, row in zip(labels, matrix, strict=True):
        recall = f"{row[labels.index(label)] / row.sum():.2f}" if row.sum() else "—"
        lines.append(f"| **{label}** | " + " | ".join(str(v) for v in row) + f" | {recall} |")
    return "\n".join(lines)


def _figures(gold: list[str], pred: list[str]) -> tuple[float, float]:
    return float(accuracy_score(gold, pred)), float(f1_score(gold, pred, average="macro", zero_division=0))


def run() -> EvalResult:
    """Tag both sets with the default (ecommerce) stage set and score against the labels."""
    apply_offline_defaults()
    stage_set = load_stage_set("ecommerce")
    tagger = StageTagger(stage_set, MiniLMEmbedder())
    labels = [*stage_set.ids, "none"]

    texts, gold, kinds, missing = sample_records()
    vectors = tagger.embedder.embed_documents(texts)
    tagger.prepare()
    started = time.perf_counter()
    pred = [a.stage or "none" for a in tagger.tag(texts, vectors, kinds)]
    per_second = len(texts) / max(time.perf_counter() - started, 1e-9)
    sample_acc, sample_f1 = _figures(gold, pred)

    real_texts, real_gold = real_records()
    real_pred = [a.stage or "none" for a in tagger.tag(real_texts, kinds=["review"] * len(real_texts))]
    real_acc, real_f1 = _figures(real_gold, real_pred)

    metrics = [
        Metric("sample accuracy", sample_acc, THRESHOLDS["sample accuracy"]),
        Metric("sample macro-F1", sample_f1, THRESHOLDS["sample macro-F1"]),
        Metric("real accuracy", real_acc, THRESHOLDS["real accuracy"]),
        Metric("real macro-F1", real_f1, THRESHOLDS["real macro-F1"]),
        Metric("real weighted-F1", float(f1_score(real_gold, real_pred, average="weighted"))),
        Metric("records/s with vectors", per_second),
    ]
    notes = [
        f"sample base: {len(texts)} labelled records ({missing} labelled rows without text skipped); "
        f"gold stages {dict(Counter(gold).most_common())}",
        f"real: {len(real_texts)} hand-labelled records; "
        f"gold stages {dict(Counter(real_gold).most_common())}",
        "no training on either set; prototypes are the examples in assistant/stagesets/ecommerce.yaml",
    ]
    errors = [
        f"- gold `{g}`, predicted `{p}`: {t[:140].replace(chr(10), ' ')}"
        for t, g, p in zip(real_texts, real_gold, real_pred, strict=True)
        if g != p
    ]
    details = "\n".join(
        [
            "### Sample knowledge base",
            "",
            confusion_table(gold, pred, labels),
            "",
            "### Real labelled records",
            "",
            confusion_table(real_gold, real_pred, labels),
            "",
            "Real-set disagreements:",
            "",
            *errors,
        ]
    )
    return EvalResult("stages", metrics, notes, details=details)


if __name__ == "__main__":
    result = run()
    for metric in result.metrics:
        print(f"{metric.name}: {metric.value:.3f}" + (f" (≥ {metric.threshold})" if metric.threshold else ""))
    print("\n".join(result.notes))
    print(result.details)
    raise SystemExit(0 if result.passed else 1)
