"""One factory for the chat model, configured by OPENAI_API_KEY / OPENAI_BASE_URL / JOURNEY_CHAT_MODEL."""

from __future__ import annotations

from typing import Any

from assistant.errors import ConfigError
from assistant.settings import Settings


def load_chat_model(settings: Settings) -> Any:
    """Return a LangChain chat model for the configured OpenAI-compatible server."""
    if not settings.llm_configured:
        raise ConfigError(
            "no LLM configured — set OPENAI_API_KEY (and JOURNEY_CHAT_MODEL), or OPENAI_BASE_URL for a "
            "local server; without one the offline engine answers"
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.chat_model,
        # Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
        api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=0,  # retries are ours: bounded, logged, and aware of Retry-After
        temperature=0,
    )
