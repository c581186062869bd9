"""Sentiment scoring: customer-service language, structure, range, batching, and a check against VADER."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sklearn.metrics import f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from assistant.analysis.sentiment import (
    NEGATIVE_BELOW,
    POSITIVE_ABOVE,
    score_many,
    sentiment_label,
    sentiment_score,
)

REVIEWS = (
    Path(__file__).resolve().parents[2]
    / "shared/datasets/womens_clothing_ecommerce_reviews_subset"
    / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)


def label(text: str) -> str:
    """Our label of a text."""
    return sentiment_label(sentiment_score(text))


def test_checkout_and_support_complaint_is_negative() -> None:
    # VADER alone calls this positive because "support" is a positive word.
    assert label("the checkout kept failing and support never answered") == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Ordered a duvet cover three weeks ago and it still hasn't arrived. No reply to my emails.",
        "I've been charged twice for the same order",
        "Hidden delivery charge only appeared at the last step",
        "Absolute rip off",
        "Had to ring three times before anyone would look at my complaint",
        "Gave up and abandoned my basket",
        "refund still pending after 3 weeks",
        "no one got back to me",
        "Would be nice if the refund actually arrived",
        "ur app is rubbish, keeps crashing smh",
        "1 star. Website kept timing out at payment.",
        "Dear Larkspur,\n\nMy parcel never arrived and nobody has replied.\n\nBest wishes,\nSam",
    ],
)
def test_customer_service_complaints_are_negative(text: str) -> None:
    assert label(text) == "negative", sentiment_score(text)


@pytest.mark.parametrize(
    "text",
    [
        "Delivery was quick and the driver was really friendly",
        "Chuffed with my new rug, looks even better than the photos",
        "5/5 would buy again",
        "So happy with my new lamp 😊",
        "Returned a lamp with no problems at all, refund came through in 2 days",
    ],
)
def test_clear_positives(text: str) -> None:
    assert label(text) == "positive", sentiment_score(text)


@pytest.mark.parametrize(
    "text",
    [
        "how do I change my delivery address?",
        "Can I add a gift message to an order I've already placed?",
        "I would like to return a lamp, what's the process?",
        "No comments",
        "Bought a rug and some cushions",
    ],
)
def test_neutral_questions_and_statements(text: str) -> None:
    assert label(text) == "neutral", sentiment_score(text)


def test_contrast_weighs_the_clause_after_but() -> None:
    assert label("Love the towels but checkout was a nightmare") == "negative"
    assert label("Checkout was a nightmare but I love the towels") == "positive"
    assert sentiment_score("Love the towels but checkout was a nightmare") < sentiment_score(
        "Checkout was a nightmare but I love the towels"
    )


def test_negation() -> None:
    assert label("The kettle didn't work") == "negative"
    assert label("Not received my order") == "negative"
    assert label("Not bad at all for the price") == "positive"
    assert label("Never had a problem with an order") == "positive"
    assert (
        sentiment_score("I'm not happy with the bath mat")
        < 0
        < sentiment_score("I'm happy with the bath mat")
    )


def test_sarcasm_with_a_complaint_is_negative() -> None:
    assert label("Great, another 'delivery exception'. Still waiting.") == "negative"
    assert label("Thanks for nothing") == "negative"


def test_rating_cues() -> None:
    assert sentiment_score("10/10 service") > POSITIVE_ABOVE
    assert sentiment_score("I'd give zero stars if I could") < NEGATIVE_BELOW


def test_scores_stay_in_range() -> None:
    texts = [
        "NEVER AGAIN!!!! WORST SERVICE EVER, charged twice, no reply, rip off, gave up!!!",
        "LOVE LOVE LOVE it!!! best ever, amazing, perfect, 5/5, 10/10 😍😍😍",
        "a " * 2000,
        "🙃🙃🙃",
        "?!?!",
    ]
    for score in score_many(texts):
        assert -1.0 <= score <= 1.0


def test_empty_text_is_zero() -> None:
    assert sentiment_score("") == 0.0
    assert sentiment_score("   \n ") == 0.0
    assert sentiment_label(0.0) == "neutral"


def test_score_many_equals_sentiment_score() -> None:
    texts = [
        "the checkout kept failing and support never answered",
        "Love the towels but checkout was a nightmare",
        "how do I change my delivery address?",
        "how do I change my delivery address?",
        "",
        "Brilliant app, tracking is spot on",
    ]
    assert score_many(texts) == [sentiment_score(t) for t in texts]
    assert score_many([]) == []


def test_deterministic() -> None:
    text = "Sofa was meant to come Tuesday, now 'sometime next week'. Shambles."
    assert sentiment_score(text) == sentiment_score(text)


def test_labels_follow_the_thresholds() -> None:
    assert sentiment_label(-1.0) == "negative"
    assert sentiment_label(NEGATIVE_BELOW - 0.01) == "negative"
    assert sentiment_label(NEGATIVE_BELOW) == "neutral"
    assert sentiment_label(POSITIVE_ABOVE) == "neutral"
    assert sentiment_label(POSITIVE_ABOVE + 0.01) == "positive"


def test_beats_vader_on_real_reviews() -> None:
    # Star ratings as weak labels: 1-2 negative, 3 neutral, 4-5 positive; VADER with its standard rule.
    if not REVIEWS.exists():
        pytest.skip("the shared clothing reviews are not on this machine")
    with REVIEWS.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("ReviewText") or "").strip()]
    texts = [r["ReviewText"].strip() for r in rows]
    gold = [
        "negative" if int(r["Rating"]) <= 2 else "neutral" if r["Rating"] == "3" else "positive" for r in rows
    ]
    vader = SentimentIntensityAnalyzer()
    vader_labels = []
    for text in texts:
        compound = vader.polarity_scores(text)["compound"]
        vader_labels.append(
            "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
        )
    ours_labels = [sentiment_label(s) for s in score_many(texts)]
    labels = ["negative", "neutral", "positive"]
    ours = f1_score(gold, ours_labels, labels=labels, average="macro")
    baseline = f1_score(gold, vader_labels, labels=labels, average="macro")
    assert ours > baseline + 0.05, (ours, baseline)
