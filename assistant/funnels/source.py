"""Open a table file in DuckDB as the view `src`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from assistant.errors import QueryError


def quote(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Table:
    """A table file opened in DuckDB as the view `src`."""

    path: Path
    con: duckdb.DuckDBPyConnection
    columns: list[str]
    types: dict[str, str]

    def find(self, name: str) -> str | None:
        """The column of this name, matched case-insensitively."""
        if name in self.types:
            return name
        lower = {c.lower(): c for c in self.columns}
        return lower.get(name.lower())

    def numeric(self, column: str) -> bool:
        """Whether a column holds numbers."""
        kind = self.types[column].upper()
        return any(t in kind for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL", "NUMERIC"))

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def open_table(path: Path) -> Table:
    """Open a CSV, TSV, Parquet or JSON-lines file as the view `src`."""
    if not path.is_file():
        raise QueryError(f"{path}: no such file")
    # DuckDB draws a progress bar on stdout for long queries; it would corrupt `--json` output.
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    name = str(path).replace("'", "''")
    suffix = path.suffix.lower()
    reader = {
        ".parquet": f"read_parquet('{name}')",
        ".jsonl": f"read_json_auto('{name}')",
        ".json": f"read_json_auto('{name}')",
    }.get(suffix, f"read_csv('{name}', auto_detect=true, sample_size=20000)")
    try:
        con.execute(f"CREATE VIEW src AS SELECT * FROM {reader}")
        described = con.execute("DESCRIBE src").fetchall()
    except duckdb.Error as exc:
        con.close()
        raise QueryError(f"{path.name}: cannot read it as a table ({str(exc).splitlines()[0]})") from None
    return Table(path, con, [row[0] for row in described], {row[0]: str(row[1]) for row in described})


def parsed_date(column: str) -> str:
    """SQL for a cell as a date, NULL when it is none.

    Through text: DuckDB pushes a cast of a BIGINT year ("2020") into the CSV reader, which then fails.
    """
    return f"TRY_CAST(CAST({quote(column)} AS VARCHAR) AS DATE)"


def parsed_number(column: str) -> str:
    """SQL for a cell as a number (`3.2%`, `1,204` read as 3.2 and 1204), NULL when it is none."""
    text = f"replace(replace(trim(CAST({quote(column)} AS VARCHAR)), '%', ''), ',', '')"
    return f"TRY_CAST({text} AS DOUBLE)"
