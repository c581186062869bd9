"""kill -9 during an ingest and during map saves: after restart nothing is partial, duplicated or lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder
from assistant.maps.store import MapStore
from assistant.settings import load_settings

pytestmark = pytest.mark.slow
WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[1]


def start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def wait_for(process: subprocess.Popen[str], needed: int, timeout: float = 240) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while len(lines) < needed and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
    return lines


def test_kill_during_ingest_leaves_no_partial_file_and_the_rerun_completes(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for number in range(40):  # many files with many rows: the kill lands inside one of them
        rows = "".join(
            f"{i},Order {number}-{i}: the parcel was late and the refund slow.\n" for i in range(60)
        )
        (folder / f"tickets_{number:02d}.csv").write_text("id,text\n" + rows, encoding="utf-8")
    home = tmp_path / "home"
    worker = start("ingest", str(home), str(folder))
    done = wait_for(worker, 3)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert len(done) == 3 and all(line.startswith("done") for line in done), done

    journey = Journey.open(load_settings(JOURNEY_HOME=str(home)), embedder=embedder)
    report = journey.ingester().ingest([folder])
    assert report.ok
    sources = Counter(meta.get("source") for _, _, meta in journey.store.iter_all("default"))
    assert len(sources) == 40 and set(sources.values()) == {60}  # every file whole, none partial
    ids = [rid for rid, _, _ in journey.store.iter_all("default")]
    assert len(ids) == len(set(ids)) == 2400
    again = journey.ingester().ingest([folder])
    assert again.chunks_added == 0  # and nothing is added twice


def test_kill_during_map_saves_loses_no_committed_version(tmp_path: Path) -> None:
    worker = start("maps", str(tmp_path))
    committed = wait_for(worker, 200, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert len(committed) == 200
    database = tmp_path / "maps.sqlite"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    versions = [info.version for info in MapStore(database).list() if info.map_id == "crash"]
    last = int(committed[-1].split()[1])
    assert versions == list(range(1, len(versions) + 1))  # contiguous
    assert len(versions) >= last  # every version the worker reported is there
    assert MapStore(database).save(MapStore(database).load("crash"), "default").version == len(versions) + 1
