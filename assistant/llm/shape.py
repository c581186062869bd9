"""The shape of a reply, drawn from a Pydantic schema, to show a model instead of an example.

A small model copies plausible example content (names, counts, quotes) into its answer. A shape
says what goes where — `<...>` placeholders made of the schema's field descriptions, literal
choices as `<one of: a, b>` — and holds nothing worth copying; the parser refuses a reply that hands one of
its placeholders back.

The same walk gives the reply's JSON Schema, for servers that constrain their output to one (a
llama.cpp server turns it into a grammar): lists at most `max_items` long, texts at most `max_chars`,
cited ids one of those the prompt showed. Its worst-case length sizes the call's `max_tokens`, so a
constrained reply always fits its bound.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

EXAMPLES = re.compile(r",?\s*\(?e\.g\.[^.)]*[.)]?", re.IGNORECASE)


# Worst-case characters per token of a reply (JSON punctuation and short words): sizes max_tokens.
CHARS_PER_TOKEN = 3.0


@dataclass(frozen=True)
class Shape:
    """A reply's shape as compact JSON, the placeholder strings it contains, and its JSON Schema."""

    text: str
    placeholders: frozenset[str]
    schema: dict[str, Any]

    def max_tokens(self) -> int | None:
        """Tokens enough for the longest reply the schema allows (None: the schema sets no bound)."""
        chars = _worst_chars(self.schema)
        return None if chars is None else int(chars / CHARS_PER_TOKEN) + 1


def _describe(description: str | None, fallback: str) -> str:
    text = EXAMPLES.sub("", description or "").strip().rstrip(".")
    return text or fallback.replace("_", " ")


@dataclass(frozen=True)
class ShapeOptions:
    """Fields to leave out (at any depth) and shorter labels for some fields (a prompt repeats them)."""

    omit: frozenset[str] = frozenset()
    require: frozenset[str] = frozenset()  # optional fields the reply must write all the same
    labels: tuple[tuple[str, str], ...] = ()
    # Models written as one string in the reply (e.g. a citation as "E3: its words"); the caller's
    # parser turns the string back into the model.
    inline: tuple[tuple[type[BaseModel], str], ...] = ()
    max_items: int | None = None  # the longest list the schema allows
    list_limits: tuple[tuple[str, int], ...] = ()  # a shorter longest list for some fields, by name
    max_chars: int | None = None  # the longest text the schema allows


@dataclass
class _Walk:
    """What a walk over a schema collects: the placeholders, and the ids a citation may name."""

    options: ShapeOptions
    ids: tuple[str, ...] | None
    found: set[str]
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _value(annotation: Any, label: str, walk: _Walk) -> tuple[Any, dict[str, Any]]:
    """The shape of one value and its JSON Schema."""
    options = walk.options
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _value(inner[0], label, walk) if inner else (None, {"type": "null"})
    if origin is Literal:
        # A small model hands "a|b" back as the value: the choices are a placeholder like the others.
        values = list(get_args(annotation))
        choices = f"<one of: {', '.join(str(choice) for choice in values)}>"
        walk.found.add(choices)
        return choices, {"enum": values}
    if origin is list:
        (item,) = get_args(annotation) or (str,)
        shape, schema = _value(item, label, walk)
        listed: dict[str, Any] = {"type": "array", "items": schema}
        if options.max_items is not None:
            listed["maxItems"] = options.max_items
        return [shape], listed
    inline = dict(options.inline)
    if isinstance(annotation, type) and annotation in inline:
        walk.found.add(inline[annotation])
        # Written inline, a citation is the id of a record shown: one of those ids, when known.
        return inline[annotation], {"type": "string", "enum": list(walk.ids)} if walk.ids else _text(options)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # A lane of claims ("Channels used in the stage") says more about its items' text than the
        # claim's own generic description does.
        return _model(annotation, None, walk, text_label=label)
    if annotation in (int, float):
        placeholder = f"<number: {label}>"
        walk.found.add(placeholder)
        return placeholder, {"type": "integer" if annotation is int else "number"}
    placeholder = f"<{label}>"
    walk.found.add(placeholder)
    return placeholder, _text(options)


def _text(options: ShapeOptions) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    if options.max_chars is not None:
        schema["maxLength"] = options.max_chars
    return schema


def _model(
    schema: type[BaseModel], fields: list[str] | None, walk: _Walk, text_label: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    shape: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    labels = dict(walk.options.labels)
    for name, info in schema.model_fields.items():
        if (fields is not None and name not in fields) or name in walk.options.omit:
            continue
        annotation = info.annotation
        nested = _nested_model(annotation)
        description = info.description or (nested.__doc__ if nested is not None else None)
        given = text_label if name == "text" and text_label else labels.get(name)
        label = given or _describe(description, name)
        shape[name], properties[name] = _value(annotation, label, walk)
        limit = dict(walk.options.list_limits).get(name)
        if limit is not None and properties[name].get("type") == "array":
            properties[name] = {**properties[name], "maxItems": limit}
        if walk.choices.get(name):  # e.g. a judge's claim ids: only those listed may be written
            allowed = {"type": "string", "enum": list(walk.choices[name])}
            listed = properties[name].get("type") == "array"
            properties[name] = {**properties[name], "items": allowed} if listed else allowed
        if info.is_required() or get_origin(annotation) is list or name in walk.options.require:
            required.append(name)  # an optional value may be left out; a list is written, maybe []
    return shape, {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        for inner in (candidate, *get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def shape_of(
    schema: type[BaseModel],
    fields: list[str] | None = None,
    options: ShapeOptions | None = None,
    ids: Sequence[str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> Shape:
    """Return the shape of `schema` (only `fields` at the top level when given).

    `ids`: the evidence ids the prompt shows; an inline citation's schema allows only those.
    `choices`: for text fields (or lists of texts) by name, the only values the schema allows.
    """
    walk = _Walk(options or ShapeOptions(), tuple(ids) if ids else None, set(), choices or {})
    skeleton, json_schema = _model(schema, fields, walk)
    text = json.dumps(skeleton, ensure_ascii=False, separators=(",", ":"))
    return Shape(text, frozenset(walk.found), json_schema)


def _worst_chars(schema: dict[str, Any]) -> int | None:
    """The most characters a reply fitting `schema` can take (None: unbounded)."""
    if "enum" in schema:
        return max(len(json.dumps(v)) for v in schema["enum"]) + 1
    kind = schema.get("type")
    if kind == "object":
        total = 2
        for name, inner in schema["properties"].items():
            size = _worst_chars(inner)
            if size is None:
                return None
            total += len(name) + 4 + size
        return total
    if kind == "array":
        size = _worst_chars(schema["items"])
        if size is None or "maxItems" not in schema:
            return None
        return 2 + schema["maxItems"] * (size + 1)
    if kind == "string":
        # Escapes (\" \n) may double a character; a model rarely writes more than a few.
        return schema["maxLength"] + 8 if "maxLength" in schema else None
    if kind in ("number", "integer"):
        return 12
    return 4  # null
