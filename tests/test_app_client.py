"""Every route of the running app through gradio_client, on the sample base, offline."""

from __future__ import annotations

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


def test_chat_answers_the_dropoff_question_with_references(client: Client) -> None:
    history, _, references, *_ = client.predict(
        "why do customers drop off at checkout?", [], api_name="/chat"
    )
    reply = last_reply(history)
    assert "checkout → payment (largest drop-off)" in reply and "51.2%" in reply
    assert "Delivery cost or extra fees revealed late" in reply
    rows = references["data"]
    assert rows and len(rows[0][1]) == 24  # evidence ids the user can open
    opened = client.predict(rows[0][1], api_name="/evidence")
    assert "·" in opened and ">" in opened


def test_chat_search_escapes_evidence(client: Client) -> None:
    history, *_ = client.predict("shipping cost", [], api_name="/chat")
    assert "<script" not in last_reply(history)


def test_draft_item_evidence_review_export_and_versions(app_url: str, tmp_path: Path) -> None:
    session = Client(app_url, verbose=False)
    grid, findings, summary = session.predict(api_name="/draft")
    assert "class='ja-grid'" in grid and "<svg class='ja-emotion'" in grid
    assert "data-path='stages[2].pain_points[0]'" in grid
    assert "grounded share" in summary and findings["data"]
    _, evidence = session.predict("stages[2].pain_points[0]", api_name="/item")
    assert "evidence" in evidence and "·" in evidence
    exported = session.predict("png", api_name="/export")
    assert Path(exported).read_bytes().startswith(b"\x89PNG")
    grid, findings, summary = session.predict(api_name="/review")
    assert "Review" in summary
    picked = session.predict(api_name="/maps")  # the map dropdown, refreshed
    map_id = picked["value"] if isinstance(picked, dict) else picked
    assert map_id
    session.predict(api_name="/draft")  # a second version of the same map
    changes = session.predict(map_id, "2", "1", api_name="/diff")
    assert "version 1 → 2" in changes
    grid, _, _ = session.predict(map_id, "1", api_name="/open_version")
    assert "v1" in grid


def test_sessions_do_not_share_the_open_map(app_url: str) -> None:
    first, second = Client(app_url, verbose=False), Client(app_url, verbose=False)
    first.predict(api_name="/draft")
    assert first.predict("json", api_name="/export")
    with pytest.raises(Exception, match="No map is open"):
        second.predict("json", api_name="/export")


def test_import_a_map_file_to_review_it(client: Client) -> None:
    from conftest import KNOWLEDGE

    grid, findings, summary = client.predict(
        handle_file(str(KNOWLEDGE / "maps" / "as_is_journey_map.csv")), api_name="/import_map"
    )
    assert "TV advertising" in grid and "87 claims" in summary
    kinds = {row[2] for row in findings["data"]}
    assert {"unsupported", "contradicted", "quantity_mismatch"} <= kinds


def test_uploads_report_each_file(client: Client, tmp_path: Path) -> None:
    good = write(tmp_path / "new_tickets.csv", "id,body\n1,The sofa legs arrived without screws.\n")
    bad = write(tmp_path / "broken.pdf", "this is not a pdf")
    rows, status = client.predict([handle_file(str(good)), handle_file(str(bad))], api_name="/ingest")
    results = dict(map(tuple, rows["data"]))
    assert results["new_tickets.csv"] == "ingested"
    assert results["broken.pdf"].startswith("failed:")
    assert "evidence records" in status


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
