"""The product behind LangChain's interfaces: its retriever as a BaseRetriever, any Embeddings in."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.retrievers import BaseRetriever

from assistant.context import Journey
from assistant.settings import load_settings


def test_the_hybrid_search_is_a_langchain_retriever(sample: Journey) -> None:
    retriever = sample.as_retriever(k=5)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("the delivery cost only appeared at the end of checkout")
    hits = sample.retriever.search(
        sample.settings.workspace, "the delivery cost only appeared at the end of checkout", 5
    )
    assert [d.metadata["evidence_id"] for d in documents] == [h.evidence.id for h in hits]
    stored = {i: t for i, t, _ in sample.store.iter_all(sample.settings.workspace)}
    assert all(stored[d.metadata["evidence_id"]] == d.page_content for d in documents)
    assert {"source", "kind", "place", "score", "dense_rank", "lexical_rank"} <= set(documents[0].metadata)


def test_any_langchain_embeddings_can_embed_a_workspace(tmp_path: Path) -> None:
    write(tmp_path / "kb" / "notes.csv", "id,comment\n1,The parcel came late\n2,Great support on chat\n")
    embeddings = DeterministicFakeEmbedding(size=32)
    journey = Journey.open(load_settings(JOURNEY_HOME=str(tmp_path / "home")), embedder=embeddings)
    assert journey.store.embedder.name.startswith("langchain:")
    assert journey.ingester().ingest([tmp_path / "kb"]).ok
    hits = journey.retriever.search("default", "The parcel came late", k=1)
    assert hits and hits[0].evidence.text == "The parcel came late"
