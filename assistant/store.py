"""The evidence store: one Chroma collection per workspace, embedded or on a server."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from assistant.embeddings import Embedder, JourneyEmbeddingFunction
from assistant.errors import StoreError
from assistant.filters import SearchFilter, attribute_key, attribute_value, to_timestamp
from assistant.models import Evidence, Locator
from assistant.offline import apply_offline_defaults
from assistant.settings import Settings, check_workspace_name

COLLECTION_PREFIX = "journey_"


def make_client(settings: Settings) -> Any:
    """Return a Chroma client: HttpClient when CHROMA_HOST is set, else a PersistentClient."""
    apply_offline_defaults()
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises several unrelated types here
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
            "(check CHROMA_HOST/CHROMA_PORT, or unset CHROMA_HOST for the embedded store)"
            if settings.chroma_host
            else f"the embedded store in {settings.chroma_dir} (check JOURNEY_HOME is writable)"
        )
        raise StoreError(f"cannot open {where}: {exc}") from exc


def to_metadata(evidence: Evidence) -> dict[str, Any]:
    """Flatten a record into Chroma metadata: exact fields as JSON, filter keys normalised."""
    meta: dict[str, Any] = {
        "source": evidence.source,
        "kind": evidence.kind,
        "locator": evidence.locator.model_dump_json(exclude_none=True),
        "attributes": json.dumps(evidence.attributes, ensure_ascii=False),
    }
    if evidence.voice != "customer":
        meta["voice"] = evidence.voice
    if evidence.question is not None:
        meta["question"] = evidence.question
    if evidence.created_at is not None:
        meta["created_at"] = evidence.created_at.isoformat()
        meta["created_ts"] = to_timestamp(evidence.created_at)
    if evidence.stage is not None:
        meta["stage"] = evidence.stage
    if evidence.sentiment is not None:
        meta["sentiment"] = evidence.sentiment
    for name, value in evidence.attributes.items():
        meta[attribute_key(name)] = attribute_value(value)
    return meta


def from_stored(record_id: str, text: str, meta: dict[str, Any]) -> Evidence:
    """Rebuild a record from what Chroma stored."""
    created = meta.get("created_at")
    return Evidence(
        id=record_id,
        source=meta["source"],
        kind=meta["kind"],
        text=text,
        locator=Locator.model_validate_json(meta.get("locator") or "{}"),
        created_at=datetime.fromisoformat(created) if created else None,
        attributes=json.loads(meta.get("attributes") or "{}"),
        stage=meta.get("stage"),
        sentiment=meta.get("sentiment"),
        voice=meta.get("voice") or "customer",
        question=meta.get("question"),
    )


class EvidenceStore:
    """Evidence records and their vectors, one collection per workspace."""

    def __init__(self, settings: Settings, embedder: Embedder, client: Any | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = client if client is not None else make_client(settings)
        self._collections: dict[str, Any] = {}

    def collection(self, workspace: str) -> Any:
        """Return (creating if needed) the workspace's collection."""
        name = COLLECTION_PREFIX + check_workspace_name(workspace)
        if name not in self._collections:
            try:
                self._collections[name] = self.client.get_or_create_collection(
                    name=name,
                    embedding_function=JourneyEmbeddingFunction(self.embedder),
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"workspace": workspace},
                )
            except Exception as exc:
                raise StoreError(f"cannot open workspace {workspace!r}: {exc}") from exc
        return self._collections[name]

    def workspaces(self) -> list[str]:
        """Return the names of the workspaces that exist."""
        names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        return sorted(n[len(COLLECTION_PREFIX) :] for n in names if n.startswith(COLLECTION_PREFIX))

    def count(self, workspace: str) -> int:
        """Return how many records the workspace holds."""
        return int(self.collection(workspace).count())

    @property
    def max_batch(self) -> int:
        """Largest add the client accepts in one call."""
        try:
            return int(self.client.get_max_batch_size())
        except Exception:  # older servers lack the call; their limit is larger than this
            return 5000

    def existing_ids(self, workspace: str, ids: Sequence[str]) -> set[str]:
        """Return which of the ids are already stored."""
        found: set[str] = set()
        col = self.collection(workspace)
        for start in range(0, len(ids), self.max_batch):
            batch = list(ids[start : start + self.max_batch])
            found.update(col.get(ids=batch, include=[])["ids"])
        return found

    def add(self, workspace: str, records: Sequence[Evidence], vectors: np.ndarray) -> None:
        """Store records with their vectors, in batches the client accepts."""
        col = self.collection(workspace)
        step = self.max_batch
        for start in range(0, len(records), step):
            batch = records[start : start + step]
            col.add(
                ids=[r.id for r in batch],
                documents=[r.text for r in batch],
                metadatas=[to_metadata(r) for r in batch],
                embeddings=vectors[start : start + step],
            )

    def delete(self, workspace: str, ids: Sequence[str]) -> None:
        """Remove records (used to roll back a file that failed half-way)."""
        col = self.collection(workspace)
        for start in range(0, len(ids), self.max_batch):
            col.delete(ids=list(ids[start : start + self.max_batch]))

    def get(self, workspace: str, ids: Sequence[str]) -> list[Evidence]:
        """Return the stored records with these ids, in the order asked; unknown ids are skipped."""
        if not ids:
            return []
        found: dict[str, Evidence] = {}
        col = self.collection(workspace)
        for start in range(0, len(ids), self.max_batch):
            got = col.get(ids=list(ids[start : start + self.max_batch]), include=["documents", "metadatas"])
            for rid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                found[rid] = from_stored(rid, text, meta)
        return [found[i] for i in ids if i in found]

    def iter_all(self, workspace: str, page: int = 5000) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Yield every stored (id, text, metadata), a page at a time."""
        col = self.collection(workspace)
        offset = 0
        while True:
            got = col.get(include=["documents", "metadatas"], limit=page, offset=offset)
            if not got["ids"]:
                return
            yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            offset += len(got["ids"])

    def iter_with_vectors(
        self, workspace: str, page: int = 5000
    ) -> Iterator[tuple[str, str, dict[str, Any], np.ndarray]]:
        """Yield every stored (id, text, metadata, vector), for analysis that reuses the vectors."""
        col = self.collection(workspace)
        offset = 0
        while True:
            got = col.get(include=["documents", "metadatas", "embeddings"], limit=page, offset=offset)
            if not len(got["ids"]):
                return
            for rid, text, meta, vector in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            ):
                yield rid, text, meta, np.asarray(vector, dtype=np.float32)
            offset += len(got["ids"])

    def dense_search(
        self, workspace: str, query: str, n: int, search_filter: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        """Return (id, cosine similarity) of the n nearest records passing the filter."""
        col = self.collection(workspace)
        total = col.count()
        if total == 0 or n <= 0:
            return []
        vector = self.embedder.embed_query(query)
        where = search_filter.to_chroma() if search_filter else None
        got = col.query(
            query_embeddings=[vector], n_results=min(n, total), where=where, include=["distances"]
        )
        return [
            (rid, 1.0 - float(dist)) for rid, dist in zip(got["ids"][0], got["distances"][0], strict=True)
        ]
