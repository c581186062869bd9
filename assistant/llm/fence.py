"""Keep evidence inside its data block: text that imitates our prompt delimiters is defused.

Prompts put customer text between `<evidence>` … `</evidence>` (or `<facts>`, `<map>`) and tell
the model it is data. A record that contains `</evidence>` followed by instructions would end the
block early; so would fake role markers. Such tags in evidence get their `<` replaced by `‹`,
which reads the same to a person and closes nothing. A quote that spans such a tag then no longer
matches its record verbatim, so the citation check drops it: an attack cannot become a citation.
"""

from __future__ import annotations

import re

DELIMITER = re.compile(
    r"<(?=\s*/?\s*(?:evidence|facts|map|system|assistant|user|tool|instructions?)\b)", re.I
)


def fence(text: str) -> str:
    """Text safe to place inside a prompt's data block."""
    return DELIMITER.sub("‹", text)


# Text addressed to a model rather than written by a customer: role markers, our delimiters,
# "ignore previous instructions", verdicts dictated to a reviewer.
STEERING = re.compile(
    r"(?:^|\n|\s)(?:system|assistant|user|tool)\s*:|</?\s*(?:evidence|facts|map|system|assistant|tool|instructions?)\b"
    r"|\bignore (?:all |any )?(?:the )?(?:previous|prior|above) instructions\b|\byou are now\b"
    r"|\b(?:reviewer'?s? )?verdict\s*:|\bnew instructions\b|\bto the ai\b|\bsystem prompt\b"
    # Markup, hidden comments, our own alias format and JSON verdicts are not how customers write.
    r"|<!--|<script\b|\bon(?:error|load|click)\s*=|\[E\d+\]|\"verdicts?\"\s*:|\bhidden instructions?\b",
    re.I,
)


def is_steering(text: str) -> bool:
    """Whether a record reads as instructions to a model: it is kept and shown, never used as support."""
    return bool(STEERING.search(text))
