"""The ingest journal: which files went in, so a crash mid-file is rolled back on the next run.

Chroma has no transactions across batches, so atomicity per file is ours: the ids a file is
about to add are written here as `pending` first and marked `done` after the last batch lands.
A `pending` entry found later means the process died mid-file; its ids are deleted.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS ingests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    content_sha TEXT NOT NULL,
    status TEXT NOT NULL,            -- pending | done | rolled_back
    new_ids TEXT NOT NULL,           -- JSON list of ids this attempt adds
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS tables (
    content_sha TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    columns TEXT NOT NULL,
    rows INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IngestJournal:
    """A small SQLite file per workspace recording ingests and registered tables."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def begin(self, source: str, content_sha: str, new_ids: list[str]) -> int:
        """Record that a file is about to add these ids; return the entry's id."""
        cur = self._db.execute(
            "INSERT INTO ingests (source, content_sha, status, new_ids, started_at)"
            " VALUES (?, ?, 'pending', ?, ?)",
            (source, content_sha, json.dumps(new_ids), _now()),
        )
        return int(cur.lastrowid or 0)

    def finish(self, entry: int, status: str = "done") -> None:
        """Mark an entry done (or rolled back)."""
        self._db.execute(
            "UPDATE ingests SET status = ?, finished_at = ? WHERE id = ?", (status, _now(), entry)
        )

    def pending(self) -> list[tuple[int, str, list[str]]]:
        """Return the entries a crashed run left pending: (entry, source, ids)."""
        rows = self._db.execute("SELECT id, source, new_ids FROM ingests WHERE status = 'pending'")
        return [(int(r[0]), str(r[1]), json.loads(r[2])) for r in rows.fetchall()]

    def register_table(
        self, content_sha: str, source: str, path: Path, columns: list[str], rows: int
    ) -> bool:
        """Record an analytics table; return False when the same content was registered before."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO tables (content_sha, source, path, columns, rows, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (content_sha, source, str(path), json.dumps(columns), rows, _now()),
        )
        return cur.rowcount > 0

    def tables(self) -> list[dict[str, object]]:
        """Return the registered tables."""
        rows = self._db.execute("SELECT source, path, columns, rows, added_at FROM tables ORDER BY added_at")
        return [
            {"source": r[0], "path": r[1], "columns": json.loads(r[2]), "rows": r[3], "added_at": r[4]}
            for r in rows.fetchall()
        ]
