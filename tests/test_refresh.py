"""Keeping a map current on real reviews: a first export, edits, then a second export and a refresh.

The data is the public women's clothing e-commerce reviews (../shared/datasets): its first 300
rows are ingested, a map is drafted and edited, the next 300 rows arrive, and the map is refreshed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.context import Journey
from assistant.maps.editing import add_comment, add_item, delete_item, edit_item, rename_stage
from assistant.workflow import draft_map, refresh_map

REVIEWS = (
    Path(__file__).resolve().parents[2]
    / "shared/datasets/womens_clothing_ecommerce_reviews_subset"
    / "Womens_Clothing_E-Commerce_Reviews_first1499.csv"
)


LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")


def export_rows(source: Path, target: Path, start: int, stop: int) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *rows[1 + start : 1 + stop]])
    return target


@pytest.mark.slow
def test_a_refresh_keeps_the_edits_and_says_what_the_new_data_changed(
    journey: Journey, tmp_path: Path
) -> None:
    if not REVIEWS.is_file():
        pytest.fail(f"the real reviews are missing: {REVIEWS}")
    first = export_rows(REVIEWS, tmp_path / "reviews_march.csv", 0, 300)
    assert journey.ingester().ingest([first]).ok
    drafted = draft_map(journey, title="Kept current").journey_map
    # The stage with the most pains, so one is left to count once its first is deleted.
    stage = max(range(len(drafted.stages)), key=lambda i: len(drafted.stages[i].pain_points))
    assert drafted.stages[stage].pain_points
    name = drafted.stages[stage].name
    deleted = drafted.stages[stage].pain_points[0].text
    edited = delete_item(drafted, f"stages[{stage}].pain_points[0]")
    edited, added = add_item(edited, stage, "opportunities", "Publish a size guide per brand")
    edited = add_comment(edited, added, "Merchandising to confirm", "Ana", "Merchandising")
    edited = edit_item(edited, f"stages[{stage}].emotion", "-0.5 disappointed")
    edited = rename_stage(edited, stage, f"{name} (web)")

    second = export_rows(REVIEWS, tmp_path / "reviews_april.csv", 300, 600)
    assert journey.ingester().ingest([second]).ok
    refreshed = refresh_map(journey, "default", edited)
    kept = refreshed.saved.journey_map
    assert not refreshed.saved.unchanged and kept.version > drafted.version
    renamed = next(s for s in kept.stages if s.name == f"{name} (web)")
    # The renamed stage is redrafted from the new data, not kept as it was.
    old_counts = {p.text: p.frequency.count for p in edited.stages[stage].pain_points if p.frequency}
    new_counts = {p.text: p.frequency.count for p in renamed.pain_points if p.frequency}
    old_cited = {
        c.evidence_id for lane in LANES for i in getattr(edited.stages[stage], lane) for c in i.evidence
    }
    new_cited = {c.evidence_id for lane in LANES for i in getattr(renamed, lane) for c in i.evidence}
    assert new_counts != old_counts or new_cited != old_cited, "the renamed stage was not redrafted"
    assert all(p.text != deleted for p in renamed.pain_points), "a deleted pain came back"
    assert any(
        o.text == "Publish a size guide per brand" and o.author == "user" for o in renamed.opportunities
    )
    assert renamed.emotion is not None and renamed.emotion.label == "disappointed"
    assert kept.comments and kept.comments[0].text == "Merchandising to confirm"
    # Twice the reviews: the themes the map counts have grown, and the refresh says by how much.
    assert refreshed.changes, "600 reviews instead of 300 and nothing changed?"
    assert any("grew" in c or "New pain" in c for c in refreshed.changes)
    again = refresh_map(journey, "default", kept)
    assert again.saved.unchanged and again.saved.journey_map.version == kept.version
