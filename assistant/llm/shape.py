"""The shape of a reply, drawn from a Pydantic schema, to show a model instead of an example.

A small model copies plausible example content (names, counts, quotes) into its answer. A shape
says what goes where — `<...>` placeholders made of the schema's field descriptions, literal
choices as `<one of: a, b>` — and holds nothing worth copying; the parser refuses a reply that hands one of
its placeholders back.
"""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

EXAMPLES = re.compile(r",?\s*\(?e\.g\.[^.)]*[.)]?", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """A reply's shape as compact JSON, and the placeholder strings it contains."""

    text: str
    placeholders: frozenset[str]


def _describe(description: str | None, fallback: str) -> str:
    text = EXAMPLES.sub("", description or "").strip().rstrip(".")
    return text or fallback.replace("_", " ")


def _value(annotation: Any, label: str, found: set[str], omit: frozenset[str]) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _value(inner[0], label, found, omit) if inner else None
    if origin is Literal:
        # A small model hands "a|b" back as the value: the choices are a placeholder like the others.
        choices = f"<one of: {', '.join(str(choice) for choice in get_args(annotation))}>"
        found.add(choices)
        return choices
    if origin is list:
        (item,) = get_args(annotation) or (str,)
        return [_value(item, label, found, omit)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # A lane of claims ("Channels used in the stage") says more about its items' text than the
        # claim's own generic description does.
        return _model(annotation, None, found, text_label=label, omit=omit)
    kind = "number" if annotation in (int, float) else "text"
    placeholder = f"<{kind}: {label}>" if kind == "number" else f"<{label}>"
    found.add(placeholder)
    return placeholder


def _model(
    schema: type[BaseModel],
    fields: list[str] | None,
    found: set[str],
    text_label: str | None = None,
    omit: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if (fields is not None and name not in fields) or name in omit:
            continue
        annotation = info.annotation
        nested = _nested_model(annotation)
        description = info.description or (nested.__doc__ if nested is not None else None)
        label = text_label if name == "text" and text_label else _describe(description, name)
        shape[name] = _value(annotation, label, found, omit)
    return shape


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        for inner in (candidate, *get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def shape_of(
    schema: type[BaseModel], fields: list[str] | None = None, omit: frozenset[str] = frozenset()
) -> Shape:
    """Return the shape of `schema` (only `fields` at the top level when given; `omit` at any depth)."""
    found: set[str] = set()
    skeleton = _model(schema, fields, found, omit=omit)
    return Shape(json.dumps(skeleton, ensure_ascii=False, separators=(",", ":")), frozenset(found))
