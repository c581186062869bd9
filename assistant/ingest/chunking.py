"""Split long texts into embedding-sized chunks that keep their place (and speaker turns)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# all-MiniLM-L6-v2 reads 256 word pieces; ~180 words stays inside that for ordinary English.
MAX_WORDS = 180

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
SPEAKER = re.compile(
    r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?"  # optional [hh:mm:ss] timestamp
    # a name, maybe **bold**, maybe with a role or name in brackets: "Interviewer (Rosie)"
    r"(?:\*\*)?([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}(?: \([^()\n:]{1,40}\))?)(?:\*\*)?"
    r":\s*(?:\*\*)?\s*\S"
)


@dataclass
class Block:
    """A run of source lines (1-based, inclusive) and its text."""

    line_start: int
    line_end: int
    text: str
    part: int | None = None  # 1-based piece number when one long block was split


def word_count(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())


def split_long_text(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Split text into pieces of at most max_words, at sentence ends where possible.

    Each piece is a verbatim substring of the text, so quotes from a piece are quotes from the source.
    """
    if word_count(text) <= max_words:
        return [text]
    pieces: list[str] = []
    start = 0
    current_start = 0
    words = 0
    for match in SENTENCE_END.finditer(text):
        sentence = text[start : match.start()]
        n = word_count(sentence)
        if words and words + n > max_words:
            pieces.append(text[current_start:start].strip())
            current_start, words = start, 0
        words += n
        start = match.end()
    tail_words = word_count(text[start:])
    if words and words + tail_words > max_words:
        pieces.append(text[current_start:start].strip())
        current_start = start
    pieces.append(text[current_start:].strip())
    # A single sentence longer than the limit is cut at word boundaries.
    result: list[str] = []
    for piece in pieces:
        if word_count(piece) <= max_words:
            result.append(piece)
            continue
        spans = [m.span() for m in re.finditer(r"\S+", piece)]
        for i in range(0, len(spans), max_words):
            group = spans[i : i + max_words]
            result.append(piece[group[0][0] : group[-1][1]])
    return [p for p in result if p]


def paragraphs(lines: list[str]) -> list[Block]:
    """Group lines into blank-line-separated paragraphs with their line range."""
    blocks: list[Block] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line.rstrip())
        elif current:
            blocks.append(Block(first, number - 1, "\n".join(current)))
            current = []
    if current:
        blocks.append(Block(first, len(lines), "\n".join(current)))
    return blocks


def speaker_turns(lines: list[str]) -> list[Block] | None:
    """Return the transcript's speaker turns, or None when the text is not a transcript.

    A transcript has at least two speakers with two or more turns each. A turn runs from a
    `Name:` line to the line before the next one; text before the first turn is its own block.
    """
    starts: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        match = SPEAKER.match(line.strip())
        if match:
            starts.append((index, match.group(1)))
    speakers: dict[str, int] = {}
    for _, name in starts:
        speakers[name] = speakers.get(name, 0) + 1
    if sum(1 for n in speakers.values() if n >= 2) < 2:
        return None
    blocks: list[Block] = []
    boundaries = [s for s, _ in starts] + [len(lines)]
    if starts[0][0] > 0:
        blocks.extend(paragraphs(lines[: starts[0][0]]))
    for begin, end in itertools.pairwise(boundaries):
        body = [ln.rstrip() for ln in lines[begin:end]]
        while body and not body[-1].strip():
            body.pop()
            end -= 1
        blocks.append(Block(begin + 1, end, "\n".join(body)))
    return blocks


def pack_blocks(blocks: list[Block], max_words: int = MAX_WORDS) -> list[Block]:
    """Merge consecutive blocks up to max_words; split a block that alone is too long."""
    packed: list[Block] = []
    current: Block | None = None
    for block in blocks:
        if word_count(block.text) > max_words:
            if current:
                packed.append(current)
                current = None
            packed.extend(
                Block(block.line_start, block.line_end, piece, part)
                for part, piece in enumerate(split_long_text(block.text, max_words), start=1)
            )
            continue
        if current and word_count(current.text) + word_count(block.text) <= max_words:
            current = Block(current.line_start, block.line_end, current.text + "\n\n" + block.text)
        else:
            if current:
                packed.append(current)
            current = block
    if current:
        packed.append(current)
    return packed
