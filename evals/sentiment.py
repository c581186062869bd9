"""Sentiment eval: macro-F1 (negative / neutral / positive) of ours against plain VADER on three sets.

1. **Public clothing reviews** (Kaggle "Women's E-Commerce Clothing Reviews", first 1,499 rows, CC0), star
   rating as a weak label: 1-2 negative, 3 neutral, 4-5 positive. We score ``ReviewText`` alone, without
   the ``Title``: that is what the product sees, because ingestion keeps one text column per record and
   files the title as an attribute. (Prepending the title helps both scorers a little; see the notes.)
   The label thresholds and the negativity weight were looked at on the **even** rows only, so the
   **odd** rows are the honest figure; the whole set is reported too.
2. **Hand-labelled customer-service texts** (``evals/datasets/sentiment_labelled.csv``): 234 short tickets,
   chats, app reviews, survey comments and social posts to the fictional UK retailer Larkspur Home,
   written and labelled by hand before the scorer was tuned, including hard cases (sarcasm, mixed
   feelings, negated positives, polite complaints, neutral questions, off-topic). Every third row
   (index % 3 == 2) is **held out**: its errors were never inspected while the rules were written.
   The author of the rules also wrote the texts, so even the held-out figure flatters the scorer
   somewhat; the public reviews and the generated sample base are the independent checks.
3. **Generated sample knowledge base** labels (``evals/ground_truth/records.csv``), when present:
   support tickets, app reviews and survey comments labelled by the generator. Not used for tuning.

VADER uses the standard rule (compound >= 0.05 positive, <= -0.05 negative).
Run alone with ``python -m evals.sentiment``.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from assistant.analysis.sentiment import score_many, sentiment_label
from evals.runner import EvalResult, Metric

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = (
    Path(__file__).resolve().parents[2]
    / "shared/datasets/womens_clothing_ecommerce_reviews_subset"
    / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)
LABELLED = Path(__file__).parent / "datasets" / "sentiment_labelled.csv"
GROUND_TRUTH = ROOT / "evals" / "ground_truth" / "records.csv"
KNOWLEDGE = ROOT / "knowledge"
LABELS = ["negative", "neutral", "positive"]
# Every HOLD_OUT_EVERY-th row of the hand-labelled set (index % 3 == 2) is held out from tuning.
HOLD_OUT_EVERY = 3

# Thresholds for "ours": set below what we reach, with margin (figures in the module's report).
THRESHOLDS = {
    "reviews": 0.50,
    "reviews_odd": 0.50,
    "labelled": 0.85,
    "labelled_held_out": 0.80,
    "sample_base": 0.50,
}


@dataclass
class Example:
    """One text with its gold label."""

    text: str
    label: str
    group: str = ""


def rating_label(rating: int) -> str:
    """Map a 1-5 star rating to a label: 1-2 negative, 3 neutral, 4-5 positive."""
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def load_reviews(with_title: bool = False) -> list[Example]:
    """Return the clothing reviews with their rating labels; group is "even" or "odd" by file row."""
    examples = []
    with REVIEWS.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            text = (row.get("ReviewText") or "").strip()
            if not text:
                continue
            title = (row.get("Title") or "").strip()
            if with_title and title:
                text = f"{title}. {text}"
            group = "even" if index % 2 == 0 else "odd"
            examples.append(Example(text, rating_label(int(row["Rating"])), group))
    return examples


def load_labelled() -> list[Example]:
    """Return the hand-labelled set; group is "tune" or "held_out" (every third row)."""
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Example(r["text"], r["label"], "held_out" if i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 else "tune")
        for i, r in enumerate(rows)
    ]


def load_ground_truth() -> list[Example]:
    """Return the sample base's labelled records joined to their texts (empty if the labels are absent)."""
    if not GROUND_TRUTH.exists():
        return []
    sources = {
        "support_tickets.csv": (KNOWLEDGE / "tickets" / "support_tickets.csv", "ticket_id", "body"),
        "app_store_reviews.csv": (KNOWLEDGE / "reviews" / "app_store_reviews.csv", "review_id", "text"),
        "customer_survey_2026q3.csv": (
            KNOWLEDGE / "survey" / "customer_survey_2026q3.csv",
            "respondent_id",
            "comments",
        ),
    }
    texts: dict[tuple[str, str], str] = {}
    for source, (path, key, column) in sources.items():
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts[(source, row[key])] = (row.get(column) or "").strip()
    examples = []
    with GROUND_TRUTH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = texts.get((row["source"], row["record_id"]), "")
            if text and row.get("sentiment") in LABELS:
                examples.append(Example(text, row["sentiment"], row["source"]))
    return examples


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-averaged F1 over negative, neutral and positive."""
    return float(f1_score(list(gold), list(predicted), labels=LABELS, average="macro", zero_division=0))


_VADER: list[SentimentIntensityAnalyzer] = []


def vader_label(text: str) -> str:
    """Plain VADER with the standard compound thresholds (>= 0.05 positive, <= -0.05 negative)."""
    if not _VADER:
        _VADER.append(SentimentIntensityAnalyzer())
    compound = _VADER[0].polarity_scores(text)["compound"]
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"


def ours_labels(texts: Sequence[str]) -> list[str]:
    """Our labels for many texts."""
    return [sentiment_label(s) for s in score_many(list(texts))]


def compare(examples: Sequence[Example], predict: Callable[[Sequence[str]], list[str]]) -> float:
    """Macro-F1 of a batch predictor on examples."""
    return macro_f1([e.label for e in examples], predict([e.text for e in examples]))


def _vader_batch(texts: Sequence[str]) -> list[str]:
    return [vader_label(t) for t in texts]


def _confusion(examples: Sequence[Example], predicted: Sequence[str]) -> str:
    rows = ["| gold \\ predicted | negative | neutral | positive |", "|---|---|---|---|"]
    for gold in LABELS:
        pairs = list(zip(examples, predicted, strict=True))
        counts = [sum(1 for e, p in pairs if e.label == gold and p == q) for q in LABELS]
        rows.append(f"| {gold} | " + " | ".join(str(c) for c in counts) + " |")
    return "\n".join(rows)


def run() -> EvalResult:
    """Measure ours and VADER on every set and check that ours beats VADER."""
    metrics: list[Metric] = []
    notes: list[str] = []
    details: list[str] = []

    reviews = load_reviews()
    score_many(["warm up: build the lexicon before timing"])
    started = time.perf_counter()
    review_predictions = ours_labels([e.text for e in reviews])
    rate = len(reviews) / max(1e-9, time.perf_counter() - started)
    vader_predictions = _vader_batch([e.text for e in reviews])
    gold = [e.label for e in reviews]
    odd = [i for i, e in enumerate(reviews) if e.group == "odd"]
    ours_all = macro_f1(gold, review_predictions)
    vader_all = macro_f1(gold, vader_predictions)
    ours_odd = macro_f1([gold[i] for i in odd], [review_predictions[i] for i in odd])
    vader_odd = macro_f1([gold[i] for i in odd], [vader_predictions[i] for i in odd])
    metrics += [
        Metric("reviews macro-F1 ours", ours_all, THRESHOLDS["reviews"]),
        Metric("reviews macro-F1 VADER", vader_all),
        Metric("reviews (odd rows, held out) macro-F1 ours", ours_odd, THRESHOLDS["reviews_odd"]),
        Metric("reviews (odd rows, held out) macro-F1 VADER", vader_odd),
        Metric("reviews ours minus VADER", ours_all - vader_all, 0.0),
    ]
    titled = load_reviews(with_title=True)
    notes.append(
        f"clothing reviews: {len(reviews)} texts (ReviewText only); with the title prepended ours "
        f"{compare(titled, ours_labels):.3f}, VADER {compare(titled, _vader_batch):.3f}"
    )
    details += ["### Clothing reviews, ours", "", _confusion(reviews, review_predictions), ""]
    details += ["### Clothing reviews, VADER", "", _confusion(reviews, vader_predictions), ""]

    labelled = load_labelled()
    held_out = [e for e in labelled if e.group == "held_out"]
    ours_labelled = compare(labelled, ours_labels)
    vader_labelled = compare(labelled, _vader_batch)
    metrics += [
        Metric("labelled macro-F1 ours", ours_labelled, THRESHOLDS["labelled"]),
        Metric("labelled macro-F1 VADER", vader_labelled),
        Metric(
            "labelled held-out macro-F1 ours", compare(held_out, ours_labels), THRESHOLDS["labelled_held_out"]
        ),
        Metric("labelled held-out macro-F1 VADER", compare(held_out, _vader_batch)),
        Metric("labelled ours minus VADER", ours_labelled - vader_labelled, 0.0),
    ]
    notes.append(f"hand-labelled: {len(labelled)} texts, {len(held_out)} held out (every third row)")

    sample = load_ground_truth()
    if sample:
        sample_predictions = ours_labels([e.text for e in sample])
        ours_sample = macro_f1([e.label for e in sample], sample_predictions)
        vader_sample = compare(sample, _vader_batch)
        metrics += [
            Metric("sample base macro-F1 ours", ours_sample, THRESHOLDS["sample_base"]),
            Metric("sample base macro-F1 VADER", vader_sample),
            Metric("sample base ours minus VADER", ours_sample - vader_sample, 0.0),
        ]
        for source in sorted({e.group for e in sample}):
            part = [e for e in sample if e.group == source]
            notes.append(
                f"sample base {source}: {len(part)} records, ours {compare(part, ours_labels):.3f}, "
                f"VADER {compare(part, _vader_batch):.3f}"
            )
        details += ["### Sample knowledge base, ours", "", _confusion(sample, sample_predictions), ""]
    else:
        notes.append("sample base labels (evals/ground_truth/records.csv) absent: third set skipped")

    metrics.append(Metric("ours records per second", rate))
    notes.append(f"speed: {rate:.0f} records/s on the clothing reviews (one process)")
    return EvalResult("sentiment", metrics, notes, "\n".join(details))


if __name__ == "__main__":
    from evals.runner import format_table

    result = run()
    print(format_table([result]))
    for note in result.notes:
        print(f"- {note}")
