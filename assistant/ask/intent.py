"""What a question asks: why customers drop off, a topic, a segment comparison, a rating filter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ask.models import IntentKind

DROPOFF = re.compile(
    r"\b(drop(?:s|ped|ping)?[ -]?off|drop out|abandon\w*|churn\w*|leav(?:e|es|ing)|quit\w*|"
    r"don'?t (?:buy|convert|complete|finish)|fail(?:s|ing)? to (?:buy|convert|complete)|lose|losing|lost|"
    r"conversion|convert\w*|funnel|why (?:do|don'?t|did|are) (?:customers|users|people|shoppers))\b",
    re.I,
)
COMPARE = re.compile(r"\b(vs\.?|versus|compared? (?:to|with)|differ\w*|between)\b", re.I)
TOPIC = re.compile(r"\b(?:say|saying|said|think|feel|complain\w*|mention\w*|about)\b", re.I)
# A "why" asks for reasons: a choice question of the survey may give them.
REASON = re.compile(r"\b(why|reasons?|what (?:stops|prevents|keeps|makes))\b", re.I)
# Filters on a rating or NPS scale: "1-star reviews", "two stars", "detractors".
STARS = re.compile(r"\b([0-9]|one|two|three|four|five)[- ]?stars?\b", re.I)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
NPS_GROUPS = {"detractor": (0.0, 6.0), "passive": (7.0, 8.0), "promoter": (9.0, 10.0)}
NPS_GROUP = re.compile(r"\b(detractor|passive|promoter)s?\b", re.I)
SEGMENT_WORDS = re.compile(
    r"\b(mobile|desktop|tablet|ios|android|app|web|members?|guests?|new|returning)\b", re.I
)


@dataclass
class ScoreFilter:
    """Respondents whose rating (or NPS answer) lies in [low, high]: "1-star reviews", "detractors"."""

    role: str  # the column role it applies to: "rating" or "nps"
    low: float
    high: float
    label: str


@dataclass
class Intent:
    """The kind of question and the words it turns on."""

    kind: IntentKind
    topic: str
    segments: list[str] = field(default_factory=list)
    score_filter: ScoreFilter | None = None
    reason: bool = False


def score_filter(question: str) -> ScoreFilter | None:
    """The rating or NPS filter a question names, if any."""
    if match := STARS.search(question):
        word = match.group(1).lower()
        stars = float(NUMBER_WORDS.get(word) or int(word))
        return ScoreFilter("rating", stars, stars, match.group(0))
    if match := NPS_GROUP.search(question):
        low, high = NPS_GROUPS[match.group(1).lower()]
        return ScoreFilter("nps", low, high, match.group(0))
    return None


def detect_intent(question: str) -> Intent:
    """Classify a question by its wording (offline, no model)."""
    text = question.strip()
    segments = [m.group(1).lower() for m in SEGMENT_WORDS.finditer(text)]
    reason = bool(REASON.search(text))
    if COMPARE.search(text) and len(set(segments)) >= 2:
        return Intent("compare", text, list(dict.fromkeys(segments)), reason=reason)
    found = score_filter(text)
    if found is not None:
        # "Why do customers give 1-star reviews?" is about those reviewers, not the funnel.
        return Intent("topic", text, segments, score_filter=found, reason=reason)
    if DROPOFF.search(text):
        return Intent("dropoff", text, segments, reason=reason)
    if TOPIC.search(text):
        return Intent("topic", text, segments, reason=reason)
    return Intent("general", text, segments, reason=reason)
