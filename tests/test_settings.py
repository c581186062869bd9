"""Settings: defaults, .env, and errors that name the variable and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import load_settings


def test_defaults_are_offline_and_embedded() -> None:
    settings = load_settings()
    assert settings.home == Path(".journey")
    assert settings.chroma_host is None
    assert settings.embeddings == "minilm"
    assert not settings.llm_configured


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("JOURNEY_CHAT_MODEL=llama3.1\nCHROMA_PORT=9001\n")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    settings = load_settings()
    assert settings.chat_model == "llama3.1"
    assert settings.chroma_port == 9001
    assert settings.llm_configured  # a local server needs no key


def test_home_is_not_read_from_the_shell_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/somewhere/else")
    assert load_settings().home == Path(".journey")


def test_blank_variables_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMA_HOST", "  ")
    monkeypatch.setenv("OPENAI_API_KEY", "")
    settings = load_settings()
    assert settings.chroma_host is None and settings.openai_api_key is None


@pytest.mark.parametrize(
    ("variable", "value", "fix"),
    [
        ("CHROMA_PORT", "eighty", "CHROMA_PORT=8000"),
        ("CHROMA_PORT", "70000", "CHROMA_PORT=8000"),
        ("OPENAI_BASE_URL", "localhost:11434", "http"),
        ("JOURNEY_EMBEDDINGS", "word2vec", "'minilm'"),
        ("JOURNEY_WORKSPACE", "my space", "JOURNEY_WORKSPACE=default"),
        ("JOURNEY_MAX_FILE_MB", "-1", "JOURNEY_MAX_FILE_MB"),
    ],
)
def test_bad_setting_names_variable_and_fix(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fix: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert variable in message and fix in message


def test_openai_embeddings_need_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEY_EMBEDDINGS", "openai")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        load_settings()
