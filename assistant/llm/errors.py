"""What can go wrong on the way to and from a chat model, as errors with readable messages."""

from __future__ import annotations

from assistant.errors import JourneyError


class LLMError(JourneyError):
    """The model could not give a usable answer; the message says what went wrong."""


class LLMOutputError(LLMError):
    """The model answered, but not with valid JSON of the expected shape."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


def reason_of(error: BaseException) -> str:
    """The first line of an error: the reason, without a library's troubleshooting link."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def cut_off(exc: BaseException) -> bool:
    """Whether a provider refused a reply because it reached the length bound."""
    return "LengthFinishReason" in type(exc).__name__ or "length limit" in str(exc).lower()
