"""A LangChain callback that records every model call and every reply parse of our chains."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from assistant.llm.errors import cut_off, reason_of

CHAIN_TAG = "chain:"  # each chain's runs carry the tag chain:<prompt name>
CORRECTIVE_TAG = "corrective"  # the corrective round's runs carry this tag too
PARSE_RUN = "reply_parser"  # the run name of every reply parse


@dataclass
class CallRecord:
    """One model call: which chain made it, whether it was the corrective round, what it cost."""

    chain: str
    corrective: bool
    messages: list[tuple[str, str]]
    seconds: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    error: str | None = None
    reply: str = ""


@dataclass
class ParseRecord:
    """One parse of a reply: which chain, which round (first or corrective), and why it failed."""

    chain: str
    corrective: bool
    ok: bool
    reason: str = ""


def _chain_of(tags: list[str] | None) -> tuple[str, bool]:
    names = [t for t in tags or [] if t.startswith(CHAIN_TAG)]
    return (names[-1][len(CHAIN_TAG) :] if names else "?"), CORRECTIVE_TAG in (tags or [])


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant"}.get(message.type, message.type)


class CallLog(BaseCallbackHandler):
    """A LangChain callback that records every model call and every parse of our chains.

    It is how the drafter reports what it sent (the token benchmark) and how `evals llm` measures
    first-try validity, corrective rounds, tokens and seconds without reaching into the chains.
    """

    def __init__(self) -> None:
        self.calls: list[CallRecord] = []
        self.parses: list[ParseRecord] = []
        self._open: dict[UUID, tuple[CallRecord, float]] = {}
        self._parsers: dict[UUID, tuple[str, bool]] = {}

    @property
    def sent(self) -> list[list[tuple[str, str]]]:
        """Every message list sent to the model, in order."""
        return [call.messages for call in self.calls]

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Open a call record with the messages sent."""
        chain, corrective = _chain_of(tags)
        sent = [(_role(m), str(m.content)) for m in messages[0]] if messages else []
        record = CallRecord(chain, corrective, sent)
        self.calls.append(record)
        self._open[run_id] = (record, time.perf_counter())

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the call with its seconds and tokens."""
        record, started = self._open.pop(run_id, (None, 0.0))
        if record is None:
            return
        record.seconds = time.perf_counter() - started
        usage = _usage(response)
        record.prompt_tokens, record.completion_tokens = usage
        record.reply = "".join(g.text for generations in response.generations for g in generations)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the call with its error."""
        record, started = self._open.pop(run_id, (None, 0.0))
        if record is not None:
            record.seconds = time.perf_counter() - started
            record.error = f"{type(error).__name__}: {error}"
            if cut_off(error):
                # A reply cut at its bound is a reply that is not valid JSON: counted as a parse.
                self.parses.append(
                    ParseRecord(record.chain, record.corrective, ok=False, reason="the reply was cut off")
                )

    def on_chain_start(
        self,
        serialized: dict[str, Any] | None,
        inputs: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Note a reply parse starting."""
        if kwargs.get("name") == PARSE_RUN:
            self._parsers[run_id] = _chain_of(tags)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Record a parse that succeeded."""
        if run_id in self._parsers:
            chain, corrective = self._parsers.pop(run_id)
            self.parses.append(ParseRecord(chain, corrective, ok=True))

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Record a parse that failed, with its reason."""
        if run_id in self._parsers:
            chain, corrective = self._parsers.pop(run_id)
            self.parses.append(ParseRecord(chain, corrective, ok=False, reason=reason_of(error)))


def _usage(response: LLMResult) -> tuple[int | None, int | None]:
    """Prompt and completion tokens of a reply, where the provider reported them."""
    for generations in response.generations:
        for generation in generations:
            metadata = getattr(getattr(generation, "message", None), "usage_metadata", None)
            if metadata:
                return metadata.get("input_tokens"), metadata.get("output_tokens")
    usage = (response.llm_output or {}).get("token_usage") or {}
    return usage.get("prompt_tokens"), usage.get("completion_tokens")
