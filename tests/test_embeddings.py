"""MiniLM backends: ONNX Runtime gives torch's vectors (int8: nearly), the setting picks one, fallback works."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant import embeddings
from assistant.embeddings import (
    JourneyEmbeddingFunction,
    MiniLMEmbedder,
    MiniLMOnnxEmbedder,
    MiniLMTorchEmbedder,
    get_embedder,
)
from assistant.errors import ConfigError
from assistant.settings import load_settings

# Real records of the sample base, of mixed lengths, so one batch pads; the last one is longer
# than MiniLM's 256-token window, so truncation must match too.
SENTENCES = [
    "Shipping cost only appeared at the last step of checkout, so I abandoned the cart.",
    "Payment failed twice on mobile.",
    "Love the colour!",
    "The refund took three weeks and nobody answered my emails about where my money was.",
    "Tracking said delivered but the parcel never arrived; support asked me to wait another 48 hours.",
    " ".join(["The size chart was wrong and the dress ran two sizes small in the chest."] * 30),
]


@pytest.fixture(scope="module")
def torch_embedder() -> MiniLMTorchEmbedder:
    return MiniLMTorchEmbedder()


def test_default_embedder_runs_on_int8_onnx(embedder: MiniLMEmbedder) -> None:
    assert embedder.backend == "onnx-int8"
    assert embedder.name == "minilm"


def test_float32_onnx_vectors_match_torch(torch_embedder: MiniLMTorchEmbedder, tmp_path: Path) -> None:
    onnx = MiniLMEmbedder("onnx", cache_dir=tmp_path / "models")
    onnx_vectors = onnx.embed_documents(SENTENCES)
    torch_vectors = torch_embedder.embed_documents(SENTENCES)
    assert onnx.backend == "onnx"
    assert onnx_vectors.shape == torch_vectors.shape == (len(SENTENCES), 384)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_int8_vectors_stay_close_to_torch(embedder: MiniLMEmbedder, torch_embedder: MiniLMTorchEmbedder) -> None:
    int8_vectors = embedder.embed_documents(SENTENCES)
    torch_vectors = torch_embedder.embed_documents(SENTENCES)
    assert int8_vectors.shape == (len(SENTENCES), 384)
    assert int8_vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(int8_vectors, axis=1), 1.0, atol=1e-5)
    cosines = (int8_vectors * torch_vectors).sum(axis=1)
    # Per-channel int8 weights: 0.98+ on 400 real reviews (benchmarks/bench_ingest.py prints retrieval).
    assert cosines.min() >= 0.97, cosines
    # Nearest neighbours are kept: each sentence is still closest to its own float32 vector.
    assert list((int8_vectors @ torch_vectors.T).argmax(axis=1)) == list(range(len(SENTENCES)))
    # Order is kept although the ONNX backend sorts by length; alone or in a batch, the same vector.
    alone = embedder.embed_query(SENTENCES[2])
    assert float(alone @ int8_vectors[2]) >= 0.999
    assert embedder.embed_documents([]).shape == (0, 384)


def test_export_is_cached(embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    built = embedder._resolve()
    assert isinstance(built, MiniLMOnnxEmbedder)
    path = built.model_path()
    assert path.exists() and path.name.endswith("-int8.onnx")

    def no_export(*_args: object) -> Path:
        raise AssertionError("the cached export should have been reused")

    monkeypatch.setattr(embeddings, "export_minilm_onnx", no_export)
    monkeypatch.setattr(embeddings, "quantize_minilm_onnx", no_export)
    again = MiniLMOnnxEmbedder(cache_dir=path.parent, quantized=True)
    again.load()
    assert float(again.embed_query(SENTENCES[0]) @ embedder.embed_query(SENTENCES[0])) >= 0.9999


@pytest.mark.parametrize(
    ("value", "requested"), [
        (None, "auto"),
        ("minilm", "auto"),
        ("minilm-int8", "int8"),
        ("minilm-onnx", "onnx"),
        ("minilm-torch", "torch"),
    ]
)
def test_setting_selects_the_backend(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None, requested: str
) -> None:
    if value is not None:
        monkeypatch.setenv("JOURNEY_EMBEDDINGS", value)
    chosen = get_embedder(load_settings(JOURNEY_HOME=str(tmp_path / "home")))
    assert isinstance(chosen, MiniLMEmbedder)
    assert chosen.requested == requested
    assert chosen.cache_dir == tmp_path / "home" / "models"
    # Every MiniLM backend is one embedder name, so a collection accepts any of them.
    assert chosen.name == "minilm"
    assert JourneyEmbeddingFunction(chosen).get_config() == {"backend": "minilm"}


def test_torch_setting_runs_torch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(embeddings, "MiniLMTorchEmbedder", FakeTorch)
    chosen = MiniLMEmbedder("torch", cache_dir=tmp_path)
    assert chosen.backend == "torch"
    assert not list(tmp_path.iterdir())  # nothing exported


class FakeTorch:
    """Stands in for the torch backend, so fallback tests load no second model."""

    name = "minilm"
    backend = "torch"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def _broken_export(*_args: object) -> Path:
    raise RuntimeError("no ONNX exporter here")


def test_falls_back_to_torch_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embeddings, "export_minilm_onnx", _broken_export)
    monkeypatch.setattr(embeddings, "MiniLMTorchEmbedder", FakeTorch)
    chosen = MiniLMEmbedder(cache_dir=tmp_path / "models")
    with caplog.at_level(logging.WARNING, logger="journey.embeddings"):
        vectors = chosen.embed_documents(["checkout was slow"])
    assert chosen.backend == "torch"
    assert vectors.shape == (1, 384)
    assert any(
        "ONNX" in r.getMessage() and "torch" in r.getMessage() and "no ONNX exporter here" in r.getMessage()
        for r in caplog.records
    )


def test_real_torch_fallback_gives_the_same_vectors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: MiniLMEmbedder, torch_embedder: MiniLMTorchEmbedder
) -> None:
    monkeypatch.setattr(embeddings, "export_minilm_onnx", _broken_export)
    monkeypatch.setattr(embeddings, "MiniLMTorchEmbedder", lambda **_kw: torch_embedder)
    chosen = MiniLMEmbedder(cache_dir=tmp_path / "models")
    assert float(chosen.embed_query(SENTENCES[0]) @ embedder.embed_query(SENTENCES[0])) >= 0.97  # int8 default
    assert chosen.backend == "torch"


def test_int8_falls_back_to_float32_onnx_when_it_cannot_be_quantised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_quantiser(*_args: object) -> Path:
        raise RuntimeError("no quantiser here")

    monkeypatch.setattr(embeddings, "quantize_minilm_onnx", broken_quantiser)
    chosen = MiniLMEmbedder(cache_dir=tmp_path / "models")
    assert chosen.embed_query("checkout was slow").shape == (384,)
    assert chosen.backend == "onnx"
    with pytest.raises(ConfigError, match="no quantiser here"):
        MiniLMEmbedder("int8", cache_dir=tmp_path / "other").embed_query("anything")


def test_onnx_only_setting_raises_instead_of_falling_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(embeddings, "export_minilm_onnx", _broken_export)
    chosen = MiniLMEmbedder("onnx", cache_dir=tmp_path / "models")
    with pytest.raises(ConfigError, match="minilm-torch"):
        chosen.embed_query("anything")
