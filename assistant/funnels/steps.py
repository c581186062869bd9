"""The funnel step table a stage set names: step ids in order and the names tools give each step.

A stage set names its steps file with `funnel_steps:` (a bundled lexicon such as
`funnel_steps.yaml`, a path relative to the stage-set file, or the mapping itself); without the
key it gets the bundled `assistant/lexicons/funnel_steps.yaml`. Every domain word about funnels lives
in that data file, never in code: the stage sets' KPIs (`funnel_from` / `funnel_to`) name its step ids,
and the funnel engine reads column and event names through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError
from assistant.profiling.lexicon import normalise_header, read_bundled

BUNDLED = "funnel_steps.yaml"


@dataclass(frozen=True)
class StepTable:
    """Funnel step ids in order; the aliases of each (column and event names); yes/no column names."""

    steps: tuple[str, ...]
    aliases: dict[str, str]  # normalised alias -> step id
    count_words: tuple[str, ...] = ()
    flags: dict[str, str] = field(default_factory=dict)  # normalised yes/no column name -> step id
    origin: str = BUNDLED
    entry: str | None = None  # the step every row of a per-session table stands at
    kpi_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # how KPI names say each step

    def step_of(self, name: str) -> str | None:
        """The step a column or event name stands for ("add_to_cart users" -> cart), or None."""
        text = normalise_header(name)
        if text in self.aliases:
            return self.aliases[text]
        trimmed = text
        for word in self.count_words:
            trimmed = re.sub(rf"^{re.escape(word)} |(?<= ){re.escape(word)}$", "", trimmed).strip()
        return self.aliases.get(trimmed) if trimmed else None

    def flag_step_of(self, name: str) -> str | None:
        """The step a yes/no column of a per-session table means was reached, or None."""
        return self.flags.get(normalise_header(name)) or self.step_of(name)

    def order(self, step: str) -> int:
        """Position of a step id in the funnel (unknown ids last)."""
        return self.steps.index(step) if step in self.steps else len(self.steps)

    def known(self, step: str | None) -> bool:
        """Whether a step id is in the table."""
        return step is not None and step in self.steps


def build_step_table(data: dict[str, Any], origin: str) -> StepTable:
    """A step table from a steps file's mapping.

    Keys: `steps: [{id, aliases, flag_aliases, kpi_words}]`, `count_words`, and `entry_step` (where
    every row of a per-session table stands).
    """
    entries = data.get("steps")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"funnel steps {origin}: expected `steps:`, a list of {{id, aliases}}")
    steps: list[str] = []
    aliases: dict[str, str] = {}
    flags: dict[str, str] = {}
    kpi_words: dict[str, tuple[str, ...]] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not str(entry.get("id") or "").strip():
            raise ConfigError(f"funnel steps {origin}: steps[{index}] needs an `id`")
        step = str(entry["id"]).strip()
        if step in steps:
            raise ConfigError(f"funnel steps {origin}: step id {step!r} appears twice")
        steps.append(step)
        aliases[normalise_header(step)] = step
        for alias in entry.get("aliases") or []:
            aliases.setdefault(normalise_header(str(alias)), step)
        for alias in entry.get("flag_aliases") or []:
            flags.setdefault(normalise_header(str(alias)), step)
        kpi_words[step] = tuple(
            dict.fromkeys([step, *(str(w).lower() for w in entry.get("kpi_words") or [])])
        )
    words = tuple(sorted((str(w).lower() for w in data.get("count_words") or []), key=len, reverse=True))
    entry = str(data["entry_step"]) if data.get("entry_step") else None
    if entry is not None and entry not in steps:
        raise ConfigError(f"funnel steps {origin}: entry_step {entry!r} is not a step id")
    return StepTable(tuple(steps), aliases, words, flags, origin, entry, kpi_words)


@lru_cache(maxsize=32)
def _from_file(path: str) -> StepTable:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"funnel steps file {path} could not be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"funnel steps file {path}: expected a mapping with `steps:`")
    return build_step_table(data, path)


@lru_cache(maxsize=8)
def bundled_step_table(name: str = BUNDLED) -> StepTable:
    """A steps file shipped in assistant/lexicons."""
    return build_step_table(read_bundled(name), name)


def resolve_step_file(spec: str, folder: Path | None) -> str:
    """A `funnel_steps:` value as a bundled name or an absolute path (relative to the stage-set file)."""
    bundled = resources.files("assistant.lexicons").joinpath(spec)
    candidate = Path(spec)
    if not candidate.is_absolute() and folder is not None and (folder / candidate).is_file():
        return str((folder / candidate).resolve())
    if candidate.is_absolute() or candidate.is_file():
        return str(candidate.resolve())
    if "/" not in spec and bundled.is_file():
        return spec
    raise ConfigError(
        f"funnel steps file {spec!r} not found (looked beside the stage set and in the bundled lexicons)"
    )


def step_table(spec: str | dict[str, Any] | None = None) -> StepTable:
    """The step table a stage set's `funnel_steps:` names (None: the bundled one)."""
    if spec is None:
        return bundled_step_table()
    if isinstance(spec, dict):
        return build_step_table(spec, "the stage set")
    if Path(spec).is_absolute():
        return _from_file(spec)
    return bundled_step_table(spec)
