"""The upload preview without a browser: kinds and roles shown, corrections checked, saved and used."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import write

from assistant.context import Journey
from assistant.errors import ConfigError
from assistant.profiling.schemas import SchemaStore
from assistant.web.preview import (
    apply_edits,
    carry_over,
    column_rows,
    file_note,
    file_rows,
    ingest_pending,
    prepare,
    recheck,
    select,
    set_role,
)

# A support export as a real helpdesk writes it: the customer's comment, and the agent's follow-up
# written in the first person, which reads like customer text unless someone says otherwise.
CALLBACKS = """id,date,device,comment,follow_up
1,2026-05-01,mobile,"The delivery fee only showed up at the last step, so I left the basket.","I rang back and the delivery fee was refunded as a goodwill gesture today."
2,2026-05-02,desktop,"I could not tell if the sofa would fit through my door, no sizes anywhere.","I sent the customer the full dimensions sheet and a link to the size guide."
3,2026-05-03,mobile,"Checkout kept asking me to log in again on my phone, very annoying.","I reset the session for them and logged a bug with the web team about it."
4,2026-05-04,tablet,"Tracking said delivered but nothing came for days and nobody answered.","I chased the courier twice and the parcel was finally found at the depot."
"""
FOCUS_GROUP = """Focus group, 12 May

Moderator: What stopped you from buying the last time?

Anna: Honestly the shipping cost. I only saw it at the very end and I just closed the tab.

Ben: For me it was the size guide. I could not work out whether the sofa would fit, so I gave up.
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def focus_group_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in FOCUS_GROUP.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return write(path, buffer.getvalue())


def other_kind(inferred: str | None) -> str:
    return "ticket" if inferred != "ticket" else "survey"


def test_the_preview_shows_kinds_roles_and_what_cannot_be_read(journey: Journey, tmp_path: Path) -> None:
    files = [
        write(tmp_path / "callbacks.csv", CALLBACKS),
        focus_group_docx(tmp_path / "focus_group.docx"),
        write(tmp_path / "fake.csv", PNG),
        write(tmp_path / "empty.txt", "   \n"),
    ]
    pending = prepare(journey, "default", files)
    rows = {row[0]: row for row in file_rows(pending)}
    assert rows["focus_group.docx"][1] == "interview" and "own words" in rows["focus_group.docx"][2]
    assert rows["fake.csv"][4].startswith("refused: its content is a PNG image")
    assert rows["empty.txt"][4].startswith("cannot be read: empty file")
    assert pending.current == "callbacks.csv"  # the first readable file is open
    columns = {row[0]: row for row in column_rows(pending.file("callbacks.csv"))}
    assert list(columns) == ["id", "date", "device", "comment", "follow_up"]
    assert columns["date"][1] == "timestamp" and columns["date"][2]  # a role, and why
    assert "2026-05-01" in columns["date"][3]  # examples
    assert "callbacks.csv" in file_note(pending.file("callbacks.csv"))
    docx_note = file_note(select(pending, "focus_group.docx").file("focus_group.docx"))
    assert "read as prose" in docx_note and "shipping cost" in docx_note
    assert column_rows(pending.file("focus_group.docx")) == []
    assert journey.store.count("default") == 0  # a preview stores nothing


def test_a_bad_role_or_kind_names_the_file_and_column_and_changes_nothing(
    journey: Journey, tmp_path: Path
) -> None:
    pending = prepare(journey, "default", [write(tmp_path / "callbacks.csv", CALLBACKS)])
    rows = column_rows(pending.file("callbacks.csv"))
    bad = [[*row[:1], "segmnt" if row[0] == "device" else row[1], *row[2:]] for row in rows]
    with pytest.raises(ConfigError) as caught:
        apply_edits(pending, "callbacks.csv", "ticket", bad)
    message = str(caught.value)
    assert "callbacks.csv" in message and "'device'" in message and "'segmnt' is not a role" in message
    assert "customer_text" in message  # the roles there are
    with pytest.raises(ConfigError, match="'diary' is not a kind"):
        apply_edits(pending, "callbacks.csv", "diary", rows)
    with pytest.raises(ConfigError, match="no column 'nope'"):
        apply_edits(pending, "callbacks.csv", None, [*rows, ["nope", "other", "", ""]])
    assert pending.file("callbacks.csv").changes == {}  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="'device': 'x' is not a role"):
        set_role(rows, "device", "x")


def test_corrections_are_ingested_saved_and_read_again_the_same_way(journey: Journey, tmp_path: Path) -> None:
    files = [write(tmp_path / "callbacks.csv", CALLBACKS), write(tmp_path / "focus_group.txt", FOCUS_GROUP)]
    pending = prepare(journey, "default", files)
    item = pending.file("callbacks.csv")
    assert item is not None
    kind = other_kind(item.kind)
    assert item.inferred_roles["follow_up"] != "company_text", (
        "the profiler now reads follow_up as company text by itself: correct another column here"
    )
    rows = set_role(column_rows(item), "follow_up", "company_text")
    rows = set_role(rows, "comment", "customer_text")
    pending = recheck(journey, "default", apply_edits(pending, "callbacks.csv", kind, rows), "callbacks.csv")
    summary = {row[0]: row for row in file_rows(pending)}["callbacks.csv"]
    assert summary[1] == kind and summary[2].startswith("set by you")
    assert "4 customer records · 4 company records (context only)" in summary[3]
    assert journey.store.count("default") == 0

    reports, results = ingest_pending(journey, "default", pending)
    outcome = {row[0]: row for row in results}
    assert outcome["callbacks.csv"][1] == kind and outcome["callbacks.csv"][2].startswith("ingested")
    assert "follow_up = company_text" in outcome["callbacks.csv"][2]
    assert outcome["focus_group.txt"][1] == "interview"
    assert all(r.ok for r in reports)

    stored = list(journey.store.iter_all("default"))
    follow_ups = [meta for _, text, meta in stored if text.startswith("I rang back")]
    comments = [meta for _, text, meta in stored if text.startswith("The delivery fee only")]
    assert follow_ups and all(m.get("voice") == "company" for m in follow_ups)  # no longer customer text
    assert comments and all(m.get("voice") in (None, "customer") and m["kind"] == kind for m in comments)
    assert any(m["source"] == "focus_group.txt" and m["kind"] == "interview" for _, _, m in stored)

    saved = SchemaStore(journey.settings.workspace_dir("default")).get("callbacks.csv")
    assert saved is not None and saved.kind == kind and saved.roles["follow_up"] == "company_text"
    # Uploading the same file again shows it as corrected: the saved schema is read first.
    again = prepare(journey, "default", [files[0]])
    shown = {row[0]: row for row in column_rows(again.file("callbacks.csv"))}
    assert shown["follow_up"][1] == "company_text" and "set by you" in shown["follow_up"][2]
    assert again.file("callbacks.csv").kind == kind  # type: ignore[union-attr]
    _, results = ingest_pending(journey, "default", again)
    assert "already stored" in results[0][2]  # idempotent: nothing new


def test_one_unreadable_file_keeps_the_others(journey: Journey, tmp_path: Path) -> None:
    files = [
        write(tmp_path / "broken.pdf", b"%PDF-1.4 truncated"),
        write(tmp_path / "notes.txt", FOCUS_GROUP),
    ]
    pending = prepare(journey, "default", files)
    _, results = ingest_pending(journey, "default", pending)
    outcome = {row[0]: row[2] for row in results}
    assert outcome["broken.pdf"].startswith("failed:") and outcome["notes.txt"].startswith("ingested")
    assert journey.store.count("default") >= 1


def test_adding_a_file_keeps_the_corrections_made_so_far(journey: Journey, tmp_path: Path) -> None:
    first = write(tmp_path / "callbacks.csv", CALLBACKS)
    pending = prepare(journey, "default", [first])
    rows = set_role(column_rows(pending.file("callbacks.csv")), "follow_up", "company_text")
    pending = apply_edits(pending, "callbacks.csv", "ticket", rows)
    more = carry_over(
        pending, prepare(journey, "default", [first, write(tmp_path / "notes.txt", FOCUS_GROUP)])
    )
    kept = more.file("callbacks.csv")
    assert kept is not None and kept.changes["follow_up"] == "company_text" and kept.kind == "ticket"
    assert more.current == "callbacks.csv" and more.file("notes.txt") is not None
