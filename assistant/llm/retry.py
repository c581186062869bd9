"""Which model errors are worth retrying, for any provider, and how long to wait before the retry.

LangChain's `with_retry` does the retrying; what it cannot know is a provider-neutral notion of
"transient" and the server's Retry-After header, so those two live here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.exceptions import ModelError, ModelTimeoutError
from langchain_core.runnables import Runnable
from langchain_core.runnables.retry import RunnableRetry
from tenacity import RetryCallState, wait_exponential_jitter

from assistant.llm.errors import LLMError
from assistant.llm.policy import MAX_ATTEMPTS, MAX_BACKOFF_S

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})
# Exception names providers use for transient faults when they raise neither a LangChain
# ModelError nor an exception carrying an HTTP status.
TRANSIENT_NAMES = ("RateLimit", "Overloaded", "ServiceUnavailable", "APIConnection", "ConnectionError")


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an exception carries (provider SDKs and httpx put it in different places)."""
    for holder in (exc, getattr(exc, "response", None)):
        status = getattr(holder, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def is_timeout(exc: BaseException) -> bool:
    """Whether the call ran out of time (client side)."""
    return isinstance(exc, (TimeoutError, ModelTimeoutError)) or "Timeout" in type(exc).__name__


def is_transient(exc: BaseException) -> bool:
    """Whether the same request may succeed when sent again.

    Timeouts are not retried: a local server keeps generating after the client gives up, so a
    retry queues behind the abandoned generation instead of replacing it.
    """
    if is_timeout(exc):
        return False
    if isinstance(exc, ModelError):
        return exc.is_retryable
    status = status_of(exc)
    if status is not None:
        return status in RETRYABLE_STATUS
    return isinstance(exc, ConnectionError) or any(n in type(exc).__name__ for n in TRANSIENT_NAMES)


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After), when it said."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


class _WaitRetryAfter:
    """A tenacity wait: the server's Retry-After when given, else jittered exponential backoff."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        self.backoff = wait_exponential_jitter(initial=1, max=cap)

    def __call__(self, state: RetryCallState) -> float:
        failed = state.outcome.exception() if state.outcome is not None else None
        asked = retry_after(failed) if failed is not None else None
        return min(asked if asked is not None else self.backoff(state), self.cap)


class ProviderRetry(RunnableRetry[Any, Any]):
    """`with_retry` that honours Retry-After and whose waits can be shortened (evals, tests)."""

    max_backoff: float = MAX_BACKOFF_S
    sleep: Callable[[float], None] = time.sleep

    @property
    def _kwargs_retrying(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super()._kwargs_retrying
        kwargs["wait"] = _WaitRetryAfter(self.max_backoff)
        kwargs["sleep"] = self.sleep
        return kwargs


def with_provider_retry(
    model: Runnable[Any, Any],
    attempts: int = MAX_ATTEMPTS,
    max_backoff: float = MAX_BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Runnable[Any, Any]:
    """Wrap a model so transient faults of any provider are retried, bounded."""
    return ProviderRetry(
        bound=model,
        retry_exception_types=is_transient,
        max_attempt_number=attempts,
        max_backoff=max_backoff,
        sleep=sleep,
    )


def describe_failure(exc: BaseException, attempts: int, timeout: float | None) -> LLMError:
    """Turn a provider's exception into an LLMError that says what happened and what was tried."""
    name = f"{type(exc).__name__}: {exc}"
    if is_timeout(exc):
        within = f" within {timeout:g} s" if timeout else ""
        return LLMError(
            f"the model did not answer{within} ({name}); not retried, since a server keeps generating "
            "after the client gives up — raise JOURNEY_LLM_TIMEOUT for a slow local model"
        )
    if is_transient(exc):
        return LLMError(f"the model did not answer after {attempts} attempts ({name})")
    return LLMError(f"the model call failed: {name}")
