"""CHROMA_HOST mode: the same ingest and search against a `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.filters import SearchFilter
from assistant.settings import load_settings

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail("chroma run exited: " + (tmp_path / "chroma.log").read_text())
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield port
    process.terminate()
    process.wait(timeout=20)


def test_ingest_and_search_against_a_chroma_server(
    chroma_server: int, tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    settings = load_settings(JOURNEY_HOME=str(tmp_path / "home"))
    journey = Journey.open(settings, embedder=embedder)
    assert type(journey.store.client).__name__ != "PersistentClient"
    assert not settings.chroma_dir.exists()  # nothing embedded was created
    path = write(
        tmp_path / "support_tickets.csv",
        "id,channel,body\n1,app,Delivery fee only shown at the very end of checkout\n"
        "2,email,Lovely bedding and it came the next day\n",
    )
    report = journey.ingester().ingest([path])
    assert report.ok and report.chunks_added == 2
    assert journey.ingester().ingest([path]).chunks_added == 0  # idempotent on a server too
    hits = journey.retriever.search("default", "shipping cost at checkout", k=2)
    assert "Delivery fee" in hits[0].evidence.text
    filtered = journey.retriever.search(
        "default", "bedding", k=2, search_filter=SearchFilter.parse(where=["channel=email"])
    )
    assert [h.evidence.attributes["channel"] for h in filtered] == ["email"]


def test_unreachable_server_gives_a_clear_error(
    tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.errors import StoreError

    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(free_port()))
    with pytest.raises(StoreError, match="CHROMA_HOST"):
        Journey.open(load_settings(JOURNEY_HOME=str(tmp_path)), embedder=embedder).store.count("default")
