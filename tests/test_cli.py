"""The `journey` CLI end to end (in-process), with --json output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write
from typer.testing import CliRunner

from assistant import cli
from assistant.context import Journey
from assistant.embeddings import MiniLMEmbedder

runner = CliRunner()


@pytest.fixture(autouse=True)
def shared_embedder(monkeypatch: pytest.MonkeyPatch, embedder: MiniLMEmbedder, tmp_path: Path) -> None:
    monkeypatch.setenv("JOURNEY_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli, "_journey", lambda: Journey.open(embedder=embedder))


def test_ingest_then_search_json(tmp_path: Path) -> None:
    write(
        tmp_path / "kb" / "support_tickets.csv",
        "ticket_id,channel,body\nT-9,email,The shipping cost at checkout was way more than I expected\n"
        "T-10,chat,Could not find the size guide for the duvet covers\n",
    )
    result = runner.invoke(cli.app, ["ingest", str(tmp_path / "kb"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["chunks_added"] == 2 and report["failures"] == []
    result = runner.invoke(cli.app, ["search", "shipping cost at checkout", "-k", "1", "--json"])
    assert result.exit_code == 0, result.output
    hit = json.loads(result.stdout)["results"][0]
    assert {"id", "source", "locator", "text", "score"} <= set(hit)
    assert hit["source"] == "support_tickets.csv" and hit["locator"]["row"] == 1
    assert hit["attributes"]["ticket_id"] == "T-9"


def test_ingest_exit_code_one_when_a_file_fails(tmp_path: Path) -> None:
    write(tmp_path / "kb" / "good.txt", "A perfectly fine customer note about returns.")
    write(tmp_path / "kb" / "bad.csv", "")
    result = runner.invoke(cli.app, ["ingest", str(tmp_path / "kb")])
    assert result.exit_code == 1
    assert "bad.csv: empty file" in result.stdout
    assert "1/2 files" in result.stdout


def test_search_text_output_and_filters(tmp_path: Path) -> None:
    write(
        tmp_path / "r.csv",
        "id,device,comment\n1,mobile,payment screen froze on my phone\n2,desktop,payment was fine\n",
    )
    runner.invoke(cli.app, ["ingest", str(tmp_path / "r.csv")])
    result = runner.invoke(cli.app, ["search", "payment", "--where", "device=mobile", "--json"])
    results = json.loads(result.stdout)["results"]
    assert [r["attributes"]["device"] for r in results] == ["mobile"]
    text = runner.invoke(cli.app, ["search", "payment"])
    assert "r.csv" in text.stdout and "row 1" in text.stdout


def test_bad_input_errors_are_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(cli.app, ["search", "x", "--where", "nonsense"])
    assert result.exit_code == 2 and "key=value" in result.output
    result = runner.invoke(cli.app, ["ingest", "x", "--kind", "tweet"])
    assert result.exit_code == 2 and "--kind must be one of" in result.output


def test_bad_setting_is_reported_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_journey", lambda: Journey.open())
    monkeypatch.setenv("CHROMA_PORT", "abc")
    result = runner.invoke(cli.app, ["search", "anything"])
    assert result.exit_code == 2
    assert "CHROMA_PORT" in result.output and "CHROMA_PORT=8000" in result.output


def test_workspaces_lists_counts_and_tables(tmp_path: Path) -> None:
    write(tmp_path / "f.csv", "week,visit,order\n2026-04-06,100,5\n")
    write(tmp_path / "n.txt", "note about checkout")
    runner.invoke(cli.app, ["ingest", str(tmp_path / "f.csv"), str(tmp_path / "n.txt"), "-w", "team"])
    data = json.loads(runner.invoke(cli.app, ["workspaces", "--json"]).stdout)
    assert data["workspaces"][0]["workspace"] == "team"
    assert data["workspaces"][0]["records"] == 2  # the note, and the table's summary record
    assert data["workspaces"][0]["tables"][0]["source"] == "f.csv"
