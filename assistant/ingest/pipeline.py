"""Ingest files into a workspace: load, redact, id, dedupe, embed and store, atomically per file."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from assistant.embeddings import Embedder
from assistant.errors import IngestError, JourneyError
from assistant.ingest.journal import IngestJournal
from assistant.ingest.loaders import pick_loader
from assistant.ingest.pii import PII_KINDS, redact_pii
from assistant.ingest.records import Loaded
from assistant.ingest.walk import expand_paths
from assistant.ingest.workbooks import table_parts
from assistant.models import AttributeValue, Evidence, EvidenceKind, Locator
from assistant.profiling.models import ColumnRole, Schema
from assistant.profiling.saved import save_profile
from assistant.profiling.schemas import SchemaStore
from assistant.store import EvidenceStore

# Records embedded (and then stored) at a time. The ONNX backend sorts a call's texts by length
# before cutting them into its small batches, so a larger call pads less: on review sentences
# 11% of the tokens were padding in calls of 256, 2.6% in calls of 1,000.
EMBED_BATCH = 1024


class FileFailure(BaseModel):
    """A file that was not ingested, and why."""

    file: str
    reason: str


class TableInfo(BaseModel):
    """A table kept for computed figures (funnels, distributions, segments) beside any text records."""

    file: str
    rows: int
    columns: list[str]
    shape: str = "table"
    figures: int = Field(default=0, description="Computed-figure records (one per closed question).")
    new: bool = Field(description="False when the same content was registered before.")


class FileRead(BaseModel):
    """How one file was read: its kind and why, its records, its duplicates."""

    file: str
    kind: str
    kind_reason: str = ""
    records: int = 0
    company_records: int = Field(default=0, description="Agent replies and other company text: context only.")
    duplicate_rows: int = Field(default=0, description="Exact duplicate rows, read once.")


class IngestReport(BaseModel):
    """What an ingest did; the JSON of `journey ingest --json`."""

    workspace: str
    files: int = 0
    files_ingested: int = 0
    records: int = 0
    chunks_added: int = 0
    duplicates_skipped: int = 0
    empty_rows_skipped: int = 0
    pii_redacted: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(PII_KINDS, 0))
    tables: list[TableInfo] = Field(default_factory=list)
    read: list[FileRead] = Field(default_factory=list, description="Per file: the kind chosen and why.")
    duplicate_rows: int = Field(default=0, description="Exact duplicate table rows, read once.")
    failures: list[FileFailure] = Field(default_factory=list)
    rolled_back: int = Field(default=0, description="Records of crashed earlier runs removed.")
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every file went in."""
        return not self.failures


@dataclass
class Progress:
    """A progress tick: which file, which phase, how far."""

    file: str
    file_index: int
    files: int
    phase: str  # reading | embedding | storing | done | failed
    done: int = 0
    total: int = 0


ProgressFn = Callable[[Progress], None]


class Ingester:
    """Ingests files into one workspace of an evidence store."""

    def __init__(self, store: EvidenceStore, workspace: str) -> None:
        self.store = store
        self.workspace = workspace
        self.folder = store.settings.workspace_dir(workspace)
        self.journal = IngestJournal(self.folder / "ingest.sqlite")
        self.schemas = SchemaStore(self.folder)

    def recover(self) -> int:
        """Roll back files a crashed run left half-stored; return how many records were removed."""
        removed = 0
        for entry, _source, ids in self.journal.pending():
            present = self.store.existing_ids(self.workspace, ids)
            if present:
                self.store.delete(self.workspace, list(present))
            removed += len(present)
            self.journal.finish(entry, "rolled_back")
        return removed

    def ingest(
        self,
        paths: list[Path],
        kind: EvidenceKind | None = None,
        text_column: str | None = None,
        progress: ProgressFn | None = None,
        roles: dict[str, ColumnRole] | None = None,
        schema: Schema | None = None,
    ) -> IngestReport:
        """Ingest files and folders; failures are reported per file and never stop the others.

        `roles` (column -> role) and `schema` (a schema file's content) correct the profiler; they
        are saved with the workspace, so the next ingest of the same file name reads it the same way.
        """
        started = time.perf_counter()
        report = IngestReport(workspace=self.workspace)
        report.rolled_back = self.recover()
        files, missing = expand_paths(paths)
        report.failures.extend(FileFailure(file=str(p), reason="no such file or folder") for p in missing)
        report.files = len(files) + len(missing)
        tick = progress or (lambda _p: None)
        for index, path in enumerate(files, start=1):
            try:
                for part, data in table_parts(path, partial(self._read, path)):
                    saved = self._schema_for(part.name, roles or {}, schema)
                    self._ingest_file(part, index, len(files), kind, text_column, report, tick, saved, data)
                report.files_ingested += 1
                tick(Progress(path.name, index, len(files), "done"))
            except JourneyError as exc:
                reason = exc.reason if isinstance(exc, IngestError) else str(exc)
                report.failures.append(FileFailure(file=str(path), reason=reason))
                tick(Progress(path.name, index, len(files), "failed"))
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _schema_for(self, source: str, roles: dict[str, ColumnRole], given: Schema | None) -> Schema | None:
        if given is not None and given.source in (source, "*", ""):
            roles = {**given.roles, **roles}
            return self.schemas.merge(source, roles, given.kind)
        return self.schemas.merge(source, roles, None)

    def _read(self, path: Path) -> bytes:
        limit = self.store.settings.max_file_bytes
        try:
            size = path.stat().st_size
            if size > limit:
                raise IngestError(
                    path.name,
                    f"too large: {size / 1e6:.1f} MB over the {limit / 1e6:.0f} MB limit "
                    "(raise JOURNEY_MAX_FILE_MB or split the file)",
                )
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(path.name, f"cannot read: {exc.strerror or exc}") from exc
        if not data.strip():
            raise IngestError(path.name, "empty file")
        return data

    def _ingest_file(
        self,
        path: Path,
        index: int,
        files: int,
        kind: EvidenceKind | None,
        text_column: str | None,
        report: IngestReport,
        tick: ProgressFn,
        schema: Schema | None = None,
        data: bytes | None = None,
    ) -> None:
        tick(Progress(path.name, index, files, "reading"))
        data = self._read(path) if data is None else data
        sha = hashlib.sha256(data).hexdigest()
        try:
            loaded = pick_loader(path, data)(data, path.name, kind, text_column, schema=schema)
        except IngestError:
            raise
        except RecursionError as exc:
            raise IngestError(path.name, "structure nested too deeply to read") from exc
        except Exception as exc:  # a loader bug must fail one file, not the run
            raise IngestError(path.name, f"could not be read ({type(exc).__name__}: {exc})") from exc
        if not loaded.records and loaded.table is None:
            raise IngestError(path.name, "no text found (every row or paragraph is empty)")
        records, pii = self._to_evidence(path.name, loaded)
        firsts = [r for r in loaded.records if (r.locator.chunk or 1) == 1]
        read = FileRead(
            file=path.name,
            kind=loaded.kind,
            kind_reason=loaded.kind_reason,
            records=sum(1 for r in firsts if r.voice == "customer"),
            company_records=sum(1 for r in firsts if r.voice == "company"),
            duplicate_rows=loaded.duplicate_rows,
        )
        new_records, duplicates = self._new_only(records)
        if new_records:
            self._store(path.name, sha, new_records, index, files, tick)
        if loaded.table is not None:
            self._register_table(path, data, sha, loaded, report)
        report.read.append(read)
        report.duplicate_rows += loaded.duplicate_rows
        # Counters move only once the file is safely in.
        report.records += sum(1 for r in loaded.records if (r.locator.chunk or 1) == 1)
        report.empty_rows_skipped += loaded.skipped_empty
        report.chunks_added += len(new_records)
        report.duplicates_skipped += duplicates
        for key, count in pii.items():
            report.pii_redacted[key] = report.pii_redacted.get(key, 0) + count

    def _to_evidence(self, source: str, loaded: Loaded) -> tuple[list[Evidence], dict[str, int]]:
        pii: dict[str, int] = {}
        records: list[Evidence] = []
        for raw in loaded.records:
            cleaned = redact_pii(raw.text, speakers=loaded.speakers)
            for key, count in cleaned.counts.items():
                pii[key] = pii.get(key, 0) + count
            attributes: dict[str, AttributeValue] = {}
            for name, value in raw.attributes.items():
                if isinstance(value, str):
                    redacted = redact_pii(value, speakers=loaded.speakers)
                    for key, count in redacted.counts.items():
                        pii[key] = pii.get(key, 0) + count
                    value = redacted.text
                attributes[name] = value
            records.append(
                Evidence(
                    id=Evidence.make_id(source, raw.locator, cleaned.text),
                    source=source,
                    kind=loaded.kind,
                    text=cleaned.text,
                    locator=raw.locator,
                    created_at=raw.created_at,
                    attributes=attributes,
                    voice=raw.voice,
                    question=raw.question,
                )
            )
        return records, pii

    def _new_only(self, records: list[Evidence]) -> tuple[list[Evidence], int]:
        unique: dict[str, Evidence] = {}
        for record in records:
            unique.setdefault(record.id, record)
        existing = self.store.existing_ids(self.workspace, list(unique))
        fresh = [r for rid, r in unique.items() if rid not in existing]
        return fresh, len(records) - len(fresh)

    def _store(
        self, source: str, sha: str, records: list[Evidence], index: int, files: int, tick: ProgressFn
    ) -> None:
        """Embed and store a file's records; a failure anywhere removes every one of them.

        Storing a batch (Chroma's index insert, about half a millisecond a record) runs on a
        worker thread while the next batch is embedded. The journal entry is written before the
        first add, so a crash mid-file is rolled back on the next run as before. A text that occurs
        more than once in the file (the same short answer on many rows) is embedded once.
        """
        entry = self.journal.begin(source, sha, [r.id for r in records])
        pending: list[Future[None]] = []
        try:
            with ThreadPoolExecutor(max_workers=1) as storer:
                repeats = DistinctTexts(self.store.embedder, [r.text for r in records])
                for start in range(0, len(records), EMBED_BATCH):
                    batch = records[start : start + EMBED_BATCH]
                    vectors = repeats.embed([r.text for r in batch])
                    tick(Progress(source, index, files, "embedding", start + len(batch), len(records)))
                    if pending and pending[-1].done():
                        pending[-1].result()  # surface a failed add before embedding more
                    pending.append(storer.submit(self.store.add, self.workspace, batch, vectors))
                tick(Progress(source, index, files, "storing", 0, len(records)))
                for future in pending:
                    future.result()
        except Exception as exc:
            self.store.delete(self.workspace, [r.id for r in records])
            self.journal.finish(entry, "rolled_back")
            raise IngestError(source, f"storing failed and was rolled back: {exc}") from exc
        self.journal.finish(entry)

    def _register_table(
        self, path: Path, data: bytes, sha: str, loaded: Loaded, report: IngestReport
    ) -> None:
        assert loaded.table is not None
        tables = self.folder / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        target = tables / f"{sha[:12]}-{path.name}"
        if not target.exists():
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(target)  # atomic: a crash never leaves half a table
        profile = loaded.table.profile
        if profile is not None:
            # Rewritten on every ingest: a corrected role must change how the kept table is read.
            save_profile(target, profile)
        new = self.journal.register_table(sha, path.name, target, loaded.table.columns, loaded.table.rows)
        report.tables.append(
            TableInfo(
                file=path.name,
                rows=loaded.table.rows,
                columns=loaded.table.columns,
                shape=profile.shape if profile else "table",
                figures=len(loaded.distributions),
                new=new,
            )
        )
        figures = [
            Evidence(
                id=Evidence.make_id(path.name, Locator(column=d.column), text),
                source=path.name,
                kind="analytics",
                text=text,
                locator=Locator(column=d.column),
                attributes={"table": path.name, "column": d.column, "figure": d.role},
                voice="computed",
                question=d.column,
            )
            for d in loaded.distributions
            if (text := redact_pii(d.render()).text)
        ]
        if loaded.records and not figures:
            return
        if not figures:
            # One record summarises an analytics table, so figures drawn from it have a record to cite.
            text = table_summary(path.name, target, loaded.table.columns, loaded.table.rows)
            figures = [
                Evidence(
                    id=Evidence.make_id(path.name, Locator(), text),
                    source=path.name,
                    kind="analytics",
                    text=text,
                    attributes={"table": path.name},
                    voice="computed",
                )
            ]
        fresh, duplicates = self._new_only(figures)
        if fresh:
            self._store(path.name, sha, fresh, 1, 1, lambda _p: None)
        report.chunks_added += len(fresh)
        report.duplicates_skipped += duplicates


class DistinctTexts:
    """Embeds each distinct text of a file once, batch by batch, in the order the batches come.

    The file's texts are counted up front, so the vector of a text that recurs in a later batch is
    kept until its last use and no longer: memory stays that of a batch plus the repeated texts.
    """

    def __init__(self, embedder: Embedder, texts: list[str]) -> None:
        self.embedder = embedder
        self.left = Counter(texts)
        self.kept: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of the texts, in their order; each distinct text embedded once per file."""
        todo = [t for t in dict.fromkeys(texts) if t not in self.kept]
        fresh = self.embedder.embed_documents(todo) if todo else np.zeros((0, 0), dtype=np.float32)
        if len(todo) == len(texts):  # no text repeats within the batch or from earlier ones
            vectors = fresh
        else:
            found = dict(zip(todo, fresh, strict=True))
            vectors = np.stack([found[t] if t in found else self.kept[t] for t in texts])
        self.left.subtract(texts)
        for text, vector in zip(todo, fresh, strict=True):
            if self.left[text] > 0:
                self.kept[text] = vector.copy()  # a copy: the batch's array need not live on
        for text in [t for t in self.kept if self.left[t] <= 0]:
            del self.kept[text]
        return vectors


def table_summary(name: str, path: Path, columns: list[str], rows: int) -> str:
    """Describe an analytics table in one record: its shape, and its funnel as the funnel engine reads it.

    The figures are the engine's own (the same FunnelResult `ask`, drafting and the review use,
    read through the table's saved profile); the record exists so that they have a place to cite.
    """
    text = f"Analytics table {name}: {rows:,} rows; columns: {', '.join(columns)}."
    try:
        from assistant.funnels.steps import step_table
        from assistant.funnels.workspace import funnel_line, step_lines, table_funnel, warning_line

        found = table_funnel(path, step_table())
    except Exception:  # a table DuckDB cannot read is still registered; it just gets no funnel
        found = None
    if found is not None and found.result is not None:
        result = found.result
        text += "\n" + funnel_line(result)
        text += "".join("\n" + line for line in step_lines(result))
        text += "".join("\n" + warning_line(w) for w in result.warnings)
    elif found is not None and found.problem:
        text += f"\nNo funnel: {found.problem}"
    return text
