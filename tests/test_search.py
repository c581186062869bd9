"""Hybrid search on a real store: relevance, modes and filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.filters import SearchFilter

TICKETS = """ticket_id,created_at,channel,device,body
T-1,2026-04-03,email,mobile,"Delivery charge only showed up at the final step, nearly doubled my order so I left"
T-2,2026-05-10,chat,desktop,Had to make an account just to buy one pillow. Why no guest checkout?
T-3,2026-06-15,app,mobile,Apple Pay spins forever then says payment failed
T-4,2026-07-20,email,desktop,Parcel arrived two weeks late and the tracking page said nothing
T-5,2026-08-02,phone,mobile,Customer asked how to assemble the bed frame; instructions missing step 4
"""
REVIEWS = """review_id,date,rating,text
R-1,2026-06-01,1,The app crashes every time I try to pay with my card
R-2,2026-06-02,5,Lovely towels and fast delivery
R-3,2026-06-03,2,shipping costs are a rip off when you finally see them
"""


@pytest.fixture
def loaded(journey: Journey, tmp_path: Path) -> Journey:
    write(tmp_path / "kb" / "support_tickets.csv", TICKETS)
    write(tmp_path / "kb" / "app_reviews.csv", REVIEWS)
    report = journey.ingester().ingest([tmp_path / "kb"])
    assert report.ok
    return journey


def test_hybrid_finds_paraphrases_and_keywords(loaded: Journey) -> None:
    hits = loaded.retriever.search("default", "shipping cost at checkout", k=3)
    top_texts = [h.evidence.text for h in hits]
    assert any("Delivery charge only showed up" in t for t in top_texts)
    assert any("shipping costs are a rip off" in t for t in top_texts)
    for hit in hits:
        assert hit.evidence.id and hit.evidence.source and hit.score > 0


def test_dense_only_finds_a_paraphrase_with_no_shared_words(loaded: Journey) -> None:
    hits = loaded.retriever.search("default", "forced registration before purchase", k=1, mode="dense")
    assert "guest checkout" in hits[0].evidence.text
    assert hits[0].dense_rank == 1 and hits[0].lexical_rank is None


def test_lexical_only(loaded: Journey) -> None:
    hits = loaded.retriever.search("default", "Apple Pay", k=2, mode="lexical")
    assert "Apple Pay" in hits[0].evidence.text


def test_filters_on_kind_attribute_and_dates(loaded: Journey) -> None:
    only_reviews = loaded.retriever.search(
        "default", "payment failed", k=5, search_filter=SearchFilter.parse(kinds=["review"])
    )
    assert only_reviews and all(h.evidence.kind == "review" for h in only_reviews)
    mobile = loaded.retriever.search(
        "default", "payment", k=5, search_filter=SearchFilter.parse(where=["device=MOBILE"])
    )
    assert mobile and all(h.evidence.attributes["device"] == "mobile" for h in mobile)
    june = loaded.retriever.search(
        "default", "problem", k=10, search_filter=SearchFilter.parse(since="2026-06-01", until="2026-06-30")
    )
    assert june and all(h.evidence.created_at and h.evidence.created_at.month == 6 for h in june)
    by_rating = loaded.retriever.search(
        "default", "app", k=5, search_filter=SearchFilter.parse(where=["rating=1"])
    )
    assert [h.evidence.attributes["rating"] for h in by_rating] == [1]


def test_empty_workspace_and_blank_query(journey: Journey) -> None:
    assert journey.retriever.search("empty", "anything") == []
    assert journey.retriever.search("default", "   ") == []


def test_lexical_index_follows_new_ingests(loaded: Journey, tmp_path: Path) -> None:
    assert not loaded.retriever.search("default", "wombat", k=3, mode="lexical")
    write(tmp_path / "more.txt", "A customer mentioned a wombat-shaped cushion.")
    loaded.ingester().ingest([tmp_path / "more.txt"])
    assert loaded.retriever.search("default", "wombat", k=3, mode="lexical")
