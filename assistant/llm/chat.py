"""The chat model: built with LangChain's `init_chat_model` from the settings, or any injected one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def load_chat_model(settings: Settings) -> BaseChatModel:
    """Return the configured chat model (OpenAI-compatible by default, any LangChain provider)."""
    if not settings.llm_configured:
        raise ConfigError(
            "no LLM configured — set OPENAI_API_KEY (and JOURNEY_CHAT_MODEL), or OPENAI_BASE_URL for a "
            "local server, or JOURNEY_CHAT_PROVIDER for another provider; without one the offline "
            "engine answers"
        )
    from langchain.chat_models import init_chat_model
    from langchain_core.language_models import BaseChatModel

    kwargs: dict[str, Any] = {
        "timeout": settings.llm_timeout,
        "max_retries": 0,  # retries are the chain's: bounded, any provider, Retry-After honoured
        "temperature": 0,
    }
    if settings.chat_provider == "openai":
        # Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        kwargs |= {"api_key": key, "base_url": settings.openai_base_url}
    try:
        model = init_chat_model(settings.chat_model, model_provider=settings.chat_provider, **kwargs)
    except ImportError as exc:
        raise ConfigError(
            f"JOURNEY_CHAT_PROVIDER={settings.chat_provider} needs its LangChain package: {exc}"
        ) from exc
    except ValueError as exc:
        raise ConfigError(f"JOURNEY_CHAT_PROVIDER={settings.chat_provider}: {exc}") from exc
    if not isinstance(model, BaseChatModel):  # a configurable model is never asked for here
        raise ConfigError(f"{settings.chat_provider} did not give a chat model")
    return model


def model_label(model: Any) -> str:
    """The name of the model actually used, for the engine label of what it wrote."""
    for attribute in ("model_name", "model", "model_id"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value.strip():
            return value
    return type(model).__name__
