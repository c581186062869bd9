"""Shared fixtures: the real local embedder, a fresh data home per test, and a network guard."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

from assistant.context import Journey  # noqa: E402
from assistant.embeddings import MiniLMEmbedder  # noqa: E402
from assistant.ingest.loaders import load_own_table  # noqa: E402
from assistant.ingest.records import Loaded  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"
KNOWLEDGE = ROOT / "knowledge"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    # Tests may talk to servers they start on loopback, never to anything else.
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ConnectionRefusedError(f"tests must not reach the network (tried {host})")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection that leaves the machine (opt-in live tests excepted)."""
    if request.node.get_closest_marker("live"):
        return
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def clean_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run every test without a key, a server or a .env from the developer's shell (live tests aside)."""
    monkeypatch.chdir(tmp_path)  # a stray .env in the repo must not leak into tests
    if request.node.get_closest_marker("live"):
        return
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CHROMA_HOST",
        "CHROMA_PORT",
        "JOURNEY_HOME",
        "JOURNEY_WORKSPACE",
        "JOURNEY_EMBEDDINGS",
        "JOURNEY_CHAT_MODEL",
        "JOURNEY_CHAT_PROVIDER",
        "JOURNEY_LLM_TIMEOUT",
        "JOURNEY_LLM_JSON_MODE",
        "JOURNEY_MAX_FILE_MB",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The real local MiniLM embedder, loaded once per test session."""
    return MiniLMEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data home."""
    return load_settings(JOURNEY_HOME=str(tmp_path / "home"))


@pytest.fixture
def journey(settings: Settings, embedder: MiniLMEmbedder) -> Iterator[Journey]:
    """The assembled product on an embedded store in a fresh data home."""
    yield Journey.open(settings, embedder=embedder)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write a file, creating folders; str content is encoded with `encoding`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode(encoding))
    else:
        path.write_bytes(content)
    return path


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Journey:
    """The bundled sample knowledge base, ingested once per test session (read-mostly: do not delete)."""
    home = tmp_path_factory.mktemp("sample-home")
    journey = Journey.open(load_settings(JOURNEY_HOME=str(home)), embedder=embedder)
    report = journey.ingester().ingest([KNOWLEDGE])
    assert report.ok, report.failures
    return journey


@pytest.fixture(scope="session")
def app_url(sample: Journey) -> Iterator[str]:
    """The Gradio app over the sample base, running in this process on a free loopback port."""
    import app as app_module

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = app_module.build_app(sample, "default")
    demo.queue().launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, show_error=True
    )
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Mark a test item that failed, so fixtures (the browser's screenshot) can tell."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed = report.failed  # type: ignore[attr-defined]


def load_export(path: Path) -> Loaded:
    """Read a file the way ingest does (loader, profile, records), without storing anything."""
    return load_own_table(path)


def column_roles(loaded: Loaded) -> dict[str, str]:
    """Every column's role in a loaded table."""
    assert loaded.profile is not None
    return {c.name: c.role for c in loaded.profile.columns}
