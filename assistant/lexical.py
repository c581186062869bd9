"""BM25 lexical index over a workspace's records (bm25s), with stemming and filters."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import bm25s
import numpy as np
import snowballstemmer

from assistant.filters import SearchFilter

TOKEN = re.compile(r"(?u)\b\w\w+\b")
STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)  # shipped as a tuple: a set makes lookups O(1)
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one word (cached: customer vocabulary is small and stemming is pure Python)."""
    return str(_STEMMER.stemWord(word))


def tokenize(text: str) -> list[str]:
    """Lowercase, split into words, drop English stopwords, stem."""
    return [stem(w) for w in TOKEN.findall(text.lower()) if w not in STOPWORDS]


class LexicalIndex:
    """An in-memory BM25 index of (id, text, metadata) triples."""

    def __init__(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        self.ids = [r[0] for r in rows]
        self.metadatas = [r[2] for r in rows]
        self._bm25 = bm25s.BM25()
        if rows:
            corpus = [tokenize(r[1]) or ["\x00empty"] for r in rows]
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self, query: str, n: int, search_filter: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        """Return (id, BM25 score) of the n best-scoring records that pass the filter."""
        tokens = tokenize(query)
        if not self.ids or not tokens or n <= 0:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float64)
        if search_filter is not None and not search_filter.empty:
            allowed = np.fromiter(
                (search_filter.matches(m) for m in self.metadatas), dtype=bool, count=len(self.ids)
            )
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
