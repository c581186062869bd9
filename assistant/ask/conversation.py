"""A conversation that remembers: follow-up questions resolved against the previous question.

"And on mobile?" after "why do customers drop off at checkout?" keeps the drop-off intent and the
stage and narrows the records to those whose attributes say mobile; "what about refunds?" keeps the
conversation's stage and asks about the new topic. Which messages read as follow-ups is language
data (`lexicons/followups.yaml`); which words are segments is the workspace's own attribute values.
With a model, the conversation's last turns also go to the answer chain as message history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.ask.models import IntentKind
from assistant.evidence.segments import Segment, words_of

FOLLOWUPS = Path(__file__).resolve().parents[1] / "lexicons" / "followups.yaml"
HISTORY_TURNS = 2  # turns of history the model sees: enough for "and on mobile?", short for small models


@dataclass
class Turn:
    """One answered question and what it was resolved to."""

    question: str
    intent: IntentKind
    stage: str | None
    segment: Segment | None
    topic: str
    answer: str = ""


@dataclass
class FollowUp:
    """How a follow-up was read: what it carries over from the previous turn and what it adds."""

    previous: Turn
    question: str  # the question answered: the previous one, or the follow-up's own topic
    intent: IntentKind
    stage: str | None
    segment: Segment | None
    topic: str

    def describe(self, segment_records: int | None = None) -> str:
        """One line for the answer: what was carried over, so the reader can tell."""
        parts = [f"“{self.question}”" if self.question != self.previous.question else "the same question"]
        if self.stage:
            parts.append(f"stage {self.stage}")
        if self.segment:
            size = f" ({segment_records} records)" if segment_records is not None else ""
            parts.append(f"only records where {self.segment.label}{size}")
        return f"Read as a follow-up of “{self.previous.question}”: " + ", ".join(parts) + "."


@dataclass(frozen=True)
class FollowUpWords:
    """The follow-up lexicon."""

    openers: tuple[str, ...]
    filler: frozenset[str]
    max_words: int


@lru_cache(maxsize=4)
def followup_words(path: Path = FOLLOWUPS) -> FollowUpWords:
    """Load the follow-up lexicon."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    openers = tuple(sorted((str(o).lower() for o in data["openers"]), key=len, reverse=True))
    return FollowUpWords(openers, frozenset(str(w).lower() for w in data["filler"]), int(data["max_words"]))


@dataclass
class Conversation:
    """The turns of one chat session (one per app session or CLI conversation)."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        """The previous answered turn."""
        return self.turns[-1] if self.turns else None

    def is_follow_up(self, question: str, has_own_intent: bool) -> bool:
        """Whether a message leans on the previous question rather than standing alone."""
        if self.last is None:
            return False
        lexicon = followup_words()
        text = " ".join(words_of(question))
        opens = any(text == o or text.startswith(o + " ") for o in lexicon.openers)
        short = len(text.split()) <= lexicon.max_words and not has_own_intent
        return opens or short

    def remember(self, turn: Turn) -> None:
        """Add an answered turn."""
        self.turns.append(turn)

    def history(self) -> list[tuple[str, str]]:
        """The last turns as (role, text) messages, for the model's message history."""
        messages: list[tuple[str, str]] = []
        for turn in self.turns[-HISTORY_TURNS:]:
            messages += [("human", turn.question), ("ai", turn.answer[:1500])]
        return messages


def topic_words(question: str, segment: Segment | None) -> str:
    """What a follow-up asks about once its opener, filler and segment words are taken out."""
    lexicon = followup_words()
    taken = set(words_of(segment.value.replace("_", " "))) if segment else set()
    kept = [w for w in words_of(question) if w not in lexicon.filler and w not in taken]
    return " ".join(kept)
