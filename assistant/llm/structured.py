"""Ask a chat model for JSON, validate it into a Pydantic model, retry what is worth retrying.

We do not use `with_structured_output`: servers differ in tool-calling support, invalid JSON comes
back as `None` with function calling and raises from inside the call with json_schema. Asking
for JSON in the prompt and parsing it ourselves behaves the same on every OpenAI-compatible server
and on scripted fakes, and lets each failure carry a readable reason.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.errors import JourneyError

T = TypeVar("T", bound=BaseModel)
MAX_ATTEMPTS = 3  # transient faults (429, 5xx, timeouts, connection drops)
MAX_BACKOFF_S = 20.0
FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class LLMError(JourneyError):
    """The model could not give a usable answer; the message says what went wrong."""


class LLMOutputError(LLMError):
    """The model answered, but not with valid JSON of the expected shape."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


def extract_json(raw: str) -> Any:
    """Return the JSON object in a reply (bare, fenced, or surrounded by prose)."""
    text = raw.strip()
    fenced = FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text.startswith(("{", "[")):
        start = text.find("{")
        end = text.rfind("}")
        if start == -1 or end <= start:
            raise LLMOutputError("the reply holds no JSON object", raw)
        text = text[start : end + 1]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LLMOutputError(
            f"invalid JSON in the reply ({exc.msg} at line {exc.lineno}, column {exc.colno})", raw
        ) from exc


Prepare = Callable[[Any], Any]


def parse_reply(raw: str, schema: type[T], prepare: Prepare | None = None) -> T:
    """Parse and validate a reply into the schema, with a readable error naming the fields.

    `prepare` may rewrite the parsed JSON first (e.g. map evidence aliases back to ids).
    """
    if not raw or not raw.strip():
        raise LLMOutputError("the model returned an empty reply", raw or "")
    data = extract_json(raw)
    if not isinstance(data, dict):
        raise LLMOutputError("the reply is JSON but not an object", raw)
    if prepare is not None:
        data = prepare(data)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'root'}: {e['msg']}" for e in exc.errors()[:5])
        raise LLMOutputError(f"the reply does not fit the {schema.__name__} schema ({fields})", raw) from exc


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _transient(exc: Exception) -> bool:
    import openai

    if isinstance(
        exc, (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError, TimeoutError)
    ):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def invoke_text(
    model: Any, messages: list[tuple[str, str]], sleep: Callable[[float], None] = time.sleep
) -> str:
    """Send messages; retry 429, 5xx, timeouts and dropped connections with bounded backoff."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            reply = model.invoke(messages)
            content = reply.content if hasattr(reply, "content") else reply
            if isinstance(content, list):  # some servers return content parts
                content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
            return str(content or "")
        except Exception as exc:
            if not _transient(exc):
                raise LLMError(f"the model call failed: {type(exc).__name__}: {exc}") from exc
            if attempt == MAX_ATTEMPTS:
                raise LLMError(
                    f"the model did not answer after {MAX_ATTEMPTS} attempts ({type(exc).__name__}: {exc})"
                ) from exc
            wait = _retry_after(exc)
            sleep(min(wait if wait is not None else 2.0**attempt, MAX_BACKOFF_S))
    raise AssertionError("unreachable")


def invoke_json(
    model: Any,
    messages: list[tuple[str, str]],
    schema: type[T],
    sleep: Callable[[float], None] = time.sleep,
    prepare: Prepare | None = None,
) -> T:
    """Ask for JSON of a schema; one corrective round when the reply is invalid, then an error."""
    raw = invoke_text(model, messages, sleep)
    try:
        return parse_reply(raw, schema, prepare)
    except LLMOutputError as first:
        retry = [
            *messages,
            ("assistant", raw[:4000]),
            ("user", f"That reply was not usable: {first}. Reply again with the corrected JSON object only."),
        ]
        raw = invoke_text(model, retry, sleep)
        try:
            return parse_reply(raw, schema, prepare)
        except LLMOutputError as second:
            raise LLMOutputError(f"{second} (twice, after a corrective round)", second.raw) from None
