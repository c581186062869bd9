"""What the app shows, without a browser: the grid, exports, diffs, upload names."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.maps.models import KPI, Emotion, JourneyMap, PainPoint, Persona, Stage
from assistant.models import Citation, Claim
from assistant.review.importers import load_map_file
from assistant.review.models import Finding, Review
from assistant.web.diff import map_diff
from assistant.web.exports import FORMATS, export_map, to_csv
from assistant.web.grid import evidence_counts, find_item, map_grid_html
from assistant.web.uploads import safe_name

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def sample_map(version: int = 1) -> JourneyMap:
    cite = [Citation(evidence_id="abc123", quote="the delivery charge appeared late")]
    return JourneyMap(
        id="m",
        title="Checkout & delivery",
        version=version,
        persona=Persona(name="Maya", summary="Mobile-first parent"),
        stages=[
            Stage(
                name="purchase",
                touchpoints=[Claim(text="Website checkout", basis="data", evidence=cite)],
                thoughts=[Claim(text=HOSTILE)],
                emotion=Emotion(score=-0.4, label="frustrated", basis="data", evidence=cite),
                pain_points=[PainPoint(text="Delivery cost shown late", basis="data", evidence=cite)],
                kpis=[
                    KPI(
                        text="Checkout completion",
                        name="Checkout completion",
                        definition="orders / checkouts",
                        value="41.5%",
                    )
                ],
                owner=Claim(text="E-commerce"),
            ),
            Stage(name="delivery", emotion=Emotion(score=0.2, label="relieved")),
        ],
    )


def test_the_grid_marks_assumptions_counts_evidence_and_escapes_text() -> None:
    journey_map = sample_map()
    page = map_grid_html(journey_map)
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in page
    assert "data-path='stages[0].pain_points[0]'" in page
    assert "ja-assumption" in page  # the hostile thought cites nothing: an assumption
    assert evidence_counts(journey_map)["stages[0].pain_points"] == 1
    assert "<svg class='ja-curve'" in page and "class='ja-dot'" in page
    assert find_item(journey_map, "stages[0].kpis[0]").value == "41.5%"


def test_a_finding_highlights_its_cell() -> None:
    journey_map = sample_map()
    review = Review(
        findings=[
            Finding(path="stages[0].thoughts[0]", kind="unsupported", severity="medium", message="no data")
        ]
    )
    page = map_grid_html(journey_map, review, highlight="stages[0].thoughts[0]")
    assert "ja-flag-medium" in page and "ja-selected" in page
    assert "class='ja-highlight' data-cell='stages[0].thoughts'" in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_format_is_written(fmt: str, tmp_path: Path) -> None:
    path = export_map(sample_map(), fmt, tmp_path)
    data = path.read_bytes()
    assert path.suffix == f".{fmt}" and len(data) > 100
    magic = {"png": b"\x89PNG", "pdf": b"%PDF"}.get(fmt)
    if magic:
        assert data.startswith(magic)
    if fmt == "html":
        text = data.decode("utf-8")
        assert "<script>" not in text and "<svg" in text


def test_the_csv_export_imports_back_for_review(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text(to_csv(sample_map()), encoding="utf-8")
    imported = load_map_file(path)
    assert [s.name for s in imported.stages] == ["purchase", "delivery"]
    assert imported.stages[0].pain_points[0].text == "Delivery cost shown late"
    assert imported.stages[0].emotion is not None and imported.stages[0].emotion.score == pytest.approx(-0.4)
    assert imported.stages[0].kpis[0].value == "41.5%"


def test_a_diff_lists_added_and_removed_items() -> None:
    old, new = sample_map(1), sample_map(2)
    new.stages[0].pain_points.append(PainPoint(text="Apple Pay fails"))
    new.stages[0].touchpoints = []
    changes = map_diff(old, new)
    assert ("purchase", "Pain points", "+ Apple Pay fails") in changes
    assert ("purchase", "Touchpoints", "− Website checkout") in changes


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\tickets.csv", "tickets.csv"),
        ("..", "upload"),
        ("a\x00b.csv", "a_b.csv"),
    ],
)
def test_upload_names_cannot_escape_the_folder(name: str, safe: str) -> None:
    assert safe_name(name) == safe
