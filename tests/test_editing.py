"""A person's edits on a map drafted from the sample base: items, stages, comments, versions."""

from __future__ import annotations

import pytest

from assistant.context import Journey
from assistant.maps.drafting import map_store
from assistant.maps.editing import (
    EditError,
    add_comment,
    add_item,
    add_stage,
    comments_on,
    delete_item,
    edit_item,
    move_item,
    move_stage,
    remove_stage,
    rename_stage,
)
from assistant.maps.models import JourneyMap
from assistant.models import Citation
from assistant.workflow import draft_map, edit_and_review


@pytest.fixture(scope="module")
def drafted(sample: Journey) -> JourneyMap:
    return draft_map(sample, title="Edited in place", save=False, review=False).journey_map


def test_an_edited_item_is_the_users_own_and_an_assumption_until_evidence_is_attached(
    drafted: JourneyMap, sample: Journey
) -> None:
    path = "stages[2].pain_points[0]"
    before = drafted.stages[2].pain_points[0]
    edited = edit_item(drafted, path, "Card payments time out on the last step")
    item = edited.stages[2].pain_points[0]
    assert item.text == "Card payments time out on the last step"
    assert item.author == "user" and item.basis == "assumption" and not item.evidence
    assert item.frequency is None  # the theme's count no longer describes the person's wording
    assert drafted.stages[2].pain_points[0] == before  # the map given is left as it was
    assert edited.edits[-1].action == "edit" and edited.edits[-1].before == before.text

    record = sample.store.get("default", [before.evidence[0].evidence_id])[0]
    cited = edit_item(
        drafted, path, "Card payments fail", [Citation(evidence_id=record.id, quote=record.text[:80])]
    )
    assert cited.stages[2].pain_points[0].basis == "data"


def test_items_are_added_deleted_and_moved_within_their_cell(drafted: JourneyMap) -> None:
    added, path = add_item(drafted, 0, "actions", "Ask a friend which shop to use")
    assert path == f"stages[0].actions[{len(drafted.stages[0].actions)}]"
    assert added.stages[0].actions[-1].text == "Ask a friend which shop to use"
    moved, new_path = move_item(added, path, -10)
    assert new_path == "stages[0].actions[0]" and moved.stages[0].actions[0].author == "user"
    removed = delete_item(moved, new_path)
    assert [a.text for a in removed.stages[0].actions] == [a.text for a in drafted.stages[0].actions]
    assert [e.action for e in removed.edits] == ["add", "move", "delete"]


def test_stages_are_renamed_added_removed_and_reordered(drafted: JourneyMap) -> None:
    names = [s.name for s in drafted.stages]
    commented = add_comment(drafted, "stages[1].pain_points[0]", "Is this only on mobile?", "Ana", "Digital")
    renamed = rename_stage(commented, 1, "Research")
    assert renamed.stages[1].name == "research"
    assert comments_on(renamed, "stages[1].pain_points[0]")[0].text == "Is this only on mobile?"
    added = add_stage(renamed, 1, "Compare prices")
    assert [s.name for s in added.stages][:3] == [names[0], "research", "compare prices"]
    moved = move_stage(added, 2, -2)
    assert moved.stages[0].name == "compare prices"
    assert [s.name for s in remove_stage(moved, 0).stages] == [s.name for s in renamed.stages]
    with pytest.raises(EditError, match="already a stage called 'research'"):
        rename_stage(renamed, 0, "research")


def test_an_emotion_is_a_score_and_a_word(drafted: JourneyMap) -> None:
    edited = edit_item(drafted, "stages[3].emotion", "−0.6 anxious")
    emotion = edited.stages[3].emotion
    assert emotion is not None and emotion.score == -0.6 and emotion.label == "anxious"
    assert emotion.author == "user" and emotion.basis == "assumption"
    with pytest.raises(EditError, match="score from -1 to \\+1 and a word"):
        edit_item(drafted, "stages[3].emotion", "quite sad")
    with pytest.raises(EditError, match="runs from -1 to \\+1"):
        edit_item(drafted, "stages[3].emotion", "4 happy")


def test_bad_paths_say_what_is_wrong(drafted: JourneyMap) -> None:
    with pytest.raises(EditError, match="no stage 100"):
        edit_item(drafted, "stages[99].actions[0]", "x")
    with pytest.raises(EditError, match="there is no lane 'feelings'"):
        edit_item(drafted, "stages[0].feelings[0]", "x")
    with pytest.raises(EditError, match="needs some text"):
        edit_item(drafted, "stages[0].actions[0]", "   ")


def test_an_edit_is_reviewed_and_saved_as_a_named_version_and_nothing_new_is_not_saved(
    sample: Journey,
) -> None:
    first = draft_map(sample, title="Versioned by edits")
    again = draft_map(sample, title="Versioned by edits")
    assert again.journey_map.version == first.journey_map.version
    assert any("Nothing changed since version" in w for w in again.warnings)

    edited = edit_item(first.journey_map, "stages[0].pain_points[0]", "Nobody has heard of us")
    saved = edit_and_review(sample, "default", edited, "after the workshop")
    assert saved.journey_map.version == first.journey_map.version + 1 and not saved.unchanged
    assert saved.review is not None and saved.review.map_version == saved.journey_map.version
    reviewed = {c.path: c for c in saved.review.claims}
    assert reviewed["stages[0].pain_points[0]"].text == "Nobody has heard of us"
    infos = [i for i in map_store(sample).list() if i.map_id == saved.journey_map.id]
    assert infos[-1].name == "after the workshop"
    unchanged = edit_and_review(sample, "default", saved.journey_map)
    assert unchanged.unchanged and unchanged.journey_map.version == saved.journey_map.version
