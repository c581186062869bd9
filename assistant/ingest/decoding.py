"""Bytes to text: sniff binaries, decode UTF-8 or a legacy encoding, refuse the undecodable."""

from __future__ import annotations

import csv

from charset_normalizer import from_bytes

from assistant.errors import IngestError

TABLE_SUFFIXES = {".csv", ".tsv", ".tab"}  # delimited text tables
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# Control characters that never occur in text files (tab, newlines, form feed excluded).
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}


def sniff_delimiter(text: str, source: str) -> str:
    """The delimiter of a CSV-like text: tab for .tsv/.tab, else sniffed from its start (comma by default)."""
    if source.lower().endswith((".tsv", ".tab")):
        return "\t"
    try:
        return csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def looks_binary(data: bytes) -> bool:
    """Return whether the bytes look like a binary file rather than text."""
    head = data[:8192]
    # UTF-16 text has NULs too, but announces itself with a byte-order mark.
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_text(data: bytes, source: str) -> str:
    """Decode text bytes: UTF-8 (with or without BOM) first, then the best legacy guess."""
    if looks_binary(data):
        raise IngestError(source, "binary content, not text (NUL bytes found)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data, source)
    # A byte-order mark is no text anywhere: survey tools paste one into answer labels
    # ("\ufeff0 - Not at all satisfied"), where it would make the scale's end a value of its own.
    text = text.replace("\ufeff", "")
    control = sum(1 for ch in text[:100_000] if ch in _CONTROL)
    if control > max(2, len(text[:100_000]) // 100):
        raise IngestError(source, "binary or undecodable content (control characters in the text)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Customer data that is not UTF-8 is overwhelmingly Windows-1252 / Latin-1. On short texts the
# detector often prefers a rarer code page (cp775 for French, say) by a hair; within this margin
# of chaos, Windows-1252 wins.
WESTERN_MARGIN = 0.02


def _decode_legacy(data: bytes, source: str) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise IngestError(source, "undecodable: not UTF-8 and no known encoding fits")
    best = matches[0]
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos + WESTERN_MARGIN:
            return data.decode("cp1252", errors="replace")
    return str(best)
