"""Every funnel shape a BI tool or tracker writes, read by the column roles and the step aliases.

Real files where they exist: OTTO's session events (vendor names clicks/carts/orders, epoch-ms
times), UCI's per-session shoppers table, Fivetran's GA4 event export and Facebook Ads daily seed
(expected values from evals/datasets/ingest/manifest.yaml). No licensed real GA4 daily report with
rate columns was found, so `GA4_DAILY` below is written by hand; its figures are worked out in the
comments. Then the one engine end to end: registered tables reach `ask`, the drafted KPIs and the review.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SHARED, write

from assistant.analysis.stages import load_stage_set
from assistant.ask.service import ask
from assistant.context import Journey
from assistant.errors import ConfigError, QueryError
from assistant.evidence.facts import WorkspaceFacts
from assistant.funnels import compute_funnel
from assistant.funnels.steps import bundled_step_table
from assistant.funnels.workspace import workspace_funnels
from assistant.maps.offline import OfflineDrafter
from assistant.review.data_quality import data_quality_findings

OTTO = SHARED / "event_logs_support_and_shop" / "otto_sessions_sample_events.csv"
UCI = SHARED / "uci_online_shoppers_intention" / "online_shoppers_intention.csv"
FILES = ROOT / "evals" / "datasets" / "ingest" / "files"
GA4_EVENTS = FILES / "fivetran_ga4_export" / "event_data.csv"
FACEBOOK = FILES / "fivetran_facebook_ads" / "facebook_ads_basic_ad_data.csv"
MANIFEST = {
    e["id"]: e for e in yaml.safe_load((ROOT / "evals/datasets/ingest/manifest.yaml").read_text("utf-8"))
}


def _fact(entry: str, kind: str) -> dict:
    return next(f for f in MANIFEST[entry]["facts"] if f["type"] == kind)


def ga4_daily(tmp_path: Path) -> Path:
    """A GA4-style daily report by campaign and device, written by hand.

    Per day and campaign: mobile 1,000 sessions at add_to_cart 3%, begin_checkout 1.5%, purchase 0.5%;
    desktop 500 at 6%, 3.0%, 1.5%. Six days (03-05 missing), two campaigns: 18,000 sessions;
    add-to-carts 30+30 a day-campaign on 4 days = 480 (0% on 03-03 and 03-04: a tracking gap);
    checkouts 15+15 x 12 = 360; purchases 5+7.5 x 12 = 150: 0.83% overall. The mean of the purchase
    rates would say 1.0%, and counting non-zero rows would say 100%.
    """
    rows = [
        "date,campaign,source,medium,device_category,sessions,add_to_cart_rate,begin_checkout_rate,purchase_rate"
    ]
    for day in ("01", "02", "03", "04", "06", "07"):
        for campaign, source, medium in (("spring_sale", "google", "cpc"), ("brand", "newsletter", "email")):
            for device, sessions, cart, checkout, purchase in (
                ("mobile", 1000, "3%", "1.5", "0.5"),
                ("desktop", 500, "6%", "3.0", "1.5"),
            ):
                cart = "0%" if day in ("03", "04") else cart
                rows.append(
                    f"2024-03-{day},{campaign},{source},{medium},{device},{sessions},{cart},{checkout},{purchase}"
                )
    return write(tmp_path / "ga4_daily.csv", "\n".join(rows) + "\n")


def test_a_ga4_daily_report_weights_its_rates_by_sessions(tmp_path: Path) -> None:
    result = compute_funnel(ga4_daily(tmp_path))  # no --steps: the aliases name every column
    assert result.shape == "aggregate"
    assert [(s.name, s.step, s.count) for s in result.steps] == [
        ("sessions", "visit", 18000),
        ("add_to_cart_rate", "cart", 480),
        ("begin_checkout_rate", "checkout", 360),
        ("purchase_rate", "order", 150),
    ]
    assert result.overall_conversion == pytest.approx(150 / 18000)
    assert result.weighted == {
        c: "sessions" for c in ("add_to_cart_rate", "begin_checkout_rate", "purchase_rate")
    }
    assert result.rate("checkout", "order") == pytest.approx(150 / 360)
    assert {"campaign", "source", "medium", "device_category"} <= set(result.dimensions)
    assert result.first_period == "2024-03-01" and result.last_period == "2024-03-07"
    by_device = compute_funnel(ga4_daily(tmp_path), by="device_category")
    mobile = next(g for g in by_device.breakdown if g.value == "mobile")
    assert mobile.entrants == 12000 and mobile.steps[-1].count == 60  # 1,000 x 0.5% x 12


def test_export_warnings_are_summarised_by_period(tmp_path: Path) -> None:
    warnings = {w.kind: w for w in compute_funnel(ga4_daily(tmp_path)).warnings}
    gap = warnings["tracking_gap"]
    assert gap.message == (
        "add_to_cart_rate is 0 on 2 days, from 2024-03-03 to 2024-03-04, while begin_checkout_rate is not: "
        "tracking gap?"
    )
    assert (gap.count, gap.first, gap.last) == (2, "2024-03-03", "2024-03-04")
    larger = warnings["later_step_larger"]  # all 8 rows of the two days, not the first 20 or a sample
    assert larger.count == 8 and "2 days, from 2024-03-03 to 2024-03-04" in larger.message
    assert warnings["missing_period"].message.startswith(
        "no rows between 2024-03-04 and 2024-03-06 (1 day missing"
    )


def test_many_gaps_are_counted_not_capped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "e.csv",
        "date,visit,cart,order\n"
        + "".join(f"2024-02-{d:02d},{100 + d},{0 if d <= 25 else 10},{d % 3 + 1}\n" for d in range(1, 29)),
    )
    gap = next(w for w in compute_funnel(path).warnings if w.kind == "tracking_gap")
    assert (
        gap.count == 25
        and "cart is 0 on 25 days, from 2024-02-01 to 2024-02-25, while order is not" in gap.message
    )
    larger = next(w for w in compute_funnel(path).warnings if w.kind == "later_step_larger")
    assert larger.count == 25  # every row, none dropped


def test_an_ads_report_of_users_per_step(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ads_daily.csv",
        "date,campaign,users,add to cart users,checkout users,orders\n"
        "2024-05-01,a,1000,120,60,40\n2024-05-01,b,500,40,20,10\n2024-05-02,a,1100,130,70,44\n"
        "2024-05-02,b,400,0,18,9\n",
    )
    result = compute_funnel(path)
    assert [s.step for s in result.steps] == ["visit", "cart", "checkout", "order"]
    assert result.overall_conversion == pytest.approx(103 / 3000)  # ~3.4%, not a share of non-zero rows
    assert any(w.kind == "later_step_larger" and "2024-05-02 b" in w.message for w in result.warnings)


def test_the_fivetran_facebook_ads_daily_file() -> None:
    truth = _fact("fivetran_facebook_ads_daily", "funnel")
    result = compute_funnel(FACEBOOK)
    assert [s.name for s in result.steps] == truth["steps"]
    assert [s.step for s in result.steps] == ["impression", "visit"]
    assert result.steps[0].count == _fact("fivetran_facebook_ads_daily", "sum")["value"]
    assert result.overall_conversion == pytest.approx(truth["overall"], abs=5e-4)
    missing = [w for w in result.warnings if w.kind == "missing_period"]
    assert missing and missing[0].first == "2020-12-06"  # 12-02..12-14 with days absent


def test_otto_sessions_vendor_event_names_and_epoch_ms() -> None:
    truth = _fact("otto_session_events", "funnel")
    any_order = compute_funnel(OTTO, window_seconds=0)
    assert [s.name for s in any_order.steps] == truth["steps"]  # clicks, carts, orders
    assert [s.step for s in any_order.steps] == ["visit", "cart", "order"]
    assert [s.count for s in any_order.steps] == [20, 7, 3]
    assert [s.conversion_from_previous for s in any_order.steps[1:]] == pytest.approx(
        truth["transitions"], abs=1e-4
    )
    assert any_order.overall_conversion == pytest.approx(truth["overall"])
    assert (any_order.first_period, any_order.last_period) == ("2022-07-31", "2022-08-28")
    # Ordered within 7 days of the first click, checked here without DuckDB.
    events = defaultdict(list)
    with OTTO.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            events[row["session"]].append((int(row["ts_ms"]) / 1000, row["type"]))
    reached = [0, 0, 0]
    for rows in events.values():
        clicks = [t for t, e in rows if e == "clicks"]
        if not clicks:
            continue
        t0 = at = min(clicks)
        reached[0] += 1
        for k, name in enumerate(("carts", "orders"), start=1):
            later = [t for t, e in rows if e == name and at <= t <= t0 + 7 * 86400]
            if not later:
                break
            at = min(later)
            reached[k] += 1
    ordered = compute_funnel(OTTO)
    assert [s.count for s in ordered.steps] == reached == [20, 4, 2]


def test_segment_style_event_names_and_epoch_ms(tmp_path: Path) -> None:
    rows = ["anonymousId,event,receivedAt,context_device_type"]
    base = 1_717_000_000_000
    for user in range(10):
        rows.append(f"u{user},Product Viewed,{base + user * 1000},{'ios' if user % 2 else 'web'}")
        if user < 6:
            rows.append(f"u{user},Product Added,{base + user * 1000 + 60_000},ios")
        if user < 4:
            rows.append(f"u{user},Checkout Started,{base + user * 1000 + 120_000},ios")
        if user < 2:
            rows.append(f"u{user},Order Completed,{base + user * 1000 + 180_000},ios")
    rows.append(f"u9,Order Completed,{base + 10 * 86400 * 1000},web")  # 10 days later: outside 7 days
    result = compute_funnel(write(tmp_path / "segment.csv", "\n".join(rows) + "\n"))
    assert result.shape == "event_log" and result.entity == "anonymousId"
    assert [(s.step, s.count) for s in result.steps] == [
        ("product", 10),
        ("cart", 6),
        ("checkout", 4),
        ("order", 2),
    ]
    assert result.steps[1].median_seconds_from_previous == pytest.approx(60)


def test_the_ga4_event_export_maps_its_event_names() -> None:
    result = compute_funnel(GA4_EVENTS)
    assert result.shape == "event_log"
    assert [s.step for s in result.steps] == ["product", "cart", "checkout", "order"]
    assert result.steps[2].name == "begin_checkout / checkout"  # two GA4 names, one step
    assert result.first_period == "2024-09-10"


def test_uci_needs_no_steps_and_reports_its_duplicates() -> None:
    result = compute_funnel(UCI)
    assert result.shape == "entity_table"
    assert [(s.name, s.step, s.count) for s in result.steps] == [
        ("rows", "visit", 12330),
        ("Revenue", "order", 1908),
    ]
    assert result.overall_conversion == pytest.approx(
        _fact("uci_online_shoppers", "funnel")["overall"], abs=1e-4
    )
    duplicates = next(w for w in result.warnings if w.kind == "duplicate_rows")
    assert duplicates.count == 125 and "counted once: 15.63%" in duplicates.message
    assert "VisitorType" in result.dimensions


def test_unclear_steps_name_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "date,alpha,beta\n2024-01-01,10,4\n2024-01-02,12,5\n")
    result_or_error = None
    try:
        result_or_error = compute_funnel(path)
    except QueryError as exc:
        result_or_error = str(exc)
    assert isinstance(result_or_error, str) and "alpha" in result_or_error and "--steps" in result_or_error
    assert [s.count for s in compute_funnel(path, ["alpha", "beta"]).steps] == [22, 9]
    helpdesk = SHARED / "event_logs_support_and_shop" / "helpdesk_ticket_events.csv"
    with pytest.raises(
        QueryError, match="cannot tell two funnel steps from the events in column 'activity'.*Closed"
    ):
        compute_funnel(helpdesk)


def test_a_stage_set_brings_its_own_steps_file(tmp_path: Path) -> None:
    write(
        tmp_path / "b2b_steps.yaml",
        "steps:\n  - id: lead\n    aliases: [leads, signups]\n  - id: demo\n    aliases: [demos booked]\n"
        "  - id: deal\n    aliases: [deals won]\n",
    )
    stages = yaml.safe_load((ROOT / "assistant" / "stagesets" / "saas.yaml").read_text(encoding="utf-8"))
    stages["funnel_steps"] = "b2b_steps.yaml"
    for stage in stages["stages"]:
        stage["kpis"] = [
            {k: v for k, v in kpi.items() if not k.startswith("funnel")} for kpi in stage["kpis"]
        ]
    stages["stages"][0]["kpis"][0].update(funnel_from="lead", funnel_to="deal")
    path = write(tmp_path / "b2b.yaml", yaml.safe_dump(stages))
    stage_set = load_stage_set(path)
    assert stage_set.step_table().steps == ("lead", "demo", "deal")
    export = write(tmp_path / "pipeline.csv", "week,leads,demos_booked,deals_won\n2024-01-01,200,40,10\n")
    result = compute_funnel(export, steps_table=stage_set.step_table(), profile=None)
    assert [(s.step, s.count) for s in result.steps] == [("lead", 200), ("demo", 40), ("deal", 10)]
    stages["stages"][0]["kpis"][0]["funnel_to"] = "order"  # not a step of its own file
    with pytest.raises(ConfigError, match=r"unknown funnel step 'order'; use one of lead, demo, deal"):
        load_stage_set(write(tmp_path / "bad.yaml", yaml.safe_dump(stages)))
    assert "cart" in bundled_step_table().steps  # the bundled file is untouched


def test_cli_funnel_without_steps_on_a_rate_export(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assistant import cli

    result = CliRunner().invoke(cli.app, ["funnel", str(ga4_daily(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall_conversion"] == pytest.approx(150 / 18000)
    assert {w["kind"] for w in data["warnings"]} >= {"tracking_gap", "later_step_larger", "missing_period"}


def test_one_engine_from_registered_tables_to_ask_draft_and_review(journey: Journey, tmp_path: Path) -> None:
    report = journey.ingester().ingest([OTTO, ga4_daily(tmp_path), FACEBOOK])
    assert report.ok and {t.shape for t in report.tables} == {"event_log", "aggregate"}
    tables = [Path(str(t["path"])) for t in journey.ingester().journal.tables()]
    funnels = workspace_funnels(tables, bundled_step_table())
    assert {f.source: f.shape for f in funnels} == {
        "otto_sessions_sample_events.csv": "event_log",
        "ga4_daily.csv": "aggregate",
        "facebook_ads_basic_ad_data.csv": "aggregate",
    }
    assert all(Path(f.path + ".funnel.json").is_file() for f in funnels)  # cached beside each table

    answer = ask(journey, None, "why do customers drop off at checkout?", use_llm=False)
    where = [f for f in answer.facts if f.kind == "where"]
    ga4 = [f for f in where if "ga4_daily.csv" in f.label]
    assert any("begin_checkout_rate → purchase_rate" in f.label and "150 of 360" in f.figure for f in ga4)
    assert all("weighted by sessions" in f.label for f in ga4)
    otto = [f for f in where if "otto_sessions_sample_events.csv" in f.label]
    assert otto and any("carts → orders" in f.label and "2 of 4" in f.figure for f in otto)
    quality = [f for f in answer.facts if f.kind == "data_quality"]
    assert any("add_to_cart_rate is 0 on 2 days" in f.figure for f in quality)
    texts = {rid: text for rid, text, _ in journey.store.iter_all("default")}
    for citation in answer.citations:
        assert citation.quote in texts[citation.evidence_id]

    facts = WorkspaceFacts(journey, "default")
    stage_set = facts.analyzer.stage_set
    drafter = OfflineDrafter(stage_set, texts)
    kpis = {k.name: k for k in drafter.kpis(stage_set.get("purchase"), facts.digest)}
    completion = next(k for k in kpis.values() if k.value == f"{150 / 360:.1%}")
    assert completion.basis == "data" and completion.evidence and "ga4_daily.csv" in completion.text
    cart = next(k for k in kpis.values() if k.value == f"{360 / 480:.1%}")
    assert "tracking gap?" in cart.text  # the warning on its steps comes with the figure
    awareness = drafter.kpis(stage_set.get("awareness"), facts.digest)
    assert any(k.value == "0.4%" and "facebook" in k.text for k in awareness)
    findings = data_quality_findings(facts)
    assert any("tracking gap?" in f.message and f.path == "data:ga4_daily.csv" for f in findings)


def test_an_event_log_with_day_first_slashed_times(tmp_path: Path) -> None:
    # 28/06 cannot be month first, so 01/07 is the first of July: a day after 30/06, not in January.
    rows = ["case,activity,time"]
    for case in range(4):
        rows.append(f"c{case},Product Viewed,28/06/2024 10:0{case}")
        if case < 3:
            rows.append(f"c{case},Product Added,30/06/2024 10:00")
        if case < 2:
            rows.append(f"c{case},Order Completed,01/07/2024 10:00")
    result = compute_funnel(write(tmp_path / "log.csv", "\n".join(rows) + "\n"))
    assert [(s.step, s.count) for s in result.steps] == [("product", 4), ("cart", 3), ("order", 2)]
    assert result.steps[2].median_seconds_from_previous == pytest.approx(86400)
