"""Every route of the running app through gradio_client, on the sample base, offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write
from gradio_client import Client, handle_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(app_url: str) -> Client:
    return Client(app_url, verbose=False)


def last_reply(history: list[dict[str, object]]) -> str:
    content = history[-1]["content"]
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def test_chat_answers_the_dropoff_question_with_references(client: Client, sample: object) -> None:
    history, _, references, *_ = client.predict(
        "why do customers drop off at checkout?", [], api_name="/chat"
    )
    reply = last_reply(history)
    assert "checkout → payment (largest drop-off)" in reply and "51.2%" in reply
    assert "Delivery cost or extra fees revealed late" in reply
    rows = references["data"]
    assert rows and " · " in rows[0][1]  # where each record sits, not its id
    assert not re.search(r"\b[0-9a-f]{24}\b", reply)
    record_id = next(sample.store.iter_all("default"))[0]  # type: ignore[attr-defined]
    opened = client.predict(record_id, api_name="/evidence")
    assert "·" in opened and ">" in opened


def test_chat_search_escapes_evidence(client: Client) -> None:
    history, *_ = client.predict("shipping cost", [], api_name="/chat")
    assert "<script" not in last_reply(history)


def test_draft_item_evidence_review_export_and_versions(app_url: str, tmp_path: Path) -> None:
    session = Client(app_url, verbose=False)
    grid, findings, summary, *_ = session.predict(api_name="/draft")
    version = int(re.search(r"<small>v(\d+)", grid)[1])  # type: ignore[index]
    assert "class='ja-grid'" in grid and "<svg class='ja-curve'" in grid
    assert "data-path='stages[2].pain_points[0]'" in grid
    assert "grounded share" in summary and findings["data"]
    _, evidence, text, *_ = session.predict("stages[2].pain_points[0]", api_name="/item")
    assert text  # the edit form holds the item's text
    assert "evidence" in evidence and "·" in evidence
    exported = session.predict("png", api_name="/export")
    assert Path(exported).read_bytes().startswith(b"\x89PNG")
    grid, findings, summary, *_ = session.predict(api_name="/review")
    assert "Review" in summary
    picked = session.predict(api_name="/maps")  # the map dropdown, refreshed
    map_id = picked["value"] if isinstance(picked, dict) else picked
    assert map_id
    _, _, note, *_ = session.predict(api_name="/draft")  # the same evidence drafts the same map
    assert f"Nothing changed since version {version}: it was not saved again." in note
    # An edit is reviewed and saved as the next version, under the name given.
    edited = session.predict(
        "stages[2].pain_points[0]",
        "after the workshop",
        "Fees appear only at the last step",
        [],
        api_name="/edit_item",
    )
    assert f"Saved as version {version + 1} “after the workshop” and reviewed again." in edited[-1]
    changes = session.predict(map_id, str(version + 1), str(version), api_name="/diff")
    assert f"version {version} → {version + 1}" in changes and "Fees appear only at the last step" in changes
    grid, *_ = session.predict(map_id, str(version), api_name="/open_version")
    assert f"v{version}" in grid


def test_sessions_do_not_share_the_open_map(app_url: str) -> None:
    first, second = Client(app_url, verbose=False), Client(app_url, verbose=False)
    first.predict(api_name="/draft")
    assert first.predict("json", api_name="/export")
    with pytest.raises(Exception, match="No map is open"):
        second.predict("json", api_name="/export")


def test_import_a_map_file_to_review_it(client: Client) -> None:
    from conftest import KNOWLEDGE

    grid, findings, summary, *_ = client.predict(
        handle_file(str(KNOWLEDGE / "maps" / "as_is_journey_map.csv")), api_name="/import_map"
    )
    assert "TV advertising" in grid and "87 claims" in summary
    kinds = {row[2] for row in findings["data"]}
    assert {"unsupported", "contradicted", "quantity mismatch"} <= kinds


def test_uploads_report_each_file(client: Client, tmp_path: Path) -> None:
    # Files only, no preview first: each is read as inferred, one result per file.
    good = write(tmp_path / "new_tickets.csv", "id,body\n1,The sofa legs arrived without screws.\n")
    bad = write(tmp_path / "broken.pdf", "this is not a pdf")
    no_edits = {"headers": ["column", "role", "why", "examples"], "data": []}
    rows, status = client.predict(
        [handle_file(str(good)), handle_file(str(bad))], None, no_edits, api_name="/ingest"
    )
    results = {row[0]: row[2] for row in rows["data"]}
    assert results["new_tickets.csv"].startswith("ingested")
    assert results["broken.pdf"].startswith("failed:")
    assert "evidence records" in status


def test_preview_correct_a_role_and_the_kind_then_ingest(
    app_url: str, sample: object, tmp_path: Path
) -> None:
    from test_preview import CALLBACKS, focus_group_docx, other_kind

    from assistant.profiling.schemas import SchemaStore

    session = Client(app_url, verbose=False)
    session.predict("upload-preview", api_name="/workspace")  # its own workspace: the sample stays as it is
    files = [
        handle_file(str(write(tmp_path / "callbacks.csv", CALLBACKS))),
        handle_file(str(focus_group_docx(tmp_path / "focus_group.docx"))),
        handle_file(str(write(tmp_path / "fake.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))),
    ]
    table, picked, kind, note, columns, column_choices = session.predict(files, api_name="/preview")
    read = {row[0]: row for row in table["data"]}
    assert read["focus_group.docx"][1] == "interview"  # prose is customer voice, not dropped as research
    assert read["fake.csv"][4].startswith("refused")
    assert picked["value"] == "callbacks.csv" and kind == read["callbacks.csv"][1]
    assert "callbacks.csv" in note
    roles = {row[0]: row[1] for row in columns["data"]}
    assert roles["date"] == "timestamp"
    assert ["follow_up", "follow_up"] in column_choices["choices"]  # the column picker lists them

    # A typo in the grid: a clear message naming the file and the column, nothing changed.
    typo = [[r[0], "compnay_text" if r[0] == "follow_up" else r[1], *r[2:]] for r in columns["data"]]
    with pytest.raises(Exception, match=r"callbacks.csv: column 'follow_up': 'compnay_text' is not a role"):
        session.predict(kind, {"headers": columns["headers"], "data": typo}, api_name="/check_preview")

    # Correct one role in the grid and one with the pickers, and the kind; the preview updates.
    edited = [[r[0], "company_text" if r[0] == "follow_up" else r[1], *r[2:]] for r in columns["data"]]
    grid = session.predict(
        {"headers": columns["headers"], "data": edited}, "comment", "customer_text", api_name="/set_role"
    )
    chosen = other_kind(kind)
    table, _, kind_shown, note, columns, _ = session.predict(chosen, grid, api_name="/check_preview")
    row = {r[0]: r for r in table["data"]}["callbacks.csv"]
    assert kind_shown == chosen and row[2].startswith("set by you") and "4 company records" in row[3]
    assert {r[0]: r[1] for r in columns["data"]}["follow_up"] == "company_text"

    rows, status = session.predict(files, chosen, columns, api_name="/ingest")
    results = {r[0]: r for r in rows["data"]}
    assert results["callbacks.csv"][1] == chosen and results["callbacks.csv"][2].startswith("ingested")
    assert results["focus_group.docx"][1] == "interview" and results["focus_group.docx"][2].startswith(
        "ingested"
    )
    assert results["fake.csv"][2].startswith("refused")
    assert "upload-preview" in status

    journey = sample
    stored = list(journey.store.iter_all("upload-preview"))  # type: ignore[attr-defined]
    follow_ups = [m for _, text, m in stored if text.startswith("I rang back")]
    assert follow_ups and all(m.get("voice") == "company" for m in follow_ups)  # no longer customer text
    assert any(m["source"] == "focus_group.docx" and m["kind"] == "interview" for _, _, m in stored)
    folder = journey.settings.workspace_dir("upload-preview")  # type: ignore[attr-defined]
    store = SchemaStore(folder)
    assert store.path("callbacks.csv").is_file()
    saved = store.get("callbacks.csv")
    assert saved is not None and saved.kind == chosen and saved.roles["follow_up"] == "company_text"


def test_a_password_keeps_strangers_out(sample: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import app as app_module

    monkeypatch.setattr(sample.settings, "app_password", "s3cret")  # type: ignore[attr-defined]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = app_module.build_app(sample, "default")  # type: ignore[arg-type]
    demo.queue().launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        auth=app_module.auth_of(sample.settings),  # type: ignore[attr-defined]
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError here
            Client(url, verbose=False)
        allowed = Client(url, auth=("journey", "s3cret"), verbose=False)
        assert allowed.predict("abc", api_name="/evidence")
    finally:
        demo.close()
