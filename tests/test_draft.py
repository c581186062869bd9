"""Offline drafting on the bundled sample knowledge base, end to end, through the CLI too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import cli
from assistant.context import Journey
from assistant.maps.citations import cited_items, find_problems
from assistant.maps.drafting import map_store
from assistant.maps.models import JourneyMap
from assistant.workflow import draft_map

pytestmark = pytest.mark.slow
LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities", "kpis")


@pytest.fixture(scope="module")
def drafted(sample: Journey) -> JourneyMap:
    return draft_map(sample, title="Sample map").journey_map


def texts(journey: Journey) -> dict[str, str]:
    return {i: t for i, t, _ in journey.store.iter_all("default")}


def test_every_stage_has_every_component(drafted: JourneyMap) -> None:
    assert [s.name for s in drafted.stages] == [
        "awareness",
        "consideration",
        "purchase",
        "delivery",
        "use",
        "support",
        "loyalty",
    ]
    for stage in drafted.stages:
        for lane in LANES:
            assert getattr(stage, lane), f"{stage.name} has no {lane}"
        assert stage.emotion is not None and stage.owner is not None
        assert -1 <= stage.emotion.score <= 1


def test_every_data_item_cites_verbatim_evidence(drafted: JourneyMap, sample: Journey) -> None:
    assert find_problems(drafted, texts(sample)) == []
    data_items = [item for _, item in cited_items(drafted) if item.basis == "data"]
    assert len(data_items) > 50
    assert all(item.evidence for item in data_items)


def test_planted_checkout_causes_are_purchase_pain_points(drafted: JourneyMap) -> None:
    purchase = next(s for s in drafted.stages if s.name == "purchase")
    pains = {p.text: p.frequency for p in purchase.pain_points}
    delivery_cost = next(f for t, f in pains.items() if "Delivery cost" in t)
    assert delivery_cost is not None and 0.25 <= delivery_cost.share <= 0.42  # planted: 34.6%
    assert any("account" in t.lower() for t in pains) and any("Payment" in t for t in pains)
    shares = [f.share for f in pains.values() if f]
    assert shares == sorted(shares, reverse=True)
    assert purchase.emotion is not None and purchase.emotion.score < 0
    assert any(o.addresses and "Delivery cost" in o.addresses for o in purchase.opportunities)


def test_kpis_take_values_from_the_funnel_export(drafted: JourneyMap) -> None:
    purchase = next(s for s in drafted.stages if s.name == "purchase")
    valued = [k for k in purchase.kpis if k.value]
    assert valued and all(k.basis == "data" and k.evidence for k in valued)
    # The weekly export: cart->checkout 71.2%, payment->order 81.1%.
    assert {k.value for k in valued} >= {"71.2%", "81.1%"}


def test_owner_and_unvoiced_traits_are_assumptions(drafted: JourneyMap) -> None:
    assert all(s.owner is not None and s.owner.basis == "assumption" for s in drafted.stages)
    assert any(t.category == "demographic" and t.basis == "data" for t in drafted.persona.traits)


def test_redrafting_the_same_title_adds_a_version_when_the_map_changes(
    sample: Journey, drafted: JourneyMap
) -> None:
    same = draft_map(sample, title="Sample map")
    assert same.journey_map.version == drafted.version  # the same evidence, the same map: not saved again
    assert same.warnings[-1] == f"Nothing changed since version {drafted.version}: it was not saved again."
    again = draft_map(sample, title="Sample map", scope="online orders, UK").journey_map
    assert again.id == drafted.id and again.version == drafted.version + 1
    versions = [v.version for v in map_store(sample).list() if v.map_id == drafted.id]
    assert versions == sorted(versions) and len(versions) >= 2
    assert map_store(sample).load(drafted.id, drafted.version).stages[2].name == "purchase"


def test_cli_draft_json_markdown_maps_and_personas(
    sample: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_journey", lambda: sample)
    runner = CliRunner()
    result = runner.invoke(
        cli.app, ["draft", "--stages", "purchase,delivery", "--out", str(tmp_path / "m.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [s["name"] for s in body["stages"]] == ["purchase", "delivery"]
    for key in ("persona", "stages", "engine", "version", "sources"):
        assert key in body
    item = body["stages"][0]["pain_points"][0]
    assert set(item) >= {"text", "basis", "evidence", "frequency"}
    assert set(item["evidence"][0]) == {"evidence_id", "quote"}
    assert json.loads((tmp_path / "m.json").read_text())["id"] == body["id"]
    result = runner.invoke(cli.app, ["draft", "--out", str(tmp_path / "m.md"), "--title", "Markdown map"])
    assert result.exit_code == 0, result.output
    assert "| pain points |" in (tmp_path / "m.md").read_text()
    assert "rest on cited data" in result.stdout
    listing = json.loads(runner.invoke(cli.app, ["maps", "--json"]).stdout)["maps"]
    assert {m["title"] for m in listing} >= {"Markdown map"}
    personas = json.loads(runner.invoke(cli.app, ["personas", "--json"]).stdout)["personas"]
    assert 1 <= len(personas) <= 4 and all(p["traits"] for p in personas)
    name = personas[0]["name"]
    result = runner.invoke(cli.app, ["draft", "--persona", name, "--stages", "purchase", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["persona"]["name"] == name
    free = runner.invoke(cli.app, ["draft", "--persona", "mobile shoppers", "--stages", "purchase", "--json"])
    assert free.exit_code == 0, free.output
    assert "mobile" in json.loads(free.stdout)["persona"]["summary"].lower()
    bad = runner.invoke(cli.app, ["draft", "--stages", "teleport"])
    assert bad.exit_code == 2 and "unknown stage" in bad.output
