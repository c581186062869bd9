"""Excel workbooks: each sheet with data is read as a CSV table of its own, by ingest, inspect and uploads.

The workbooks are written here from real exports (a raw Qualtrics survey, a tutorial-feedback table),
with typed cells as a spreadsheet keeps them: dates as dates, numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from conftest import ROOT
from openpyxl import Workbook
from typer.testing import CliRunner

from assistant.cli import app
from assistant.context import Journey
from assistant.errors import IngestError
from assistant.ingest.workbooks import workbook_sheets
from assistant.web.uploads import stage

FILES = ROOT / "evals" / "datasets" / "ingest" / "files"
SURVEY = FILES / "ogd_aqualab_player_survey_2023" / "prepost_w_times.csv"
FEEDBACK = next((FILES / "gtn_tutorial_feedback").glob("*.csv"))


def _typed(cell: str) -> object:
    for parse in (int, float):
        try:
            return parse(cell)
        except ValueError:
            pass
    try:
        return datetime.strptime(cell, "%Y-%m-%d")
    except ValueError:
        return cell or None


def _book(path: Path) -> Path:
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "Responses"
    for row in csv.reader(io.StringIO(SURVEY.read_text(encoding="utf-8-sig"))):
        survey.append([_typed(c) for c in row])
    book.create_sheet("Notes")  # an empty sheet: nothing to read
    feedback = book.create_sheet("Feedback")
    for row in csv.reader(io.StringIO(FEEDBACK.read_text(encoding="utf-8"))):
        feedback.append([_typed(c) for c in row])
    book.save(path)
    return path


def test_every_sheet_with_data_becomes_a_table_with_typed_cells_written_as_an_export_would(tmp_path: Path) -> None:
    book = _book(tmp_path / "results.xlsx")
    sheets = workbook_sheets(book, book.read_bytes())
    assert [p.name for p, _ in sheets] == ["results - Responses.csv", "results - Feedback.csv"]
    rows = list(csv.reader(io.StringIO(sheets[1][1].decode("utf-8"))))
    assert rows[0] == ["", "note", "pro", "con", "anonymous", "tutorial", "topic", "month", "date"]
    assert rows[1][1] == "5" and rows[1][8] == "2018-09-14"  # 5, not 5.0; a date, not a datetime


def test_ingest_reads_each_sheet_as_its_own_table(journey: Journey, tmp_path: Path) -> None:
    report = journey.ingester().ingest([_book(tmp_path / "results.xlsx")])
    assert not report.failures and report.files_ingested == 1
    read = {r.file: r for r in report.read}
    assert set(read) == {"results - Responses.csv", "results - Feedback.csv"}
    assert read["results - Responses.csv"].kind == "survey"
    assert read["results - Feedback.csv"].kind == "review"
    assert {t.file: t.rows for t in report.tables} == {"results - Responses.csv": 228, "results - Feedback.csv": 193}


def test_inspect_shows_each_sheet_and_a_broken_workbook_says_so(tmp_path: Path) -> None:
    book = _book(tmp_path / "results.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = CliRunner().invoke(app, ["inspect", str(book), str(broken), "--json"])
    shown = json.loads(result.stdout)
    assert [f["file"] for f in shown["files"]] == ["results - Responses.csv", "results - Feedback.csv"]
    assert shown["files"][0]["table"]["header_lines"] == 2
    (failure,) = shown["failures"]
    assert failure["file"].endswith("broken.xlsx") and "not a readable .xlsx workbook" in failure["reason"]


def test_an_uploaded_workbook_is_staged_sheet_by_sheet(tmp_path: Path) -> None:
    book = _book(tmp_path / "results.xlsx")
    staged, refused = stage([book], tmp_path / "pending", limit=50 * 1024 * 1024)
    assert [p.name for p in staged] == ["results - Responses.csv", "results - Feedback.csv"] and not refused
    empty = Workbook()
    empty.save(tmp_path / "empty.xlsx")
    staged, refused = stage([tmp_path / "empty.xlsx"], tmp_path / "pending2", limit=50 * 1024 * 1024)
    assert not staged and refused == [("empty.xlsx", "refused: the workbook has no sheet with data")]


def test_a_workbook_read_as_one_file_points_to_its_sheets(tmp_path: Path) -> None:
    from assistant.ingest.loaders import pick_loader

    book = _book(tmp_path / "results.xlsx")
    try:
        pick_loader(book, book.read_bytes())
    except IngestError as exc:
        assert "sheet by sheet" in exc.reason
    else:
        raise AssertionError("a workbook must not reach the text loaders whole")


def test_a_real_published_workbook_is_read_sheet_by_sheet_in_order(journey: Journey) -> None:
    # The CNCF Cloud Native Survey 2021 results (Apache-2.0): 27 sheets, one per question.
    book = FILES / "cncf_cloud_native_survey_2021_xlsx" / "Cloud_Native_Survey_2021-Part_1.xlsx"
    sheets = workbook_sheets(book, book.read_bytes())
    assert [p.name for p, _ in sheets][:2] == [
        "Cloud_Native_Survey_2021-Part_1 - Question 1.csv",
        "Cloud_Native_Survey_2021-Part_1 - Question 2.csv",
    ]
    assert len(sheets) == 27
    report = journey.ingester().ingest([book])
    assert not report.failures and len(report.read) == 27
