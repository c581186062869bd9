"""Hybrid retrieval: dense and BM25 scores fused by a convex combination."""

from __future__ import annotations

import threading
from typing import Literal

from assistant.filters import SearchFilter
from assistant.lexical import LexicalIndex
from assistant.models import SearchHit
from assistant.store import EvidenceStore

Mode = Literal["hybrid", "dense", "lexical", "rrf"]

# Hybrid score = (1 - w) * cosine + w * BM25 / best BM25 of the query: a convex combination of
# normalised scores, which beats reciprocal-rank fusion when its weight is tuned (Bruch et al.,
# "An Analysis of Fusion Functions for Hybrid Retrieval", 2023). Customers paraphrase, so exact
# words get a small weight; `python -m evals retrieval` prints the weights it tries beside RRF.
LEXICAL_WEIGHT = 0.1


def convex_fusion(
    dense: list[tuple[str, float]], lexical: list[tuple[str, float]], lexical_weight: float
) -> dict[str, float]:
    """Fuse (id, cosine) and (id, BM25) lists into one score per id."""
    dense_scores = dict(dense)
    lexical_scores = dict(lexical)
    top_bm25 = max(lexical_scores.values(), default=0.0) or 1.0
    # A record only BM25 found gets the pool's lowest cosine: it was not among the nearest.
    floor = min(dense_scores.values(), default=0.0)
    return {
        rid: (1 - lexical_weight) * dense_scores.get(rid, floor)
        + lexical_weight * lexical_scores.get(rid, 0.0) / top_bm25
        for rid in dense_scores.keys() | lexical_scores.keys()
    }


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Fuse ranked id lists by reciprocal rank (the baseline the eval compares against)."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, rid in enumerate(ranking, start=1):
            fused[rid] = fused.get(rid, 0.0) + 1.0 / (k + rank)
    return fused


class Retriever:
    """Searches one store; keeps a BM25 index per workspace, rebuilt when the store changes."""

    def __init__(
        self, store: EvidenceStore, candidates: int = 50, lexical_weight: float = LEXICAL_WEIGHT
    ) -> None:
        self.store = store
        self.candidates = candidates
        self.lexical_weight = lexical_weight
        self._lexical: dict[str, tuple[int, LexicalIndex]] = {}
        self._lock = threading.Lock()

    def lexical_index(self, workspace: str) -> LexicalIndex:
        """Return the workspace's BM25 index, rebuilding it if the record count changed."""
        count = self.store.count(workspace)
        with self._lock:
            cached = self._lexical.get(workspace)
            if cached is None or cached[0] != count:
                index = LexicalIndex(list(self.store.iter_all(workspace)))
                self._lexical[workspace] = (count, index)
            return self._lexical[workspace][1]

    def search(
        self,
        workspace: str,
        query: str,
        k: int = 10,
        search_filter: SearchFilter | None = None,
        mode: Mode = "hybrid",
    ) -> list[SearchHit]:
        """Return the k most relevant records passing the filter, best first."""
        if not query.strip() or k <= 0:
            return []
        pool = max(self.candidates, 5 * k)
        dense = self.store.dense_search(workspace, query, pool, search_filter) if mode != "lexical" else []
        lexical = self.lexical_index(workspace).search(query, pool, search_filter) if mode != "dense" else []
        dense_ids = [rid for rid, _ in dense]
        lexical_ids = [rid for rid, _ in lexical]
        if mode == "hybrid":
            scores = convex_fusion(dense, lexical, self.lexical_weight)
        elif mode == "rrf":
            scores = reciprocal_rank_fusion([dense_ids, lexical_ids])
        else:
            scores = dict(dense or lexical)
        best = sorted(scores, key=lambda rid: -scores[rid])[:k]
        dense_rank = {rid: i for i, rid in enumerate(dense_ids, start=1)}
        lexical_rank = {rid: i for i, rid in enumerate(lexical_ids, start=1)}
        records = {e.id: e for e in self.store.get(workspace, best)}
        return [
            SearchHit(
                evidence=records[rid],
                score=round(scores[rid], 6),
                dense_rank=dense_rank.get(rid),
                lexical_rank=lexical_rank.get(rid),
            )
            for rid in best
            if rid in records
        ]
