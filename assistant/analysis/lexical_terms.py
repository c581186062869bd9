"""Content words of a text, stemmed: what two texts must share to be about the same thing."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z][a-z'’]+")
# Words every customer text and every map claim uses; sharing them says nothing.
GENERIC = frozenset(
    {
        "customer",
        "customers",
        "larkspur",
        "order",
        "orders",
        "ordered",
        "item",
        "items",
        "thing",
        "things",
        "get",
        "got",
        "really",
        "just",
        "like",
        "want",
        "need",
        "use",
        "make",
        "time",
    }
)


# One word written several ways; without this "E-mail" and "email" share nothing.
_SPELLINGS_TO = {"e-mail": "email", "e-mails": "emails", "check-out": "checkout", "log-in": "login"}
_SPELLINGS = re.compile("|".join(re.escape(k) for k in _SPELLINGS_TO), re.IGNORECASE)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_stems(text: str, drop_generic: bool = True) -> frozenset[str]:
    """Stemmed words of a text, minus stop words (and, by default, generic commerce words)."""
    words = _WORD.findall(_SPELLINGS.sub(lambda m: _SPELLINGS_TO[m.group(0).lower()], text.lower()))
    skip = GENERIC if drop_generic else frozenset()
    stems = (_stem(w) for w in words if w not in ENGLISH_STOP_WORDS and w not in skip and len(w) > 1)
    # Filter again after stemming: "sees" is no stop word, its stem "see" is.
    return frozenset(s for s in stems if s not in ENGLISH_STOP_WORDS)
