"""The evidence retriever as a LangChain `BaseRetriever`, for chains and agents built on LangChain.

It is the product's own hybrid search (dense + BM25 fused, see retrieval.py) behind LangChain's
interface: each hit becomes a `Document` whose metadata says where the record sits and how it
ranked, so a LangChain pipeline cites records the same way the product does.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.filters import SearchFilter
from assistant.models import SearchHit
from assistant.retrieval import Mode, Retriever


def hit_document(hit: SearchHit) -> Document:
    """One search hit as a LangChain Document (the record's text, and where it comes from)."""
    evidence = hit.evidence
    metadata: dict[str, Any] = {
        "evidence_id": evidence.id,
        "source": evidence.source,
        "kind": evidence.kind,
        "voice": evidence.voice,
        "place": evidence.locator.label,
        "created_at": evidence.created_at.isoformat() if evidence.created_at else None,
        "score": hit.score,
        "dense_rank": hit.dense_rank,
        "lexical_rank": hit.lexical_rank,
    }
    return Document(page_content=evidence.text, metadata=metadata, id=evidence.id)


class EvidenceRetriever(BaseRetriever):
    """Hybrid search over one workspace's evidence, as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    workspace: str
    k: int = 10
    search_filter: SearchFilter | None = None
    mode: Mode = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(self.workspace, query, self.k, self.search_filter, self.mode)
        return [hit_document(hit) for hit in hits]
