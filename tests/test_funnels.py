"""Funnels on real files: the sample event log and weekly export against their ground truth, UCI sessions."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import KNOWLEDGE, ROOT, SHARED, write
from typer.testing import CliRunner

from assistant import cli
from assistant.errors import QueryError
from assistant.funnels import compute_funnel, who_drops
from assistant.funnels.command import parse_window
from assistant.funnels.steps import build_step_table

EVENTS = KNOWLEDGE / "analytics" / "events.csv"
WEEKLY = KNOWLEDGE / "analytics" / "funnel_weekly_by_device.csv"
UCI = SHARED / "uci_online_shoppers_intention" / "online_shoppers_intention.csv"
TRUTH = yaml.safe_load((ROOT / "evals" / "ground_truth" / "planted_causes.yaml").read_text(encoding="utf-8"))
STEPS = ["visit", "product", "cart", "checkout", "payment", "order"]


def test_the_sample_event_log_matches_its_ground_truth() -> None:
    truth = TRUTH["checkout_dropoff"]["event_log"]["users_reached"]
    result = compute_funnel(EVENTS, by="device")
    assert result.shape == "event_log" and result.window_seconds == 7 * 86400
    assert [s.count for s in result.steps] == [truth["overall"][s] for s in STEPS]
    for group in result.breakdown:
        assert [s.count for s in group.steps] == [truth[group.value][s] for s in STEPS], group.value
    assert result.steps[1].median_seconds_from_previous is not None
    platforms = compute_funnel(EVENTS, by="platform")
    for group in platforms.breakdown:
        if group.value in truth:
            assert [s.count for s in group.steps] == [truth[group.value][s] for s in STEPS], group.value


def test_the_weekly_export_totals_and_its_missing_tablet_week() -> None:
    truth = TRUTH["checkout_dropoff"]["weekly_export"]
    result = compute_funnel(WEEKLY)
    assert result.shape == "aggregate" and result.breakdown_by == "device"
    assert [s.count for s in result.steps] == [truth["totals"]["overall"][s] for s in STEPS]
    payment = next(s for s in result.steps if s.name == "payment")
    assert payment.conversion_from_previous == pytest.approx(
        truth["conversion"]["overall"]["checkout_to_payment"], abs=1e-4
    )
    missing = [w for w in result.warnings if w.kind == "missing_period"]
    assert len(missing) == 1 and "tablet" in missing[0].message and "2026-08-31" in missing[0].message


def test_a_later_step_larger_than_an_earlier_one_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "weekly.csv",
        "week_start,visit,cart,order\n2026-01-05,1000,200,50\n2026-01-12,900,180,240\n2026-01-26,950,190,40\n",
    )
    result = compute_funnel(path)
    kinds = Counter(w.kind for w in result.warnings)
    assert kinds["later_step_larger"] == 1 and kinds["missing_period"] == 1
    larger = next(w for w in result.warnings if w.kind == "later_step_larger")
    assert "2026-01-12" in larger.message and "order (240)" in larger.message
    assert larger.steps == ["cart", "order"] and larger.count == 1


def test_uci_sessions_convert_as_published() -> None:
    with UCI.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    result = compute_funnel(UCI, ["sessions", "Revenue"], by="VisitorType")
    assert result.shape == "entity_table"
    assert [s.count for s in result.steps] == [12330, 1908]
    assert result.overall_conversion == pytest.approx(0.1547, abs=1e-4)
    for group in result.breakdown:
        mine = [r for r in rows if r["VisitorType"] == group.value]
        bought = sum(r["Revenue"] == "TRUE" for r in mine)
        assert (group.entrants, group.steps[-1].count) == (len(mine), bought)
    months = compute_funnel(UCI, ["sessions", "Revenue"], by="Month")
    nov = next(g for g in months.breakdown if g.value == "Nov")
    nov_rows = [r for r in rows if r["Month"] == "Nov"]
    assert nov.overall_conversion == pytest.approx(
        sum(r["Revenue"] == "TRUE" for r in nov_rows) / len(nov_rows)
    )


def _log(tmp_path: Path, lines: list[str]) -> Path:
    return write(tmp_path / "log.csv", "user_id,event,timestamp,device\n" + "\n".join(lines) + "\n")


def test_window_edges_order_and_duplicates(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        [
            "a,visit,2026-01-01T00:00:00,mobile",
            "a,order,2026-01-08T00:00:00,mobile",  # exactly t0 + 7 days: counts
            "b,visit,2026-01-01T00:00:00,mobile",
            "b,order,2026-01-08T00:00:01,mobile",  # one second late
            "c,order,2026-01-01T00:00:00,desktop",  # order before the visit does not count
            "c,visit,2026-01-02T00:00:00,desktop",
            "d,visit,2026-01-01T00:00:00,desktop",
            "d,visit,2026-01-01T00:00:00,desktop",  # exact duplicate
            "d,order,2026-01-01T01:00:00,desktop",
            "e,order,2026-01-01T00:00:00,desktop",  # never visited: not an entrant
        ],
    )
    result = compute_funnel(path, ["visit", "order"])
    assert [s.count for s in result.steps] == [4, 2]
    assert result.steps[1].median_seconds_from_previous == pytest.approx((7 * 86400 + 3600) / 2)
    shorter = compute_funnel(path, ["visit", "order"], window_seconds=3600)
    assert [s.count for s in shorter.steps] == [4, 1]


def test_odds_ratios_leave_out_small_groups(tmp_path: Path) -> None:
    lines = []
    for user in range(200):  # 100 mobile (40 order), 96 desktop (76 order), 4 tablet (all order)
        device = "mobile" if user < 100 else "desktop" if user < 196 else "tablet"
        lines.append(f"u{user},visit,2026-01-01T00:00:00,{device}")
        if (device == "mobile" and user < 40) or (device == "desktop" and user < 176) or device == "tablet":
            lines.append(f"u{user},order,2026-01-01T01:00:00,{device}")
    odds = who_drops(_log(tmp_path, lines), ["visit", "order"], 1, properties=["device"])
    assert [o.value for o in odds] == ["mobile", "desktop"]  # tablet: 4 people, under the floor of 25
    mobile = odds[0]
    assert (mobile.converted, mobile.dropped) == (40, 60)
    assert mobile.odds_ratio == pytest.approx((41 / 61) / (81 / 21), rel=1e-3)  # the rest: 80 converted, 20 dropped


def test_errors_name_the_file_and_what_is_there(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="event.s. bogus not in column 'event'.*visit"):
        compute_funnel(EVENTS, ["visit", "bogus"])
    with pytest.raises(QueryError, match="no column names a funnel step.*Weekend, Revenue"):
        compute_funnel(UCI, steps_table=build_step_table({"steps": [{"id": "visit"}, {"id": "order"}]}, "t"))
    with pytest.raises(QueryError, match="no column 'Plan'"):
        compute_funnel(UCI, ["sessions", "Revenue"], by="Plan")
    with pytest.raises(QueryError, match="7d"):
        parse_window("a week")
    assert parse_window("36h") == 36 * 3600


def test_cli_funnel_json_and_text() -> None:
    runner = CliRunner()
    result = runner.invoke(cli.app, ["funnel", str(WEEKLY), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"steps", "overall_conversion", "warnings"} <= set(data)
    assert {"name", "count", "conversion_from_previous"} <= set(data["steps"][0])
    assert data["warnings"][0]["kind"] == "missing_period"
    assert [s["step"] for s in data["steps"]] == STEPS
    text = runner.invoke(cli.app, ["funnel", str(EVENTS), "--steps", "visit,cart,order", "--window", "1d"])
    assert text.exit_code == 0 and "Overall conversion" in text.output
    bad = runner.invoke(cli.app, ["funnel", str(EVENTS), "--steps", "visit,nope"])
    assert bad.exit_code == 2 and "nope" in bad.output
