"""Fakes at our own LLM boundary: a scripted chat model and an OpenAI-compatible stub server."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

Messages = list[tuple[str, str]]
Script = Callable[[Messages], str]
ALIAS_QUOTE = re.compile(r'\[((?:[^\W_]+-)*[^\W_]*\d+)\] "([^"]*)"')


def evidence_of(messages: Messages) -> dict[str, str]:
    """Return the alias -> quote the prompt showed the model."""
    return {alias: text for _, content in messages for alias, text in ALIAS_QUOTE.findall(content)}


class ScriptedChatModel(BaseChatModel):
    """A LangChain chat model answering each call with the next script step.

    A step is a function of the messages as (role, text) pairs, or an exception to raise. Every
    call's messages and keyword arguments (max_tokens, response_format …) are recorded.
    """

    steps: list[Any]
    calls: list[Messages] = Field(default_factory=list)
    call_kwargs: list[dict[str, Any]] = Field(default_factory=list)
    model_name: str = "scripted-model"

    def __init__(self, steps: list[Script | Exception], **kwargs: Any) -> None:
        super().__init__(steps=list(steps), **kwargs)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        sent = [({"human": "user", "ai": "assistant"}.get(m.type, m.type), str(m.content)) for m in messages]
        self.calls.append(sent)
        self.call_kwargs.append(kwargs)
        if not self.steps:
            raise AssertionError("the scripted model was called more often than scripted")
        step = self.steps.pop(0)
        if isinstance(step, BaseException):
            raise step
        return ChatResult(generations=[ChatGeneration(message=AIMessage(step(sent)))])


def first_alias(messages: Messages) -> str:
    """The alias of the first record the prompt showed with a quote."""
    return next(iter(evidence_of(messages)))


def cite_first(messages: Messages, alias: str | None = None, words: int = 4) -> dict[str, Any]:
    """A citation of a record the prompt showed, quoting its first words verbatim."""
    alias = alias or first_alias(messages)
    text = evidence_of(messages)[alias]
    return {"evidence_id": alias, "quote": " ".join(text.split()[:words])}


def stage_reply(messages: Messages, citation: dict[str, Any] | None = None, **overrides: Any) -> str:
    """A well-formed stage reply that cites what the prompt showed."""
    cited = citation or cite_first(messages)
    stage = {
        "name": "ignored",
        "touchpoints": [{"text": "Website", "basis": "data", "evidence": [cited]}],
        "actions": [{"text": "Try to pay", "basis": "data", "evidence": [cited]}],
        "thoughts": [{"text": "Why so expensive?", "basis": "data", "evidence": [cited]}],
        "emotion": {"score": -0.5, "label": "frustrated", "basis": "data", "evidence": [cited]},
        "pain_points": [
            {
                "text": "Costs shown late",
                "basis": "data",
                "frequency": {"count": 3, "share": 0.5},
                "evidence": [cited],
            }
        ],
        "opportunities": [
            {
                "text": "Show costs early",
                "basis": "data",
                "addresses": "Costs shown late",
                "kpi": "conversion",
                "evidence": [cited],
            }
        ],
    }
    stage.update(overrides)
    return json.dumps(stage)


def persona_reply(messages: Messages) -> str:
    """A well-formed persona reply citing the first record shown."""
    return json.dumps(
        {
            "name": "Scripted shopper",
            "summary": "From the scripted model.",
            "traits": [
                {
                    "category": "goal",
                    "text": "Wants clear costs",
                    "basis": "data",
                    "evidence": [cite_first(messages)],
                }
            ],
            "quotes": [],
        }
    )


@dataclass
class StubStep:
    """What the stub server does for one request."""

    status: int = 200
    content: str | None = None  # the assistant message content of a 200 reply
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: str | None = None  # a raw body instead of a chat completion
    finish_reason: str = "stop"  # "length": the server cut the reply at max_tokens


class StubOpenAIServer:
    """An OpenAI-compatible /v1/chat/completions on loopback that replays scripted steps.

    Each request body is recorded, so tests can assert what the product sent.
    """

    def __init__(self, steps: list[StubStep | Callable[[dict[str, Any]], StubStep]]) -> None:
        self.steps = steps
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(request)
                step = (
                    stub.steps.pop(0)
                    if stub.steps
                    else StubStep(status=500, body='{"error": "no more steps"}')
                )
                if callable(step):
                    step = step(request)
                if step.delay:
                    time.sleep(step.delay)
                body = (
                    step.body
                    if step.body is not None
                    else json.dumps(_completion(step.content or "", step.finish_reason))
                )
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", "application/json")
                    for key, value in step.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> StubOpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _completion(content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": "stub-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
