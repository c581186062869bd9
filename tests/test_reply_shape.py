"""The reply's shape and JSON Schema: what a model is shown, and what a constraining server allows."""

from __future__ import annotations

import json

from assistant.llm.shape import CHARS_PER_TOKEN, shape_of
from assistant.maps.llm_drafter import MODEL_SHAPE, PERSONA_FIELDS, PERSONA_SHAPE, STAGE_LANES
from assistant.maps.models import Persona, Stage
from assistant.review.judge import JudgeReply


def _longest_reply(schema: dict) -> object:
    """The longest value the schema allows (every list full, every text at its longest)."""
    if "enum" in schema:
        return max(schema["enum"], key=lambda v: len(json.dumps(v)))
    kind = schema["type"]
    if kind == "object":
        return {name: _longest_reply(inner) for name, inner in schema["properties"].items()}
    if kind == "array":
        return [_longest_reply(schema["items"]) for _ in range(schema["maxItems"])]
    if kind == "string":
        return "w" * schema["maxLength"]
    return -0.123456789


def test_the_stage_schema_allows_only_the_ids_shown_and_bounded_lanes() -> None:
    shape = shape_of(Stage, STAGE_LANES, MODEL_SHAPE, ids=["E1", "E2"])
    lanes = shape.schema["properties"]
    assert set(lanes) == set(STAGE_LANES) and shape.schema["additionalProperties"] is False
    pain = lanes["pain_points"]
    assert pain["maxItems"] == MODEL_SHAPE.max_items
    assert pain["items"]["properties"]["evidence"]["items"] == {"type": "string", "enum": ["E1", "E2"]}
    assert pain["items"]["properties"]["text"]["maxLength"] == MODEL_SHAPE.max_chars
    assert "basis" not in pain["items"]["properties"]  # derived from the citations, never written
    # The frequency may be left out (no figure is better than an invented one); the lanes may not.
    assert "frequency" not in pain["items"]["required"] and "text" in pain["items"]["required"]
    assert lanes["emotion"]["properties"]["label"]["type"] == "string"
    # The text shown to the model is the same shape, with placeholders and no content to copy.
    assert '"evidence":["<id shown>"]' in shape.text and "E1" not in shape.text


def test_the_bound_fits_the_longest_reply_the_schema_allows() -> None:
    for schema, fields, options in ((Stage, STAGE_LANES, MODEL_SHAPE), (Persona, PERSONA_FIELDS, PERSONA_SHAPE)):
        shape = shape_of(schema, fields, options, ids=[f"E{n}" for n in range(1, 40)])
        longest = json.dumps(_longest_reply(shape.schema), ensure_ascii=False)
        bound = shape.max_tokens()
        assert bound is not None and len(longest) / CHARS_PER_TOKEN <= bound


def test_a_schema_without_bounds_sets_none() -> None:
    assert shape_of(JudgeReply).max_tokens() is None  # its prompt file's own bound applies


def test_choices_limit_named_fields_to_the_values_listed() -> None:
    shape = shape_of(JudgeReply, choices={"claim": ["C1", "C2"], "evidence": ["E4"]})
    ruling = shape.schema["properties"]["verdicts"]["items"]["properties"]
    assert ruling["claim"] == {"type": "string", "enum": ["C1", "C2"]}
    assert ruling["evidence"]["items"] == {"type": "string", "enum": ["E4"]}
    assert ruling["verdict"] == {"enum": ["supported", "unsupported", "contradicted"]}
