"""The table profiler on real files: roles, kinds, event times, overrides kept, distributions counted."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import KNOWLEDGE, ROOT, SHARED, write
from conftest import column_roles as roles
from conftest import load_export as load
from typer.testing import CliRunner

from assistant.cli import app
from assistant.context import Journey
from assistant.ingest.dates import parse_event_time
from assistant.profiling.choices import split_options
from assistant.profiling.schemas import parse_roles

R_SURVEY = SHARED / "survey_r_community_2019" / "r_community_survey_2019_en_responses.csv"
TURNS = SHARED / "support_twitter_customer_care" / "turns.csv"
BAYMARD = SHARED / "baymard_checkout_abandonment_reference" / "reasons_for_abandonment_during_checkout.csv"


@pytest.mark.parametrize(
    ("value", "is_time"),
    [
        ("24.09.30", False),  # an app version, which dateutil reads as 2030-09-24
        ("5.1.0", False),
        ("10.2", False),
        ("1245403438755852288", False),
        ("Feb", False),
        ("2019-12-13", True),
        ("12/13/2019 9:50:30", True),
        ("2020-04-01T17:31:32.000Z", True),
        ("3 March 2026", True),
        ("10/22/12", True),  # month/day/two-digit year, as US exports write it
        ("9/24/19 3:04 PM", True),
        ("1/2/3", False),
        ("13/13/12", False),
    ],
)
def test_event_times_are_strict(value: str, is_time: bool) -> None:
    assert (parse_event_time(value) is not None) is is_time


def test_app_version_is_a_segment_and_the_date_column_dates_records(tmp_path: Path) -> None:
    path = write(
        tmp_path / "reviews.csv",
        "app_version,posted,rating,review\n"
        "24.09.30,2024-10-02,1,Crashes every time I open the statement page\n"
        "5.1.0,2024-10-05,4,Works well but the login takes ages on my phone\n"
        "24.09.30,2024-10-09,2,Notifications stopped working after the update\n",
    )
    loaded = load(path)
    assert roles(loaded) == {
        "app_version": "segment",
        "posted": "timestamp",
        "rating": "rating",
        "review": "customer_text",
    }
    assert [r.created_at.date().isoformat() for r in loaded.records if r.created_at] == [
        "2024-10-02",
        "2024-10-05",
        "2024-10-09",
    ]
    assert loaded.kind == "review"


def test_real_survey_reads_each_open_question_and_its_closed_answers() -> None:
    loaded = load(R_SURVEY)
    got = roles(loaded)
    best, least = "What do you like best about using R?", "What do you like least about using R?"
    assert got[best] == got[least] == "customer_text"
    assert got["How likely are you to recommend R to a colleague, friend, or family member?"] == "nps"
    assert got["What applications do you use R for most? (check all that apply)"] == "multi_select"
    assert got["Timestamp"] == "timestamp"
    assert loaded.kind == "survey"
    # Each open question is its own question: its records carry the header.
    questions = Counter(r.question for r in loaded.records if r.locator.chunk in (None, 1))
    assert questions[best] == 1454 and questions[least] == 1343
    # The NPS figure, computed independently from the raw file (NOTE: +74.0 over 1,795 answers).
    nps = next(d for d in loaded.distributions if d.role == "nps" and "R to a colleague" in d.column)
    assert nps.respondents == 1795 - 3 or nps.respondents == 1795  # exact duplicate rows are read once
    assert nps.nps == pytest.approx(74.0, abs=0.3)


def test_multi_select_keeps_option_labels_that_hold_the_separator() -> None:
    label = "Social media such as blogs, R-bloggers, Twitter, Slack, or GitHub contacts"
    cells = [
        f"Books, {label}",
        label,
        "Books",
        f"{label}, Courses",
        "Courses, Books",
        f"Courses, {label}, Books",
    ]
    options = split_options(cells, ", ")
    assert (
        options[0] == ["Books", label]
        and options[3] == [label, "Courses"]
        and options[4] == ["Courses", "Books"]
    )


def test_support_turns_agent_rows_are_company_voice() -> None:
    loaded = load(TURNS)
    assert roles(loaded)["role"] == "speaker"
    assert loaded.kind == "ticket"
    first = [r for r in loaded.records if r.locator.chunk in (None, 1)]
    with TURNS.open(encoding="utf-8") as handle:
        truth = Counter(row["role"] for row in csv.DictReader(handle))
    assert sum(r.voice == "customer" for r in first) == truth["customer"] == 1211
    assert sum(r.voice == "company" for r in first) == truth["agent"]


def test_published_statistics_are_research_without_a_kind() -> None:
    loaded = load(BAYMARD)
    assert loaded.kind == "research"
    assert "published statistics" in loaded.kind_reason


def test_prose_kind_from_content(tmp_path: Path) -> None:
    notes = write(
        tmp_path / "focus_group.txt",
        "We met six customers on Tuesday.\n\nI never know when my parcel will come, one said. "
        'My husband ended up waiting in all day.\n\nAnother told us: "I gave up on the app, I call instead."\n',
    )
    stats = write(
        tmp_path / "notes.md",
        "According to the 2024 benchmark study, 48% of respondents abandoned a checkout over extra costs; "
        "26% over forced account creation. The report's sample size was n = 4,384 and its methodology is "
        "described in the appendix. On average 70% of carts are abandoned.\n",
    )
    assert load(notes).kind == "interview"
    assert load(stats).kind == "research"


def test_closed_answers_are_counted_over_respondents() -> None:
    path = KNOWLEDGE / "survey" / "customer_survey_2026q3.csv"
    with path.open(encoding="utf-8") as handle:
        truth = Counter(
            row["main_obstacle"] for row in csv.DictReader(handle) if row["main_obstacle"].strip()
        )
    loaded = load(path)
    dist = next(d for d in loaded.distributions if d.column == "main_obstacle")
    assert [(a.value, a.count) for a in dist.answers] == truth.most_common()
    assert dist.respondents == sum(truth.values())
    assert "Computed from column 'main_obstacle'" in dist.render()


def test_role_overrides_parse_and_name_the_fix() -> None:
    assert parse_roles(["app_version=segment", "a=b=customer_text"]) == {
        "app_version": "segment",
        "a=b": "customer_text",
    }
    with pytest.raises(Exception, match="unknown role 'txt'"):
        parse_roles(["comments=txt"])
    with pytest.raises(Exception, match="COLUMN=ROLE"):
        parse_roles(["comments"])


def test_override_is_kept_so_a_reingest_reads_the_file_the_same_way(journey: Journey, tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "ticket,queue,note\n1,billing,Card was charged twice for one order\n2,delivery,Courier left it in the rain\n"
        "3,billing,Refund has not arrived after two weeks\n",
    )
    ingester = journey.ingester()
    first = ingester.ingest([path], roles={"note": "company_text"})
    assert first.ok and first.read[0].company_records == 3 and first.read[0].records == 0
    assert ingester.schemas.get("tickets.csv").roles == {"note": "company_text"}  # type: ignore[union-attr]
    again = ingester.ingest([path])  # no --role this time: the saved schema still applies
    assert again.read[0].company_records == 3
    bad = ingester.ingest([path], roles={"nope": "segment"})
    assert not bad.ok and "no column named 'nope'" in bad.failures[0].reason


def test_inspect_prints_roles_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["inspect", str(KNOWLEDGE / "reviews" / "app_store_reviews.csv"), "--json"])
    assert result.exit_code == 0, result.output
    (preview,) = json.loads(result.output)["files"]
    by_name = {c["name"]: c["role"] for c in preview["table"]["columns"]}
    assert by_name["app_version"] == "segment" and by_name["rating"] == "rating"
    assert preview["kind"] == "review"
    text = runner.invoke(
        app, ["inspect", str(KNOWLEDGE / "reviews" / "app_store_reviews.csv"), "--role", "title=other"]
    )
    assert "set by you" in text.output and "becomes evidence" in text.output
    broken = runner.invoke(app, ["inspect", str(tmp_path / "missing.csv"), "--json"])
    assert (
        broken.exit_code == 1
        and json.loads(broken.output)["failures"][0]["reason"] == "no such file or folder"
    )


def test_a_column_that_writes_31_05_reads_its_01_02_as_the_first_of_february() -> None:
    # The NHS patient-feedback export writes DD/MM/YYYY; month first would put 01/02 in January.
    loaded = load(ROOT / "evals/datasets/ingest/files/pxtm_fft_patient_comments/v6framework_first2000.csv")
    assert loaded.profile is not None
    date = loaded.profile.column("Date")
    assert date is not None and date.role == "timestamp" and date.day_first
    assert date.stats is not None and (date.stats.first, date.stats.last) == (
        "2021-06-02T00:00:00",
        "2022-09-30T00:00:00",
    )
    dated = [r for r in loaded.records if r.created_at is not None]
    assert dated and all("2021-06-02" <= r.created_at.date().isoformat() <= "2022-09-30" for r in dated)
