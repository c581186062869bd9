"""Pure parts of retrieval: fusion, tokenising, filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.errors import QueryError
from assistant.filters import SearchFilter
from assistant.lexical import LexicalIndex, tokenize
from assistant.retrieval import convex_fusion, reciprocal_rank_fusion


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]])
    assert max(fused, key=fused.__getitem__) == "b"
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)


def test_convex_fusion_normalises_bm25_and_floors_missing_cosines() -> None:
    fused = convex_fusion([("a", 0.8), ("b", 0.5)], [("b", 12.0), ("c", 6.0)], lexical_weight=0.2)
    assert fused["a"] == pytest.approx(0.8 * 0.8)
    assert fused["b"] == pytest.approx(0.8 * 0.5 + 0.2 * 1.0)
    assert fused["c"] == pytest.approx(0.8 * 0.5 + 0.2 * 0.5)  # only BM25 found it: lowest cosine
    assert convex_fusion([("a", 0.3)], [], 0.1) == {"a": pytest.approx(0.27)}


def test_tokenize_stems_and_drops_stopwords() -> None:
    assert "the" not in tokenize("The shipping costs")
    assert tokenize("Shipping costs") == tokenize("shipping cost")
    assert tokenize("deliveries") == tokenize("delivery")


def test_filter_parse_and_semantics() -> None:
    f = SearchFilter.parse(kinds=["ticket"], where=["device=Mobile"], since="2026-05-01", until="2026-05-31")
    start = int(datetime(2026, 5, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC).timestamp())
    assert f.to_chroma() == {
        "$and": [
            {"kind": {"$in": ["ticket"]}},
            {"a.device": "mobile"},  # attribute filters are case-insensitive
            {"created_ts": {"$gte": start}},
            {"created_ts": {"$lte": end}},  # "until a date" includes that whole day
        ]
    }
    meta = {"kind": "ticket", "a.device": "mobile", "created_ts": start + 3600}
    assert f.matches(meta)
    assert not f.matches({**meta, "kind": "review"})
    assert not f.matches({**meta, "a.device": "desktop"})
    assert not f.matches({**meta, "created_ts": end + 1})
    assert not f.matches({k: v for k, v in meta.items() if k != "created_ts"})
    assert SearchFilter().to_chroma() is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kinds": ["tweet"]}, "unknown kind 'tweet'"),
        ({"where": ["device"]}, "key=value"),
        ({"since": "not a date"}, "--since expects a date"),
    ],
)
def test_filter_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        SearchFilter.parse(**kwargs)


def test_lexical_index_filters_and_ranks() -> None:
    rows = [
        ("1", "shipping cost was a shock at checkout", {"kind": "ticket"}),
        ("2", "the shipping was quick", {"kind": "review"}),
        ("3", "lovely towels", {"kind": "review"}),
    ]
    index = LexicalIndex(rows)
    assert [rid for rid, _ in index.search("shipping cost", 5)][0] == "1"
    only_reviews = SearchFilter(kinds=["review"])
    assert [rid for rid, _ in index.search("shipping cost", 5, only_reviews)] == ["2"]
    assert index.search("zebra", 5) == []
