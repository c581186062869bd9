"""How a file will be read, before anything is stored: `journey inspect` and the app's upload preview."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from assistant.errors import IngestError
from assistant.ingest.loaders import pick_loader
from assistant.models import EvidenceKind
from assistant.profiling.models import ROLE_MEANING, Schema, TableProfile
from assistant.profiling.schemas import SchemaStore
from assistant.profiling.stats import TEXT_ROLES

REPEATED_TEXT = 5  # a text written this many times in one column is pointed out


class FilePreview(BaseModel):
    """A file as the product will read it: kind, column roles, what becomes evidence and what a table."""

    file: str
    kind: EvidenceKind
    kind_reason: str
    records: int = Field(description="Customer evidence records it will give.")
    company_records: int = Field(
        default=0, description="Company-written records: context, never customer voice."
    )
    duplicate_rows: int = 0
    figures: list[str] = Field(
        default_factory=list, description="Closed columns that become computed figures."
    )
    table: TableProfile | None = Field(default=None, description="The table profile, for tables.")
    sample: list[str] = Field(default_factory=list, description="The first few evidence texts.")

    def lines(self) -> list[str]:
        """The preview as lines of text."""
        out = [f"{self.file}: read as {self.kind} ({self.kind_reason})"]
        if self.table is not None:
            t = self.table
            out.append(
                f"  {t.rows:,} rows ({t.duplicate_rows:,} exact duplicates read once) · shape: {t.shape}"
            )
            if t.headerless:
                out.append(
                    "  the first line is a data row (its answers recur in their columns): the file has no"
                    " header line, so columns are named by position ('column 1', 'column 2', …);"
                    " correct a role with --role 'column 3=segment'"
                )
            if t.short_rows:
                out.append(
                    f"  {t.short_rows:,} rows have fewer cells than the header (the writer left off trailing"
                    " blanks): their last columns are read as blank"
                )
            if t.header_lines:
                out.append(
                    f"  {t.header_lines} line(s) below the header read as header"
                    " (question wording, import ids), not as respondents"
                )
            if t.totals_row is not None:
                out.append(
                    f"  data row {t.totals_row} holds the other rows' totals: read as the table's total,"
                    " kept out of the rows and figures"
                )
            width = max((len(c.name) for c in t.columns), default=10)
            width = min(width, 48)
            for col in t.columns:
                mark = " (set by you)" if col.overridden else ""
                if col.missing_codes:
                    mark += f" ({', '.join(col.missing_codes)} read as no answer)"
                if col.off_scale:
                    mark += f" ({', '.join(map(repr, col.off_scale))} counted, not averaged)"
                examples = ", ".join(repr(_fit(e, 30)) for e in col.examples[:3])
                out.append(f"  {_fit(col.name, width):<{width}}  {col.role:<13} {col.reason}{mark}")
                if examples:
                    out.append(f"  {'':<{width}}  {'':<13} e.g. {examples}")
                repeats = col.stats.top if col.role in TEXT_ROLES and col.stats else []
                if repeats and repeats[0][1] >= REPEATED_TEXT:
                    text, times = repeats[0]
                    out.append(
                        f"  {'':<{width}}  {'':<13} the same text {times:,} times: "
                        f"{_fit(text, 60)!r} (rows with different ids are all kept)"
                    )
        out.append(
            f"  becomes evidence: {self.records:,} customer records"
            + (f", {self.company_records:,} company records (context only)" if self.company_records else "")
        )
        if self.figures:
            out.append(f"  becomes computed figures: {', '.join(self.figures)}")
        if self.table is not None and self.table.keeps_table:
            out.append("  kept as a table for funnels, distributions and segments")
        return out


def preview_file(
    path: Path, schema: Schema | None = None, kind: EvidenceKind | None = None, data: bytes | None = None
) -> FilePreview:
    """Read a file (or `data` under its name: a workbook's sheet) the way ingest would, storing nothing."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise IngestError(path.name, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise IngestError(path.name, "empty file")
    loaded = pick_loader(path, data)(data, path.name, kind, None, schema=schema)
    first = [r for r in loaded.records if (r.locator.chunk or 1) == 1]
    return FilePreview(
        file=path.name,
        kind=loaded.kind,
        kind_reason=loaded.kind_reason,
        records=sum(r.voice == "customer" for r in first),
        company_records=sum(r.voice == "company" for r in first),
        duplicate_rows=loaded.duplicate_rows,
        figures=[d.column for d in loaded.distributions],
        table=loaded.profile,
        sample=[r.text[:160] for r in first if r.voice == "customer"][:3],
    )


def saved_schema(folder: Path, source: str) -> Schema | None:
    """The schema kept for a file name in a workspace folder, if any."""
    return SchemaStore(folder).get(source)


def role_help() -> list[str]:
    """One line per role: what it means."""
    return [f"{role}: {meaning}" for role, meaning in ROLE_MEANING.items()]


def _fit(name: str, width: int) -> str:
    """A header or value cut to the width, keeping both ends.

    Option columns ("Question: 1.21") and answers that differ near their end would otherwise look alike.
    """
    return name if len(name) <= width else name[: width // 2 - 1] + "…" + name[-(width - width // 2) :]
