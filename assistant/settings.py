"""Typed settings from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

WORKSPACE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")

# How to fix each variable, quoted in the error when it is invalid.
FIXES: dict[str, str] = {
    "JOURNEY_HOME": "set JOURNEY_HOME to a writable folder, e.g. JOURNEY_HOME=./.journey",
    "OPENAI_API_KEY": "set OPENAI_API_KEY to your key, or unset it to use the offline engine",
    "OPENAI_BASE_URL": "set OPENAI_BASE_URL to an http(s) URL such as http://127.0.0.1:11434/v1",
    "JOURNEY_CHAT_MODEL": "set JOURNEY_CHAT_MODEL to a model name your server knows, e.g. gpt-4o-mini",
    "JOURNEY_LLM_TIMEOUT": "set JOURNEY_LLM_TIMEOUT to the seconds one model call may take, e.g. 60",
    "JOURNEY_CHAT_PROVIDER": (
        "set JOURNEY_CHAT_PROVIDER to a LangChain provider name (openai, anthropic, ollama, …) whose "
        "package is installed, e.g. pip install langchain-anthropic"
    ),
    "JOURNEY_LLM_JSON_MODE": (
        "set JOURNEY_LLM_JSON_MODE to true, or false for a server that rejects JSON mode"
    ),
    "CHROMA_HOST": "set CHROMA_HOST to the Chroma server's host name, or unset it for the embedded store",
    "CHROMA_PORT": "set CHROMA_PORT to the server's port (1-65535), e.g. CHROMA_PORT=8000",
    "JOURNEY_EMBEDDINGS": (
        "set JOURNEY_EMBEDDINGS to 'minilm' (local, default: int8 ONNX Runtime, else float32, else torch), "
        "'minilm-int8', 'minilm-onnx', 'minilm-torch' or 'openai'"
    ),
    "JOURNEY_EMBEDDING_MODEL": "set JOURNEY_EMBEDDING_MODEL to an embedding model name",
    "JOURNEY_WORKSPACE": "e.g. JOURNEY_WORKSPACE=default",
    "JOURNEY_STAGES": "set JOURNEY_STAGES to 'ecommerce', 'saas' or the path of your own stage-set YAML",
    "JOURNEY_MAX_FILE_MB": "set JOURNEY_MAX_FILE_MB to a positive number of megabytes, e.g. 50",
    "JOURNEY_HOST": "set JOURNEY_HOST to the interface the app listens on, e.g. 127.0.0.1",
    "JOURNEY_PORT": "set JOURNEY_PORT to a free port (1-65535), e.g. JOURNEY_PORT=7860",
}


class Settings(BaseSettings):
    """Every setting Journey Assistant reads, with its environment variable."""

    model_config = SettingsConfigDict(
        # No populate_by_name: field names such as `home` would then also read $HOME.
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    home: Path = Field(default=Path(".journey"), validation_alias="JOURNEY_HOME")
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    chat_model: str = Field(default="gpt-4o-mini", validation_alias="JOURNEY_CHAT_MODEL")
    chat_provider: str = Field(default="openai", min_length=1, validation_alias="JOURNEY_CHAT_PROVIDER")
    llm_json_mode: bool = Field(default=True, validation_alias="JOURNEY_LLM_JSON_MODE")
    llm_timeout: float = Field(default=60.0, gt=0, validation_alias="JOURNEY_LLM_TIMEOUT")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, ge=1, le=65535, validation_alias="CHROMA_PORT")
    # MiniLM's backends give the same vectors (int8 to cosine 0.97+), so "minilm*" values share a store.
    embeddings: Literal["minilm", "minilm-int8", "minilm-onnx", "minilm-torch", "openai"] = Field(
        default="minilm", validation_alias=AliasChoices("JOURNEY_EMBEDDINGS")
    )
    embedding_model: str = Field(default="text-embedding-3-small", validation_alias="JOURNEY_EMBEDDING_MODEL")
    workspace: str = Field(default="default", validation_alias="JOURNEY_WORKSPACE")
    stage_set: str = Field(default="ecommerce", validation_alias="JOURNEY_STAGES")
    max_file_mb: float = Field(default=50.0, gt=0, validation_alias="JOURNEY_MAX_FILE_MB")
    review_max_age_days: int = Field(default=365, ge=0, validation_alias="JOURNEY_REVIEW_MAX_AGE_DAYS")
    server_host: str = Field(default="127.0.0.1", validation_alias="JOURNEY_HOST")
    server_port: int = Field(default=7860, ge=1, le=65535, validation_alias="JOURNEY_PORT")
    app_user: str = Field(default="journey", validation_alias="JOURNEY_USER")
    app_password: str | None = Field(default=None, validation_alias="JOURNEY_PASSWORD")

    @field_validator("openai_base_url", "chroma_host", "openai_api_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An exported-but-empty variable means "not set", not "set to nothing".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_base_url")
    @classmethod
    def _url_has_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value

    @field_validator("workspace")
    @classmethod
    def _workspace_name(cls, value: str) -> str:
        return check_workspace_name(value)

    @property
    def llm_configured(self) -> bool:
        """Whether an LLM is configured: a key, a base URL of a local server, or another provider."""
        return (
            self.openai_api_key is not None
            or self.openai_base_url is not None
            or self.chat_provider != "openai"  # that provider's package reads its own key
        )

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.home / "chroma"

    @property
    def max_file_bytes(self) -> int:
        """Largest file ingest accepts, in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    def workspace_dir(self, workspace: str) -> Path:
        """Folder of one workspace's own files (ingest log, analytics tables)."""
        return self.home / "workspaces" / check_workspace_name(workspace)


def check_workspace_name(name: str) -> str:
    """Return the workspace name, or raise ValueError saying what a valid one looks like."""
    if not WORKSPACE_PATTERN.match(name):
        raise ValueError(f"invalid workspace name {name!r}: use letters, digits, '-' or '_' (up to 63)")
    return name


def _variable_of(error_loc: tuple[object, ...]) -> str:
    field = str(error_loc[0]) if error_loc else ""
    alias = Settings.model_fields[field].validation_alias if field in Settings.model_fields else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return str(alias or field)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; raise ConfigError naming the fix.

    Overrides are keyed by variable name, e.g. `load_settings(JOURNEY_HOME="/tmp/j")`.
    """
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            variable = _variable_of(error["loc"])
            fix = FIXES.get(variable, "check its value")
            problems.append(f"{variable}: {error['msg']} — {fix}")
        raise ConfigError("Invalid setting(s):\n  " + "\n  ".join(problems)) from None
    if settings.embeddings == "openai" and settings.openai_api_key is None:
        raise ConfigError(
            "JOURNEY_EMBEDDINGS=openai needs OPENAI_API_KEY — set OPENAI_API_KEY, "
            "or set JOURNEY_EMBEDDINGS=minilm for local embeddings"
        )
    return settings
