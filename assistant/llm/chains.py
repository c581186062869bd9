"""Every LLM chain is `prompt | model | parser`, built here from a prompt file and a schema.

The model call is bounded (`max_tokens` from the prompt file, JSON mode where the server speaks
the OpenAI API), retried on transient faults of any provider (LangChain's `with_retry`, honouring
Retry-After), and its failures become LLMErrors that say what happened. A reply that cannot be
parsed gets one corrective round (`with_fallbacks`, the parser's reason sent back to the model);
`with_offline` adds the offline engine as the last fallback, with the reason reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from assistant.llm.call_log import CHAIN_TAG, CORRECTIVE_TAG, PARSE_RUN
from assistant.llm.errors import LLMError, LLMOutputError, cut_off, reason_of
from assistant.llm.parsing import ReplyParser
from assistant.llm.policy import CallPolicy
from assistant.llm.retry import describe_failure, with_provider_retry
from assistant.llm.shape import Shape
from assistant.prompts import PromptSpec

In = TypeVar("In")
Out = TypeVar("Out")
CORRECTION_RAW_CHARS = 4000
ERROR_KEY = "error"  # where with_fallbacks puts the exception for the fallback to read


HISTORY_KEY = "history"  # optional conversation messages, between the system and the user message


def prompt_template(spec: PromptSpec) -> ChatPromptTemplate:
    """The prompt file as a LangChain ChatPromptTemplate (same `{name}` placeholders).

    An optional `history` of earlier turns (LangChain messages or (role, text) pairs) sits between
    the system message and the user's: how the answer chain reads a follow-up in context.
    """
    return ChatPromptTemplate.from_messages(
        [("system", spec.system), MessagesPlaceholder(HISTORY_KEY, optional=True), ("human", spec.user)]
    )


def speaks_openai(model: Any) -> bool:
    """Whether the model talks to an OpenAI-compatible server (which takes `response_format`)."""
    try:
        from langchain_openai.chat_models.base import BaseChatOpenAI
    except ImportError:  # another provider's package only
        return False
    return isinstance(model, BaseChatOpenAI)


def local_server(model: Any) -> bool:
    """Whether an OpenAI-compatible model talks to a server other than OpenAI's own."""
    base = str(getattr(model, "openai_api_base", "") or "")
    return bool(base) and "api.openai.com" not in base


def bounded(
    model: BaseChatModel, max_tokens: int, json_mode: bool, schema: dict[str, Any] | None = None
) -> Runnable[Any, BaseMessage]:
    """The model with its output bounded and, where the server supports it, JSON mode on.

    `schema` (the reply's JSON Schema) goes to OpenAI-compatible servers other than OpenAI's own
    inside JSON mode, as llama.cpp servers read it: they then constrain the reply to it.
    """
    kwargs: dict[str, Any] = {"max_tokens": max_tokens}
    if speaks_openai(model):
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        if local_server(model):
            if json_mode and schema is not None:
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            # ChatOpenAI sends the bound as `max_completion_tokens`, which llama.cpp and other
            # OpenAI-compatible servers ignore; they read the older `max_tokens`.
            kwargs["extra_body"] = {"max_tokens": max_tokens}
    return model.bind(**kwargs)


def model_call(
    model: BaseChatModel, max_tokens: int, policy: CallPolicy, schema: dict[str, Any] | None = None
) -> Runnable[Any, BaseMessage]:
    """One bounded, retried model call whose failures are LLMErrors with a readable reason."""
    retried = with_provider_retry(
        bounded(model, max_tokens, policy.json_mode, schema if policy.json_schema else None),
        policy.attempts,
        policy.max_backoff,
        policy.sleep,
    )

    def call(messages: Any, config: RunnableConfig) -> BaseMessage:
        try:
            reply: BaseMessage = retried.invoke(messages, config)
        except LLMError:
            raise
        except Exception as exc:  # any provider's error: described, then the caller falls back
            if cut_off(exc):
                # The model wrote past its bound: a reply to correct (shorter), not a failed call.
                raise OutputParserException(
                    f"the reply was cut off at its bound of {max_tokens} tokens; write a shorter one "
                    "(fewer items, shorter texts)",
                    llm_output=partial_reply(exc),
                ) from exc
            raise describe_failure(exc, policy.attempts, policy.timeout) from exc
        return reply

    return RunnableLambda(call, name="model_call")


def partial_reply(exc: BaseException) -> str:
    """The text written before the cut, when the provider's error carries it."""
    completion = getattr(exc, "completion", None)
    choices = getattr(completion, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    return str(getattr(message, "content", "") or "")


def structured_chain(
    spec: PromptSpec,
    model: BaseChatModel,
    parser: ReplyParser,
    policy: CallPolicy | None = None,
    shape: Shape | None = None,
) -> Runnable[dict[str, Any], Any]:
    """`prompt | model | parser`, with one corrective round when the reply is not usable.

    Input: the prompt's variables. Output: the parsed model. Raises LLMError (the call failed)
    or LLMOutputError (junk twice), for the caller's offline fallback. With the reply's `shape`,
    a server that takes a JSON Schema constrains the reply to it, and the bound is at least the
    longest reply the schema allows (a constrained reply is never cut off).
    """
    policy = policy or CallPolicy()
    prompt = prompt_template(spec)
    longest = shape.max_tokens() if shape is not None else None
    max_tokens = max(spec.max_tokens, longest or 0)
    call = model_call(model, max_tokens, policy, shape.schema if shape is not None else None)

    def correction(inputs: dict[str, Any]) -> list[BaseMessage]:
        error = inputs[ERROR_KEY]
        raw = str(getattr(error, "llm_output", "") or "")
        values = {k: v for k, v in inputs.items() if k != ERROR_KEY}
        return [
            *prompt.format_messages(**values),
            AIMessage(raw[:CORRECTION_RAW_CHARS]),
            HumanMessage(
                f"That reply was not usable: {reason_of(error)}. Reply again with the corrected JSON "
                "object only."
            ),
        ]

    def twice(exc: OutputParserException) -> LLMOutputError:
        raw = str(exc.llm_output or "")
        return LLMOutputError(f"{reason_of(exc)} (twice, after a corrective round)", raw)

    def call_again(messages: Any, config: RunnableConfig) -> BaseMessage:
        try:
            reply: BaseMessage = call.invoke(messages, config)
        except OutputParserException as exc:  # cut off again
            raise twice(exc) from None
        return reply

    def parse_again(reply: BaseMessage) -> Any:
        try:
            return parser.invoke(reply)
        except OutputParserException as exc:
            raise twice(exc) from None

    first = prompt | call | parser.with_config(run_name=PARSE_RUN)
    again = (
        RunnableLambda(correction, name="corrective_round")
        | RunnableLambda(call_again, name="model_call")
        | RunnableLambda(parse_again, name=PARSE_RUN)
    ).with_config(tags=[CORRECTIVE_TAG])
    chain = first.with_fallbacks(
        [again], exceptions_to_handle=(OutputParserException,), exception_key=ERROR_KEY
    )
    return chain.with_config(run_name=spec.name, tags=[CHAIN_TAG + spec.name])


def with_offline(
    chain: Runnable[In, Out], offline: Callable[[Any, LLMError], Out], name: str = "offline"
) -> Runnable[In, Out]:
    """The chain, falling back to the offline engine when the model fails (`with_fallbacks`).

    `offline(inputs, error)` gets the chain's inputs and the LLMError, so it can report the reason.
    Inputs must be a dict (LangChain hands the error to the fallback under ERROR_KEY).
    """

    def fallback(inputs: Any) -> Out:
        error = inputs[ERROR_KEY]
        values = {k: v for k, v in inputs.items() if k != ERROR_KEY}
        return offline(values, error)

    offline_step: Runnable[In, Out] = RunnableLambda(fallback, name=name)
    return chain.with_fallbacks(
        [offline_step], exceptions_to_handle=(LLMError,), exception_key=ERROR_KEY
    )


def render_messages(spec: PromptSpec, **values: str) -> list[tuple[str, str]]:
    """The messages a prompt file renders to, as (role, text) pairs (benchmarks count their tokens)."""
    return [
        ("user" if m.type == "human" else m.type, str(m.content))
        for m in prompt_template(spec).format_messages(**values)
    ]
