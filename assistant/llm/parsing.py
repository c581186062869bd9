"""The output parser of every chain: JSON out of a reply, checked, validated into a Pydantic model.

LangChain's `PydanticOutputParser` validates the reply as it comes; ours must first map evidence
aliases back to ids (`prepare`) and refuse a reply that repeats the prompt's shape or cites ids
that were never shown — a small model does both and the result would read like a draft.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.output_parsers import BaseOutputParser
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.llm.errors import LLMOutputError

FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
Prepare = Callable[[Any], Any]
Check = Callable[[Any], str | None]


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


def strings_in(data: Any) -> list[str]:
    """Every string value of a parsed reply, depth first."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings_in(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings_in(value)]
    return []


class ReplyParser(BaseOutputParser[Any]):
    """Parse a reply into `schema`; every failure is an OutputParserException with a readable reason.

    `placeholders` are the strings of the shape the prompt showed: a reply that hands one back
    copied the template instead of writing from the evidence. `check` may refuse a parsed reply
    (e.g. one that cites ids the prompt never showed); it returns the reason, or None.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    schema_: type[BaseModel]
    prepare: Prepare | None = None
    check: Check | None = None
    placeholders: frozenset[str] = frozenset()

    @property
    def _type(self) -> str:
        return "journey_reply"

    def parse(self, text: str) -> Any:
        """Return the validated model, or raise OutputParserException saying what was wrong."""
        try:
            return self._parse(text)
        except LLMOutputError as exc:
            raise OutputParserException(str(exc), llm_output=text) from exc

    def _parse(self, raw: str) -> BaseModel:
        if not raw or not raw.strip():
            raise LLMOutputError("the model returned an empty reply", raw or "")
        data = extract_json(raw)
        if not isinstance(data, dict):
            raise LLMOutputError("the reply is JSON but not an object", raw)
        copied = sorted({s for s in strings_in(data) if s in self.placeholders})
        if copied:
            raise LLMOutputError(
                f"the reply repeats the prompt's template ({', '.join(map(repr, copied[:3]))}) "
                "instead of writing from the evidence",
                raw,
            )
        if self.check is not None:
            problem = self.check(data)
            if problem:
                raise LLMOutputError(problem, raw)
        if self.prepare is not None:
            data = self.prepare(data)
        try:
            return self.schema_.model_validate(data)
        except ValidationError as exc:
            fields = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'root'}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise LLMOutputError(
                f"the reply does not fit the {self.schema_.__name__} schema ({fields})", raw
            ) from exc

    def get_format_instructions(self) -> str:
        """The prompts carry their own shape (see shape.py); nothing to add here."""
        return ""
