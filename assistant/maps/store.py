"""The map store: SQLite under the data home; every save is a new version of its map."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.errors import JourneyError
from assistant.maps.models import JourneyMap

SCHEMA = """
CREATE TABLE IF NOT EXISTS map_versions (
    map_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    workspace TEXT NOT NULL,
    engine TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,          -- the JourneyMap as JSON
    review TEXT,                 -- the Review of this version as JSON, when reviewed
    PRIMARY KEY (map_id, version)
);
"""


class MapNotFound(JourneyError):
    """No map (or version) with that id."""


@dataclass
class MapVersionInfo:
    """One row of `journey maps`."""

    map_id: str
    version: int
    title: str
    workspace: str
    engine: str
    created_at: datetime
    name: str = ""  # the name the user gave the version


def map_id_for(title: str) -> str:
    """Return the id maps of this title share: a slug, so drafting the same title adds a version."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:80] or "map"


class MapStore:
    """Versions of journey maps in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None + explicit BEGIN IMMEDIATE: a save is one atomic transaction.
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def save(self, journey_map: JourneyMap, workspace: str, review_json: str | None = None) -> JourneyMap:
        """Store the map as the next version of its id; return it with id and version set."""
        map_id = journey_map.id or map_id_for(journey_map.title)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM map_versions WHERE map_id = ?", (map_id,)
            ).fetchone()
            saved = journey_map.model_copy(update={"id": map_id, "version": int(row[0]) + 1})
            self._db.execute(
                "INSERT INTO map_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    map_id,
                    saved.version,
                    saved.title,
                    workspace,
                    saved.engine,
                    saved.created_at.isoformat(),
                    saved.model_dump_json(),
                    review_json,
                ),
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return saved

    def same_as_latest(self, journey_map: JourneyMap) -> JourneyMap | None:
        """The latest stored version when it says exactly what this map says (then saving adds nothing)."""
        map_id = journey_map.id or map_id_for(journey_map.title)
        try:
            latest = self.load(map_id)
        except MapNotFound:
            return None
        return latest if latest.content() == journey_map.content() else None

    def load(self, map_id: str, version: int | None = None) -> JourneyMap:
        """Return a version of a map (the latest when no version is given)."""
        if version is None:
            row = self._db.execute(
                "SELECT body FROM map_versions WHERE map_id = ? ORDER BY version DESC LIMIT 1", (map_id,)
            ).fetchone()
        else:
            row = self._db.execute(
                "SELECT body FROM map_versions WHERE map_id = ? AND version = ?", (map_id, version)
            ).fetchone()
        if row is None:
            known = ", ".join(i.map_id for i in self.list()) or "none yet"
            raise MapNotFound(f"no map {map_id!r}{f' version {version}' if version else ''} (maps: {known})")
        return JourneyMap.model_validate_json(row[0])

    def load_review(self, map_id: str, version: int) -> str | None:
        """Return the review JSON stored with a map version (None when it was saved unreviewed)."""
        row = self._db.execute(
            "SELECT review FROM map_versions WHERE map_id = ? AND version = ?", (map_id, version)
        ).fetchone()
        return None if row is None else row[0]

    def list(self, workspace: str | None = None) -> list[MapVersionInfo]:
        """Return every stored version, newest map first, versions ascending."""
        query = (
            "SELECT map_id, version, title, workspace, engine, created_at,"
            " COALESCE(json_extract(body, '$.version_name'), '') FROM map_versions"
        )
        args: tuple[str, ...] = ()
        if workspace is not None:
            query += " WHERE workspace = ?"
            args = (workspace,)
        rows = self._db.execute(query + " ORDER BY map_id, version", args).fetchall()
        return [
            MapVersionInfo(r[0], int(r[1]), r[2], r[3], r[4], datetime.fromisoformat(r[5]), r[6])
            for r in rows
        ]
