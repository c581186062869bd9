"""Uploaded files into a workspace, safely, with each file's outcome reported.

Names are sanitised and sizes capped. An upload's name and extension are the browser's word, not
the truth: a `.csv` that is really a PNG or a program is refused by its first bytes. Zip archives
are unpacked member by member into the upload folder (no absolute or `..` paths, no links, no
nested archives, caps on member count, total size and compression ratio, so a zip bomb stops
early). Other archive formats are refused.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from pathlib import Path

from assistant.context import Journey
from assistant.errors import JourneyError
from assistant.ingest.pipeline import IngestReport, ProgressFn
from assistant.ingest.workbooks import WORKBOOK_SUFFIXES, is_workbook, workbook_sheets

SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
ACCEPTED = {".txt", ".md", ".csv", ".tsv", ".json", ".jsonl", ".pdf", ".docx", *WORKBOOK_SUFFIXES}
MAX_MEMBERS = 500
MAX_RATIO = 100  # uncompressed / compressed, per member
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
# First bytes of formats that are never evidence, with a readable name.
REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a Linux program"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
)


def safe_name(name: str) -> str:
    """A file name without directories, traversal or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = SAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:120] or "upload"


def sniff(path: Path) -> str | None:
    """Why the file's content cannot be evidence, or None when it can go to the loaders."""
    head = path.read_bytes()[:4096] if path.stat().st_size else b""
    for magic, what in REFUSED_MAGIC:
        if head.startswith(magic):
            return f"its content is {what}, not a document"
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return (
            None if suffix == ".pdf" else f"its content is a PDF but its name ends in {suffix or 'nothing'}"
        )
    if head.startswith(b"PK\x03\x04"):
        return (
            None
            if suffix in (".docx", ".zip", *WORKBOOK_SUFFIXES)
            else f"its content is a zip archive but its name ends in {suffix}"
        )
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "its content is a tar archive: only .zip archives are unpacked"
    if suffix not in ACCEPTED:
        return f"{suffix or 'no extension'} is not a format we read ({', '.join(sorted(ACCEPTED))}, .zip)"
    return None


def unpack_zip(archive: Path, folder: Path, limit: int) -> tuple[list[Path], list[tuple[str, str]]]:
    """Extract a zip's documents safely; (files, [(member, why skipped)])."""
    staged: list[Path] = []
    skipped: list[tuple[str, str]] = []
    try:
        bundle = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        return [], [(archive.name, f"refused: not a readable zip ({exc})")]
    with bundle:
        members = [m for m in bundle.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            return [], [(archive.name, f"refused: {len(members)} files, over the limit of {MAX_MEMBERS}")]
        total = 0
        target = folder / safe_name(archive.stem)
        for member in members:
            name = member.filename
            mode = member.external_attr >> 16
            if name.startswith(("/", "\\")) or ".." in Path(name.replace("\\", "/")).parts:
                skipped.append((name, "refused: its path leaves the archive"))
                continue
            if stat.S_ISLNK(mode):
                skipped.append((name, "refused: a link"))
                continue
            if Path(name).suffix.lower() in (".zip", ".tar", ".gz", ".7z", ".rar"):
                skipped.append((name, "refused: archives inside archives are not unpacked"))
                continue
            if member.file_size > limit:
                skipped.append((name, f"refused: {member.file_size / 1e6:.1f} MB is over the file limit"))
                continue
            if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                skipped.append(
                    (name, f"refused: compressed {member.file_size // member.compress_size}:1, a zip bomb?")
                )
                continue
            total += member.file_size
            if total > MAX_ARCHIVE_BYTES:
                skipped.append((name, "refused: the archive unpacks to more than 500 MB"))
                break
            destination = target / "_".join(safe_name(part) for part in Path(name.replace("\\", "/")).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, destination.open("wb") as sink:
                # Read at most the declared size plus one byte: a lying header cannot grow the file.
                data = source.read(member.file_size + 1)
                if len(data) > member.file_size:
                    skipped.append((name, "refused: larger than its header says"))
                    continue
                sink.write(data)
            staged.append(destination)
    return staged, skipped


def stage(files: list[Path], folder: Path, limit: int) -> tuple[list[Path], list[tuple[str, str]]]:
    """Check and copy (or unpack) uploads into `folder`; (staged files, [(file, why refused)])."""
    folder.mkdir(parents=True, exist_ok=True)
    outcomes: list[tuple[str, str]] = []
    staged: list[Path] = []
    for source in files:
        name = safe_name(source.name)
        size = source.stat().st_size
        if size > limit:
            outcomes.append((name, f"refused: {size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB limit"))
            continue
        problem = sniff(source)
        if problem is not None:
            outcomes.append((name, f"refused: {problem}"))
            continue
        target = folder / name
        shutil.copyfile(source, target)
        if target.suffix.lower() == ".zip":
            unpacked, skipped = unpack_zip(target, folder, limit)
            target.unlink()
            outcomes += skipped
            for member in unpacked:
                problem = sniff(member)
                if problem is not None:
                    outcomes.append((member.name, f"refused: {problem}"))
                    member.unlink()
                else:
                    staged.extend(_sheets(member, outcomes))
            continue
        staged.extend(_sheets(target, outcomes))
    return staged, outcomes


def _sheets(path: Path, outcomes: list[tuple[str, str]]) -> list[Path]:
    """A staged file as it is previewed and ingested: itself, or a workbook's sheets as CSV files."""
    if not is_workbook(path):
        return [path]
    try:
        sheets = workbook_sheets(path, path.read_bytes())
    except JourneyError as exc:
        outcomes.append((path.name, f"refused: {getattr(exc, 'reason', exc)}"))
        return []
    finally:
        path.unlink()
    for sheet, data in sheets:
        sheet.write_bytes(data)
    return [sheet for sheet, _ in sheets]


def stage_and_ingest(
    journey: Journey, workspace: str, files: list[Path], progress: ProgressFn | None = None
) -> tuple[IngestReport | None, list[tuple[str, str]]]:
    """Check, copy (or unpack) and ingest uploads as they are read by default; (report, [(file, outcome)]).

    The app previews first and ingests with the user's corrections (`assistant.web.preview`).
    """
    folder = journey.settings.workspace_dir(workspace) / "uploads"
    staged, outcomes = stage(files, folder, journey.settings.max_file_bytes)
    if not staged:
        return None, outcomes
    report = journey.ingester(workspace).ingest(staged, progress=progress)
    failed = {Path(f.file).name: f.reason for f in report.failures}
    for path in staged:
        reason = failed.get(path.name)
        outcomes.append((path.name, f"failed: {reason}" if reason else "ingested"))
    return report, outcomes
