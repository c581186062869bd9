"""The upload preview: how each file will be read, corrected by the user, then ingested with it.

`prepare` checks and stages the uploads (`uploads.stage`) in a pending folder of the workspace and
previews each one (`assistant.profiling.inspect.preview_file`): its kind and why, and for a table
every column's role, why, and a few values. A schema saved for the file name (an earlier
correction) is read first, so the preview shows the file as a re-ingest would read it.
`apply_edits` folds the user's choices for one file (a kind; a role per column) into the pending
state after checking them, and `recheck` previews that file again with them. `ingest_pending`
ingests every file with its kind and the roles the user changed; the ingester keeps those
corrections with the workspace (`assistant.profiling.schemas.SchemaStore`).

Everything here is plain data (no Gradio), so the app stays a thin adapter and tests need no browser.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.context import Journey
from assistant.errors import ConfigError, JourneyError
from assistant.ingest.pipeline import IngestReport, Progress, ProgressFn
from assistant.models import EVIDENCE_KINDS, EvidenceKind
from assistant.profiling.inspect import FilePreview, preview_file
from assistant.profiling.models import COLUMN_ROLES, ROLE_MEANING, ColumnRole, Schema
from assistant.profiling.schemas import SchemaStore
from assistant.web.uploads import stage

FILE_HEADERS = ["file", "kind", "why", "becomes", "status"]
COLUMN_HEADERS = ["column", "role", "why", "examples"]
RESULT_HEADERS = ["file", "kind", "result"]
PENDING_DIR = ".pending"
STALE_SECONDS = 24 * 3600  # pending folders older than this (a preview never ingested) are removed
SET_BY_YOU = "set by you"


class PendingFile(BaseModel):
    """One staged upload: how it reads, and the user's corrections so far."""

    key: str = Field(description="The file's path inside the pending folder: unique within an upload.")
    path: str
    preview: FilePreview | None = None
    error: str | None = Field(default=None, description="Why it cannot be previewed (it is not ingested).")
    inferred_kind: str | None = Field(default=None, description="The kind first shown (inferred or saved).")
    inferred_reason: str = ""
    inferred_roles: dict[str, str] = Field(default_factory=dict, description="The roles first shown.")
    kind: str | None = Field(default=None, description="The kind it will be ingested as.")
    changes: dict[str, str] = Field(default_factory=dict, description="Column -> role the user chose.")

    @property
    def name(self) -> str:
        """The file name: the evidence's source, and the key its schema is saved under."""
        return Path(self.path).name

    @property
    def kind_changed(self) -> bool:
        """Whether the user chose another kind than the one first shown."""
        return self.kind is not None and self.kind != self.inferred_kind

    def shown_roles(self) -> dict[str, str]:
        """Each column's role as the user sees it: the preview's, with the user's changes over it."""
        table = self.preview.table if self.preview is not None else None
        roles = {c.name: c.role for c in table.columns} if table is not None else {}
        return {**roles, **self.changes}


class Pending(BaseModel):
    """An upload between its preview and its ingest (kept in the browser session's state)."""

    folder: str
    uploads: list[str] = Field(description="The uploaded names, to tell a preview of other files.")
    files: list[PendingFile] = Field(default_factory=list)
    refused: list[tuple[str, str]] = Field(default_factory=list)
    current: str | None = Field(default=None, description="The key of the file being corrected.")

    def file(self, key: str | None) -> PendingFile | None:
        """One staged file, by key."""
        return next((f for f in self.files if f.key == key), None)

    def matches(self, uploads: list[Path]) -> bool:
        """Whether this preview is of these uploaded files."""
        return self.uploads == [p.name for p in uploads]


def _preview(
    path: Path, schema: Schema | None, kind: EvidenceKind | None = None
) -> tuple[FilePreview | None, str | None]:
    try:
        return preview_file(path, schema=schema, kind=kind), None
    except JourneyError as exc:
        return None, getattr(exc, "reason", None) or str(exc)
    except Exception as exc:  # a loader bug must fail one file's preview, not the upload
        return None, f"could not be read ({type(exc).__name__}: {exc})"


def _saved(store: SchemaStore, name: str) -> tuple[Schema | None, str | None]:
    try:
        return store.get(name), None
    except ConfigError as exc:
        return None, str(exc)


def _clear_stale(root: Path) -> None:
    if not root.is_dir():
        return
    cutoff = time.time() - STALE_SECONDS
    for old in root.iterdir():
        if old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)


def prepare(journey: Journey, workspace: str, uploads: list[Path]) -> Pending:
    """Check and stage the uploads, and preview each file as it would be ingested into `workspace`."""
    home = journey.settings.workspace_dir(workspace)
    root = home / "uploads" / PENDING_DIR
    _clear_stale(root)
    folder = root / uuid.uuid4().hex[:12]
    staged, refused = stage(uploads, folder, journey.settings.max_file_bytes)
    store = SchemaStore(home)
    pending = Pending(folder=str(folder), uploads=[p.name for p in uploads], refused=refused)
    for path in staged:
        key = path.relative_to(folder).as_posix()
        schema, problem = _saved(store, path.name)
        preview, error = (None, problem) if problem else _preview(path, schema)
        roles: dict[str, str] = (
            {c.name: c.role for c in preview.table.columns} if preview and preview.table else {}
        )
        pending.files.append(
            PendingFile(
                key=key,
                path=str(path),
                preview=preview,
                error=error,
                inferred_kind=preview.kind if preview else None,
                inferred_reason=preview.kind_reason if preview else "",
                inferred_roles=roles,
                kind=preview.kind if preview else None,
            )
        )
    pending.current = next((f.key for f in pending.files if f.preview is not None), None)
    return pending


def apply_edits(
    pending: Pending, key: str | None, kind: str | None, rows: list[list[object]] | None
) -> Pending:
    """The pending upload with one file's kind and column roles as the user set them.

    Checked first: an unknown kind, column or role raises ConfigError naming the file and every bad
    column, and the pending state is left as it was.
    """
    target = pending.file(key)
    if target is None or target.preview is None:
        return pending
    problems: list[str] = []
    if kind and kind not in EVIDENCE_KINDS:
        problems.append(f"{kind!r} is not a kind (kinds: {', '.join(EVIDENCE_KINDS)})")
    shown = target.shown_roles()
    changes = dict(target.changes)
    for row in rows or []:
        if not row or all(str(cell or "").strip() == "" for cell in row):
            continue  # a blank row the grid added
        column = str(row[0])
        role = str(row[1] if len(row) > 1 and row[1] is not None else "").strip()
        if column not in shown:
            problems.append(f"there is no column {column!r}")
        elif role not in COLUMN_ROLES:
            problems.append(f"column {column!r}: {role!r} is not a role (roles: {', '.join(COLUMN_ROLES)})")
        elif role != shown[column]:
            changes[column] = role
    if problems:
        raise ConfigError(f"{target.name}: " + "; ".join(problems) + ". Nothing was changed.")
    changes = {c: r for c, r in changes.items() if r != target.inferred_roles.get(c)}
    updated = target.model_copy(update={"kind": kind or target.kind, "changes": changes})
    return pending.model_copy(update={"files": [updated if f.key == key else f for f in pending.files]})


def _schema_of(journey: Journey, workspace: str, item: PendingFile) -> Schema:
    """The saved schema of a file with the user's current corrections over it (not saved)."""
    saved, _ = _saved(SchemaStore(journey.settings.workspace_dir(workspace)), item.name)
    base = saved or Schema(source=item.name)
    return base.model_copy(
        update={
            "roles": {**base.roles, **item.changes},  # type: ignore[dict-item]
            "kind": item.kind if item.kind_changed else base.kind,
        }
    )


def recheck(journey: Journey, workspace: str, pending: Pending, key: str | None) -> Pending:
    """Preview one file again with the user's corrections: the records, figures and kind they give."""
    target = pending.file(key)
    if target is None or target.preview is None:
        return pending
    schema = _schema_of(journey, workspace, target)
    preview, error = _preview(Path(target.path), schema, target.kind if target.kind_changed else None)  # type: ignore[arg-type]
    if preview is None:
        raise ConfigError(
            f"{target.name}: with these roles the file cannot be read ({error}). Nothing was changed."
        )
    updated = target.model_copy(update={"preview": preview})
    return pending.model_copy(update={"files": [updated if f.key == key else f for f in pending.files]})


def carry_over(old: Pending | None, new: Pending) -> Pending:
    """A fresh preview keeping the corrections made to the same files (a file added to the upload)."""
    if old is None:
        return new
    kept = []
    for item in new.files:
        before = old.file(item.key)
        if before is not None and (before.inferred_kind, before.inferred_roles) == (
            item.inferred_kind,
            item.inferred_roles,
        ):
            item = item.model_copy(update={"kind": before.kind, "changes": before.changes})
        kept.append(item)
    current = old.current if new.file(old.current) is not None else new.current
    return new.model_copy(update={"files": kept, "current": current})


def select(pending: Pending, key: str | None) -> Pending:
    """The pending upload with another file open for correction."""
    if pending.file(key) is None:
        return pending
    return pending.model_copy(update={"current": key})


# --- what the app shows --------------------------------------------------------------------------


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def _becomes(preview: FilePreview) -> str:
    parts = [_count(preview.records, "customer record")]
    if preview.company_records:
        parts.append(_count(preview.company_records, "company record") + " (context only)")
    if preview.figures:
        parts.append(f"figures: {', '.join(preview.figures)}")
    if preview.table is not None and preview.table.keeps_table:
        parts.append("kept as a table")
    if preview.duplicate_rows:
        parts.append(_count(preview.duplicate_rows, "duplicate row") + " read once")
    return " · ".join(parts)


def _status(item: PendingFile) -> str:
    notes = []
    if item.kind_changed:
        notes.append(f"kind set by you (was {item.inferred_kind})")
    if item.changes:
        notes.append(f"{len(item.changes)} role{'s' if len(item.changes) != 1 else ''} set by you")
    return "; ".join(notes) or "ready"


def file_rows(pending: Pending | None) -> list[list[str]]:
    """One row per uploaded file: kind, why, what it becomes, status (refused and unreadable ones too)."""
    if pending is None:
        return []
    rows: list[list[str]] = []
    for item in pending.files:
        if item.preview is None:
            rows.append([item.key, "", "", "", f"cannot be read: {item.error}"])
            continue
        rows.append([item.key, item.kind or "", kind_reason(item), _becomes(item.preview), _status(item)])
    rows += [[name, "", "", "", why] for name, why in pending.refused]
    return rows


def kind_reason(item: PendingFile) -> str:
    """Why the file is read as its kind."""
    if item.preview is None:
        return ""
    if item.kind_changed:
        return f"{SET_BY_YOU} (inferred {item.inferred_kind}: {item.inferred_reason})"
    return item.preview.kind_reason


def column_rows(item: PendingFile | None) -> list[list[str]]:
    """The open file's columns: name, role (editable), why, examples; empty for prose."""
    if item is None or item.preview is None or item.preview.table is None:
        return []
    rows = []
    for col in item.preview.table.columns:
        role = item.changes.get(col.name, col.role)
        why = SET_BY_YOU if col.name in item.changes and role != col.role else col.reason
        if col.overridden and col.name not in item.changes:
            why = f"{SET_BY_YOU} (saved)"
        examples = ", ".join(e[:40] for e in col.examples[:3])
        rows.append([col.name, role, why, examples])
    return rows


def file_note(item: PendingFile | None) -> str:
    """A line about the open file, in Markdown."""
    if item is None:
        return "No file to preview."
    if item.preview is None:
        return f"**{item.key}** cannot be read: {item.error}. It will not be ingested; the other files will."
    head = f"**{item.key}** reads as **{item.kind}**: {kind_reason(item)}."
    if item.preview.table is None:
        sample = item.preview.sample[0][:200].replace("\n", " ") if item.preview.sample else ""
        return head + (f" Begins: “{sample}”" if sample else "") + " No columns: it is read as prose."
    return head + " Change a column's role in the grid or with the pickers below."


def role_lines() -> str:
    """The roles and what they mean, as a Markdown list."""
    return "\n".join(f"- `{role}`: {meaning}" for role, meaning in ROLE_MEANING.items())


def set_role(rows: list[list[object]] | None, column: str | None, role: str | None) -> list[list[object]]:
    """The column grid with one column's role replaced (the dropdown way of editing it)."""
    if not column:
        raise ConfigError("Pick a column to change.")
    if role not in COLUMN_ROLES:
        raise ConfigError(f"column {column!r}: {role!r} is not a role (roles: {', '.join(COLUMN_ROLES)})")
    out = [list(r) for r in rows or []]
    for row in out:
        if row and str(row[0]) == column:
            row[1] = role
            if len(row) > 2:
                row[2] = SET_BY_YOU
            return out
    raise ConfigError(f"there is no column {column!r} in this file")


# --- ingesting with the corrections --------------------------------------------------------------


def ingest_pending(
    journey: Journey, workspace: str, pending: Pending, progress: ProgressFn | None = None
) -> tuple[list[IngestReport], list[list[str]]]:
    """Ingest every readable file with its kind and changed roles; ([reports], [file, kind, result] rows).

    Each file goes in on its own (a failure keeps the others), from the workspace's `uploads/`
    folder; the ingester saves changed roles and a changed kind in the workspace's schemas.
    """
    uploads = journey.settings.workspace_dir(workspace) / "uploads"
    ingester = journey.ingester(workspace)
    tick = progress or (lambda _p: None)
    ready = [f for f in pending.files if f.preview is not None and Path(f.path).is_file()]
    reports: list[IngestReport] = []
    rows: list[list[str]] = []
    for index, item in enumerate(ready, start=1):
        target = uploads / item.key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item.path, target)

        def remap(step: Progress, index: int = index) -> None:
            tick(replace(step, file_index=index, files=len(ready)))

        kind: EvidenceKind = item.kind  # type: ignore[assignment]
        schema = Schema(source=item.name, kind=kind) if item.kind_changed else None
        report = ingester.ingest(
            [target],
            kind=kind,
            roles=dict(item.changes),  # type: ignore[arg-type]
            schema=schema,
            progress=remap,
        )
        reports.append(report)
        rows.append([item.key, item.kind or "", _result(report, item)])
    for item in pending.files:
        if item not in ready:
            rows.append([item.key, "", f"failed: {item.error or 'the staged file is gone: upload it again'}"])
    rows += [[name, "", why] for name, why in pending.refused]
    return reports, rows


def _result(report: IngestReport, item: PendingFile) -> str:
    if report.failures:
        return f"failed: {report.failures[0].reason}"
    read = report.read[0] if report.read else None
    parts = ["ingested"]
    if read is not None:
        parts.append(_count(read.records, "customer record"))
        if read.company_records:
            parts.append(_count(read.company_records, "company record") + " (context only)")
    if report.tables:
        parts.append("kept as a table")
    if report.duplicates_skipped:
        parts.append(f"{report.duplicates_skipped:,} already stored")  # re-ingest adds nothing
    corrections = []
    if item.kind_changed:
        corrections.append(f"kind {item.kind}")
    corrections += [f"{c} = {r}" for c, r in item.changes.items()]
    text = parts[0] + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")
    return text + (f" · saved for re-ingest: {'; '.join(corrections)}" if corrections else "")


def role_choices() -> list[str]:
    """The roles a column can take."""
    return list(COLUMN_ROLES)


def kind_choices() -> list[str]:
    """The kinds a file can be read as."""
    return list(EVIDENCE_KINDS)


__all__ = [
    "COLUMN_HEADERS",
    "FILE_HEADERS",
    "RESULT_HEADERS",
    "ColumnRole",
    "Pending",
    "PendingFile",
    "apply_edits",
    "carry_over",
    "column_rows",
    "file_note",
    "file_rows",
    "ingest_pending",
    "kind_choices",
    "prepare",
    "recheck",
    "role_choices",
    "role_lines",
    "select",
    "set_role",
]
