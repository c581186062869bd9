"""What a question asks: why customers drop off, what they say about a topic, a segment comparison."""

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
SEGMENT_WORDS = re.compile(
    r"\b(mobile|desktop|tablet|ios|android|app|web|members?|guests?|new|returning)\b", re.I
)


@dataclass
class Intent:
    """The kind of question and the words it turns on."""

    kind: IntentKind
    topic: str
    segments: list[str] = field(default_factory=list)


def detect_intent(question: str) -> Intent:
    """Classify a question by its wording (offline, no model)."""
    text = question.strip()
    segments = [m.group(1).lower() for m in SEGMENT_WORDS.finditer(text)]
    if COMPARE.search(text) and len(set(segments)) >= 2:
        return Intent("compare", text, list(dict.fromkeys(segments)))
    if DROPOFF.search(text):
        return Intent("dropoff", text, segments)
    if TOPIC.search(text):
        return Intent("topic", text, segments)
    return Intent("general", text, segments)
