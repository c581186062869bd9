"""Expand the paths given to ingest into files, honouring `.journeyignore` files."""

from __future__ import annotations

import fnmatch
from pathlib import Path

IGNORE_FILE = ".journeyignore"


def _patterns(folder: Path) -> list[str]:
    ignore = folder / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(relative: str, is_dir: bool, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.endswith("/"):
            if is_dir and fnmatch.fnmatch(relative, pattern.rstrip("/").lstrip("/")):
                return True
            continue
        target = pattern.lstrip("/")
        if fnmatch.fnmatch(relative, target) or (
            "/" not in target and fnmatch.fnmatch(relative.rsplit("/", 1)[-1], target)
        ):
            return True
    return False


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Return (files to ingest, paths that do not exist); folders are walked in sorted order.

    Hidden files and folders are skipped, and so is whatever a `.journeyignore` in a walked
    folder lists (gitignore-style: `README.md`, `maps/`, `*.bak`).
    """
    files: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(_walk(path, path, []))
        else:
            missing.append(path)
    return files, missing


def _walk(root: Path, folder: Path, inherited: list[tuple[Path, list[str]]]) -> list[Path]:
    rules = [*inherited, (folder, _patterns(folder))]
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        is_dir = entry.is_dir()
        if any(_ignored(entry.relative_to(base).as_posix(), is_dir, pats) for base, pats in rules if pats):
            continue
        if is_dir:
            found.extend(_walk(root, entry, rules))
        elif entry.is_file():
            found.append(entry)
    return found
