"""Split records into sentences with exact spans, so every quote is verbatim in its record."""

from __future__ import annotations

import re
from dataclasses import dataclass

BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\n+")
# Greetings, sign-offs and bare references carry no customer meaning; themes skip them.
BOILERPLATE = re.compile(
    r"^(hi|hello|hiya|hey|dear\b.*|to whom it may concern|thanks?|thank you|many thanks|cheers|regards|"
    r"kind regards|best( wishes)?|sent from my \w+|customer:?|agent.*|"
    r"order (number|ref)?.*\bLK-\d+\.?)[,.!]*$",
    re.IGNORECASE,
)
MIN_WORDS = 3


@dataclass(frozen=True)
class Sentence:
    """A sentence of a record: its record id, its text, and where it sits in the record."""

    record_id: str
    start: int
    end: int
    text: str


def split_sentences(record_id: str, text: str) -> list[Sentence]:
    """Return the meaningful sentences of a record (three words or more, no boilerplate)."""
    sentences: list[Sentence] = []
    position = 0
    for match in [*BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[position:end]
        stripped = raw.strip()
        if stripped and len(stripped.split()) >= MIN_WORDS and not BOILERPLATE.match(stripped):
            start = position + raw.index(stripped)
            sentences.append(Sentence(record_id, start, start + len(stripped), stripped))
        if match:
            position = match.end()
    return sentences
