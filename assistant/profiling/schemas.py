"""The user's column-role corrections: parsed from `--role COLUMN=ROLE`, kept per file in the workspace."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import ConfigError
from assistant.models import EVIDENCE_KINDS, EvidenceKind
from assistant.profiling.models import COLUMN_ROLES, ColumnRole, Schema

_UNSAFE = re.compile(r"[^\w.\-]+")


def parse_roles(pairs: list[str]) -> dict[str, ColumnRole]:
    """Read `COLUMN=ROLE` pairs; the column may itself hold '=' (the last one splits)."""
    roles: dict[str, ColumnRole] = {}
    for pair in pairs:
        column, sep, role = pair.rpartition("=")
        column, role = column.strip(), role.strip()
        if not sep or not column:
            raise ConfigError(
                f"--role {pair!r}: write it as COLUMN=ROLE, e.g. --role 'comments=customer_text'"
            )
        if role not in COLUMN_ROLES:
            raise ConfigError(f"--role {pair!r}: unknown role {role!r}; roles are: {', '.join(COLUMN_ROLES)}")
        roles[column] = role  # type: ignore[assignment]
    return roles


def check_kind(kind: str | None) -> EvidenceKind | None:
    """A kind the user typed, checked."""
    if kind is None:
        return None
    if kind not in EVIDENCE_KINDS:
        raise ConfigError(f"--kind must be one of {', '.join(EVIDENCE_KINDS)}, got {kind!r}")
    return kind  # type: ignore[return-value]


class SchemaStore:
    """One JSON schema file per source file name, under the workspace's `schemas/` folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "schemas"

    def path(self, source: str) -> Path:
        """Where the schema of a source file lives."""
        return self.folder / f"{_UNSAFE.sub('_', source)}.json"

    def get(self, source: str) -> Schema | None:
        """The saved schema of a file, or None."""
        path = self.path(source)
        if not path.is_file():
            return None
        try:
            return Schema.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise ConfigError(
                f"the saved schema {path} is unreadable ({exc}); delete it to start afresh"
            ) from exc

    def merge(self, source: str, roles: dict[str, ColumnRole], kind: EvidenceKind | None) -> Schema | None:
        """The saved schema updated with new roles and kind (saved); None when there is nothing."""
        saved = self.get(source)
        if not roles and kind is None:
            return saved
        schema = saved or Schema(source=source)
        schema.roles.update(roles)
        if kind is not None:
            schema.kind = kind
        self.save(schema)
        return schema

    def save(self, schema: Schema) -> None:
        """Write a schema atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(schema.source)
        partial = path.with_suffix(".part")
        partial.write_text(
            json.dumps(schema.model_dump(mode="json"), indent=2, ensure_ascii=False), encoding="utf-8"
        )
        partial.replace(path)

    def load_file(self, path: Path) -> Schema:
        """A schema file the user wrote (`journey ingest --schema FILE`)."""
        try:
            return Schema.model_validate_json(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read the schema file {path}: {exc.strerror or exc}") from exc
        except ValidationError as exc:
            raise ConfigError(f"{path} is not a valid schema: {exc.errors()[0]['msg']}") from exc
