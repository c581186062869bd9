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


@dataclass(frozen=True)
class ShapeOptions:
    """Fields to leave out (at any depth) and shorter labels for some fields (a prompt repeats them)."""

    omit: frozenset[str] = frozenset()
    labels: tuple[tuple[str, str], ...] = ()
    # Models written as one string in the reply (e.g. a citation as "E3: its words"); the caller's
    # parser turns the string back into the model.
    inline: tuple[tuple[type[BaseModel], str], ...] = ()


def _value(annotation: Any, label: str, found: set[str], options: ShapeOptions) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _value(inner[0], label, found, options) if inner else None
    if origin is Literal:
        # A small model hands "a|b" back as the value: the choices are a placeholder like the others.
        choices = f"<one of: {', '.join(str(choice) for choice in get_args(annotation))}>"
        found.add(choices)
        return choices
    if origin is list:
        (item,) = get_args(annotation) or (str,)
        return [_value(item, label, found, options)]
    inline = dict(options.inline)
    if isinstance(annotation, type) and annotation in inline:
        found.add(inline[annotation])
        return inline[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # A lane of claims ("Channels used in the stage") says more about its items' text than the
        # claim's own generic description does.
        return _model(annotation, None, found, options, text_label=label)
    kind = "number" if annotation in (int, float) else "text"
    placeholder = f"<{kind}: {label}>" if kind == "number" else f"<{label}>"
    found.add(placeholder)
    return placeholder


def _model(
    schema: type[BaseModel],
    fields: list[str] | None,
    found: set[str],
    options: ShapeOptions,
    text_label: str | None = None,
) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    labels = dict(options.labels)
    for name, info in schema.model_fields.items():
        if (fields is not None and name not in fields) or name in options.omit:
            continue
        annotation = info.annotation
        nested = _nested_model(annotation)
        description = info.description or (nested.__doc__ if nested is not None else None)
        given = text_label if name == "text" and text_label else labels.get(name)
        label = given or _describe(description, name)
        shape[name] = _value(annotation, label, found, options)
    return shape


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        for inner in (candidate, *get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def shape_of(
    schema: type[BaseModel], fields: list[str] | None = None, options: ShapeOptions | None = None
) -> Shape:
    """Return the shape of `schema` (only `fields` at the top level when given)."""
    found: set[str] = set()
    skeleton = _model(schema, fields, found, options or ShapeOptions())
    return Shape(json.dumps(skeleton, ensure_ascii=False, separators=(",", ":")), frozenset(found))
