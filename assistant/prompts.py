"""Prompts are files: YAML specs under prompts/, loaded strictly, rendered with named variables."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import JourneyError

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"


class PromptError(JourneyError):
    """A prompt file is missing or malformed, or a variable was not supplied."""


def placeholders(template: str) -> set[str]:
    """Return the `{name}` placeholders of a template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


class PromptSpec(BaseModel):
    """One prompt: a system message and a user template with declared variables, and its reply's bound."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    system: str
    user: str
    variables: list[str]
    max_tokens: int = Field(gt=0, description="Most tokens the model may write in its reply.")

    @model_validator(mode="after")
    def _declared_matches_used(self) -> PromptSpec:
        used = placeholders(self.system) | placeholders(self.user)
        if used != set(self.variables):
            raise ValueError(
                f"variables {sorted(self.variables)} do not match the placeholders used {sorted(used)}"
            )
        return self

    def render(self, **values: str) -> tuple[str, str]:
        """Return (system, user) with every variable filled; a missing one is a named error."""
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise PromptError(f"prompt {self.name!r} needs variable(s) {', '.join(missing)}")
        unknown = [v for v in values if v not in self.variables]
        if unknown:
            raise PromptError(f"prompt {self.name!r} has no variable(s) {', '.join(unknown)}")
        return self.system.format(**values), self.user.format(**values)


@lru_cache(maxsize=32)
def load_prompt(name: str, folder: Path = PROMPTS) -> PromptSpec:
    """Load prompts/NAME.yaml."""
    path = folder / f"{name}.yaml"
    if not path.is_file():
        raise PromptError(f"no prompt file {path}")
    try:
        return PromptSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise PromptError(f"prompt file {path} is malformed: {exc}") from exc
