"""The app in a real browser: Debian's headless chromium driven by Playwright, offline, on loopback.

Loads the page, asks the drop-off question, opens a citation, drafts a map, sees the grid and the
emotion chart, opens an item's evidence, and downloads the PNG. On failure it saves a screenshot to
test-artifacts/ (and says where).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("JOURNEY_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(app_url: str, request: pytest.FixtureRequest) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no browser at {CHROMIUM}: `make test` installs Debian's chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1500, "height": 1100})
        tab = context.new_page()
        tab.goto(app_url)
        yield tab
        if getattr(request.node, "failed", False):
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{request.node.name}.png"
            tab.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
        browser.close()


def test_ask_open_a_citation_draft_see_the_grid_and_download_the_png(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    tab = page
    expect(tab.get_by_text("Journey Assistant").first).to_be_visible(timeout=60_000)
    expect(tab.get_by_text("Engine: offline", exact=False).first).to_be_visible()

    box = tab.locator("#ja-message textarea")
    box.fill("why do customers drop off at checkout?")
    box.press("Enter")
    expect(tab.get_by_text("largest drop-off").first).to_be_visible(timeout=120_000)
    expect(tab.get_by_text("Delivery cost or extra fees revealed late").first).to_be_visible()

    # A citation opens its evidence: source, place and full text.
    tab.locator("#ja-references").get_by_text(re.compile(r"^[0-9a-f]{24}$")).locator(
        "visible=true"
    ).first.click()
    expect(tab.locator("#ja-evidence")).to_contain_text("analytics", timeout=30_000)

    tab.get_by_role("tab", name="Map").click()
    tab.locator("#ja-draft").click()
    expect(tab.locator(".ja-grid")).to_be_visible(timeout=180_000)
    expect(tab.locator("svg.ja-emotion")).to_be_visible()
    assert tab.locator(".ja-grid th").count() >= 8  # the lane column and seven stages

    tab.locator(".ja-item[data-path*='pain_points']").first.click()
    expect(tab.locator("#ja-item-evidence")).to_contain_text("evidence", timeout=30_000)

    tab.locator("#ja-export").click()
    link = tab.locator("#ja-download a").first
    expect(link).to_be_visible(timeout=60_000)
    with tab.expect_download() as download:
        link.click()
    saved = tmp_path / "map.png"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")


def pick(tab: object, elem: str, value: str) -> None:
    """Choose a value in a Gradio dropdown, as a user does: click, type, pick the option."""
    box = tab.locator(f"{elem} input")  # type: ignore[attr-defined]
    box.click()
    box.fill(value)
    tab.get_by_role("option", name=value, exact=True).click()  # type: ignore[attr-defined]


def test_upload_preview_correct_a_role_and_the_kind_then_ingest(page: object, tmp_path: Path) -> None:
    from conftest import write
    from playwright.sync_api import expect
    from test_preview import CALLBACKS, FOCUS_GROUP

    tab = page
    expect(tab.get_by_text("Journey Assistant").first).to_be_visible(timeout=60_000)
    # Its own workspace, created as a user does: the sample stays as it is.
    tab.get_by_label("New workspace").fill("browser-upload")
    tab.get_by_role("button", name="Create").click()
    expect(tab.get_by_text("Workspace browser-upload").first).to_be_visible(timeout=30_000)
    tab.get_by_role("tab", name="Data").click()
    files = [write(tmp_path / "callbacks.csv", CALLBACKS), write(tmp_path / "focus_group.txt", FOCUS_GROUP)]
    tab.locator("#ja-uploads input[type=file]").set_input_files([str(f) for f in files])
    previews = tab.locator("#ja-preview-files")
    expect(previews).to_contain_text("focus_group.txt", timeout=60_000)
    expect(previews).to_contain_text("interview")
    expect(tab.locator("#ja-preview-columns")).to_contain_text("follow_up", timeout=30_000)

    pick(tab, "#ja-preview-column", "follow_up")
    pick(tab, "#ja-preview-role", "company_text")
    tab.locator("#ja-set-role").click()
    expect(tab.locator("#ja-preview-columns")).to_contain_text("set by you", timeout=30_000)
    kind = tab.locator("#ja-preview-kind input").input_value()
    chosen = "ticket" if kind != "ticket" else "survey"
    pick(tab, "#ja-preview-kind", chosen)
    tab.locator("#ja-recheck").click()
    expect(previews).to_contain_text("company records", timeout=30_000)
    expect(previews).to_contain_text("kind set by you")

    tab.locator("#ja-ingest").click()
    results = tab.locator("#ja-ingest-results")
    expect(results).to_contain_text("follow_up = company_text", timeout=120_000)
    expect(results).to_contain_text("focus_group.txt")
    expect(results.get_by_text(chosen, exact=True).first).to_be_visible()
