"""The profile kept beside a registered table, so every later reader sees the same roles."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assistant.profiling.models import TableProfile

SUFFIX = ".profile.json"


def profile_path(table: Path) -> Path:
    """Where the profile of a registered table file lives."""
    return table.with_name(table.name + SUFFIX)


def save_profile(table: Path, profile: TableProfile) -> None:
    """Write a table's profile beside it, atomically."""
    path = profile_path(table)
    partial = path.with_name(path.name + ".part")
    partial.write_text(profile.model_dump_json(indent=2), encoding="utf-8")
    partial.replace(path)


def load_profile(table: Path) -> TableProfile | None:
    """A registered table's profile; None for tables registered before profiles were kept."""
    path = profile_path(table)
    try:
        return TableProfile.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None
