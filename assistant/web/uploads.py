"""Uploaded files into a workspace: names sanitised, sizes checked, each file's outcome reported."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from assistant.context import Journey
from assistant.ingest.pipeline import IngestReport, ProgressFn

SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(name: str) -> str:
    """A file name without directories, traversal or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = SAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:120] or "upload"


def stage_and_ingest(
    journey: Journey, workspace: str, files: list[Path], progress: ProgressFn | None = None
) -> tuple[IngestReport | None, list[tuple[str, str]]]:
    """Copy uploads into the workspace's upload folder and ingest them; (report, [(file, outcome)])."""
    folder = journey.settings.workspace_dir(workspace) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    limit = journey.settings.max_file_bytes
    outcomes: list[tuple[str, str]] = []
    staged: list[Path] = []
    for source in files:
        name = safe_name(source.name)
        size = source.stat().st_size
        if size > limit:
            outcomes.append((name, f"refused: {size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB limit"))
            continue
        target = folder / name
        shutil.copyfile(source, target)
        staged.append(target)
    if not staged:
        return None, outcomes
    report = journey.ingester(workspace).ingest(staged, progress=progress)
    failed = {Path(f.file).name: f.reason for f in report.failures}
    for path in staged:
        reason = failed.get(path.name)
        outcomes.append((path.name, f"failed: {reason}" if reason else "ingested"))
    return report, outcomes
