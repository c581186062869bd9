"""Uploads: names, sizes, content sniffing, zip archives with limits, one result per file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.web.uploads import sniff, stage_and_ingest, unpack_zip

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("tickets.csv", PNG, "PNG image"),
        ("notes.txt", b"\x7fELF\x02\x01\x01", "Linux program"),
        ("report.csv", b"%PDF-1.7 ...", "content is a PDF but its name ends in .csv"),
        ("data.tar", b"x" * 257 + b"ustar" + b"\x00" * 10, "tar archive"),
        ("photo.heic", b"anything", ".heic is not a format we read"),
    ],
)
def test_content_decides_not_the_extension(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    assert problem in (sniff(write(tmp_path / name, content)) or "")


def test_documents_pass_the_sniffer(tmp_path: Path) -> None:
    assert sniff(write(tmp_path / "t.csv", "id,text\n1,hello\n")) is None
    assert sniff(write(tmp_path / "r.pdf", b"%PDF-1.4\n")) is None


def test_a_zip_with_traversal_nesting_and_a_bomb_is_unpacked_safely(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "upload.zip",
        {
            "good/tickets.csv": b"id,text\n1,The lamp arrived broken.\n",
            "../../evil.txt": b"escape",
            "/abs.txt": b"absolute",
            "inner.zip": b"PK\x03\x04nested",
            "bomb.txt": b"0" * 5_000_000,  # compresses far beyond 100:1
        },
    )
    folder = tmp_path / "staged"
    staged, skipped = unpack_zip(archive, folder, limit=50 * 1024 * 1024)
    assert [p.name for p in staged] == ["good_tickets.csv"]
    reasons = dict(skipped)
    assert "leaves the archive" in reasons["../../evil.txt"] and "leaves the archive" in reasons["/abs.txt"]
    assert "archives inside archives" in reasons["inner.zip"]
    assert "zip bomb" in reasons["bomb.txt"]
    assert not (tmp_path / "evil.txt").exists() and all(folder in p.parents for p in staged)


def test_uploads_are_ingested_with_one_result_per_file(journey: Journey, tmp_path: Path) -> None:
    upload = tmp_path / "in"
    files = [
        write(
            upload / "tickets.csv", "id,text\n1,The checkout kept failing.\n2,Delivery cost appeared late.\n"
        ),
        write(upload / "fake.csv", PNG),
        make_zip(
            upload / "bundle.zip",
            {"survey.csv": b"id,comment\n1,Sizes are unclear.\n", "x/../../y.txt": b"no"},
        ),
        write(upload / "broken.pdf", b"%PDF-1.4 truncated"),
    ]
    report, outcomes = stage_and_ingest(journey, "default", files)
    results = dict(outcomes)
    assert results["tickets.csv"] == "ingested" and results["survey.csv"] == "ingested"
    assert results["fake.csv"].startswith("refused: its content is a PNG image")
    assert results["x/../../y.txt"].startswith("refused")
    assert results["broken.pdf"].startswith("failed:")
    assert report is not None and journey.store.count("default") == 3


def test_an_oversized_upload_is_refused_before_copying(journey: Journey, tmp_path: Path) -> None:
    journey.settings.max_file_mb = 0.001  # about a kilobyte
    big = write(tmp_path / "big.csv", "id,text\n" + "1,x\n" * 2000)
    report, outcomes = stage_and_ingest(journey, "default", [big])
    assert report is None and "over the" in dict(outcomes)["big.csv"]
    assert not (journey.settings.workspace_dir("default") / "uploads" / "big.csv").exists()
