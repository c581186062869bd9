"""The app in a real browser: Debian's headless chromium driven by Playwright, offline, on loopback.

Loads the page, asks the drop-off question, opens a citation, drafts a map, sees the grid and the
emotion chart, opens an item's evidence, and downloads the PNG; checks the map's layout at 1440x900
and on a 390 px phone, and that the workspace, chat and map survive a reload. Screenshots of each
view go to test-artifacts/screens/; on failure a screenshot of the page goes to test-artifacts/.
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


DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def viewport() -> dict[str, int]:
    return DESKTOP


@pytest.fixture
def page(app_url: str, request: pytest.FixtureRequest, viewport: dict[str, int]) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no browser at {CHROMIUM}: `make test` installs Debian's chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        phone = viewport["width"] < 600
        context = browser.new_context(
            accept_downloads=True, viewport=viewport, is_mobile=phone, has_touch=phone
        )
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
    tab.locator("#ja-references [data-testid='cell-0-1']").click()
    expect(tab.locator("#ja-evidence")).to_contain_text("analytics", timeout=30_000)

    tab.get_by_role("tab", name="Map").click()
    tab.locator("#ja-draft").click()
    expect(tab.locator(".ja-grid")).to_be_visible(timeout=180_000)
    expect(tab.locator("svg.ja-curve >> nth=0")).to_be_visible()
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


def screen(tab: object, name: str) -> None:
    """Save a screenshot of the viewport as a user sees it (the README's come from these)."""
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(folder / f"{name}.png"))  # type: ignore[attr-defined]


def draft_in_map_tab(tab: object) -> None:
    from playwright.sync_api import expect

    expect(tab.get_by_text("Journey Assistant").first).to_be_visible(timeout=60_000)  # type: ignore[attr-defined]
    tab.get_by_role("tab", name="Map").click()  # type: ignore[attr-defined]
    tab.locator("#ja-draft").click()  # type: ignore[attr-defined]
    expect(tab.locator(".ja-persona").first).to_be_visible(timeout=180_000)  # type: ignore[attr-defined]


def box(locator: object) -> dict[str, float]:
    found = locator.bounding_box()  # type: ignore[attr-defined]
    assert found is not None, f"{locator} has no box: not rendered"
    return found


def test_the_map_fits_the_screen_with_its_curve_in_the_stage_columns(page: object) -> None:
    from playwright.sync_api import expect

    tab = page
    draft_in_map_tab(tab)
    screen(tab, "map-1440")
    expect(tab.locator(".ja-persona")).to_contain_text("Frustrations")
    heads = tab.locator(".ja-grid th[data-stage]")
    dots = tab.locator(".ja-grid line.ja-dot")
    assert heads.count() == 7 and dots.count() == 7
    for i in range(heads.count()):
        column, dot = box(heads.nth(i)), box(dots.nth(i))
        assert column["x"] >= 0 and column["x"] + column["width"] <= DESKTOP["width"], (
            f"stage {i} is off-screen"
        )
        centre = dot["x"] + dot["width"] / 2
        assert column["x"] < centre < column["x"] + column["width"], f"point {i} is outside its stage column"
    # The curve sits right under the stage headers: the first lane comes after it.
    assert box(tab.locator(".ja-curve-row"))["y"] - (box(heads.nth(0))["y"] + box(heads.nth(0))["height"]) < 2

    # A click far down the grid opens its evidence beside it, inside the screen.
    item = tab.locator(".ja-grid .ja-item[data-path*='opportunities']").first
    item.scroll_into_view_if_needed()
    item.click()
    drawer = tab.locator("#ja-item-evidence")
    expect(drawer).to_contain_text("Opportunities", timeout=30_000)
    tab.wait_for_function(  # the drawer slides in
        "() => { const r = document.querySelector('#ja-item-evidence').getBoundingClientRect();"
        " return r.right <= window.innerWidth + 1 && r.top >= 0 && r.top < window.innerHeight; }",
        timeout=10_000,
    )
    screen(tab, "map-evidence-drawer")

    # A finding, chosen under the grid, highlights its item on screen and opens in the drawer.
    tab.locator("#ja-findings [data-testid='cell-0-1']").click()
    expect(drawer).to_contain_text("·", timeout=30_000)
    highlighted = tab.locator(".ja-grid .ja-selected").first
    expect(highlighted).to_be_visible(timeout=30_000)
    expect(highlighted).to_be_in_viewport(timeout=10_000)


@pytest.mark.parametrize("viewport", [PHONE])
def test_on_a_phone_the_stages_are_a_list_with_a_legible_mood(page: object) -> None:
    from playwright.sync_api import expect

    tab = page
    draft_in_map_tab(tab)
    expect(tab.locator(".ja-grid")).to_be_hidden()
    cards = tab.locator(".ja-stage-card")
    assert cards.count() == 7
    expect(cards.first).to_be_visible()
    assert box(cards.first)["width"] <= PHONE["width"]
    mood = tab.locator(".ja-stage-card .ja-mood").first
    size = float(mood.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 12, f"the stage's emotion is drawn at {size}px"
    cards.nth(2).evaluate("e => e.scrollIntoView({block: 'start'})")
    screen(tab, "map-phone")


def test_workspace_chat_and_map_survive_a_reload(page: object) -> None:
    from playwright.sync_api import expect

    tab = page
    draft_in_map_tab(tab)
    tab.get_by_role("tab", name="Chat").click()
    box_ = tab.locator("#ja-message textarea")
    box_.fill("what do customers say about delivery tracking?")
    box_.press("Enter")
    chat = tab.locator("#ja-chat")
    expect(chat).to_contain_text("delivery", timeout=120_000)
    expect(tab.locator("#ja-references")).to_contain_text("1", timeout=30_000)
    asked = chat.inner_text()

    tab.reload()
    expect(tab.get_by_text("Journey Assistant").first).to_be_visible(timeout=60_000)
    expect(chat).to_contain_text("what do customers say about delivery tracking?", timeout=30_000)
    assert len(chat.inner_text()) >= len(asked) * 0.9
    tab.get_by_role("tab", name="Map").click()
    expect(tab.locator(".ja-persona").first).to_be_visible(timeout=30_000)

    # A workspace made in the app is still listed after a reload, though nothing is in it yet.
    tab.get_by_label("New workspace").fill("kept-after-reload")
    tab.get_by_role("button", name="Create").click()
    expect(tab.get_by_text("Workspace kept-after-reload").first).to_be_visible(timeout=30_000)
    expect(tab.locator("#ja-chat")).to_contain_text("conversation about", timeout=30_000)
    expect(tab.locator(".ja-persona")).to_have_count(0)  # the other workspace's map is closed
    tab.reload()
    expect(tab.get_by_text("Workspace kept-after-reload").first).to_be_visible(timeout=60_000)
    tab.locator("#ja-workspace input").click()
    expect(tab.get_by_role("option", name="default", exact=True)).to_be_visible()
    expect(tab.get_by_role("option", name="kept-after-reload", exact=True)).to_be_visible()


def test_the_html_export_opens_an_items_evidence_with_no_server(sample: object, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from assistant.web.exports import export_map
    from assistant.web.references import cited_ids
    from assistant.workflow import draft_map

    journey_map = draft_map(sample, title="Shared file").journey_map  # type: ignore[arg-type]
    records = {r.id: r for r in sample.store.get("default", cited_ids(journey_map))}  # type: ignore[attr-defined]
    page_file = export_map(journey_map, "html", tmp_path, records)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        tab = browser.new_page(viewport=DESKTOP)
        tab.goto(page_file.as_uri())
        item = tab.locator(".ja-grid .ja-item[data-path*='pain_points'] a.ja-link").first
        item.click()
        panel = tab.locator(".ja-ev:target")
        expect(panel).to_be_visible(timeout=10_000)
        expect(panel).to_contain_text("Pain points")
        expect(panel.locator(".ja-source").first).to_contain_text("·")
        screen(tab, "html-export-evidence")
        panel.locator(".ja-close").click()
        expect(tab.locator(".ja-ev:target")).to_have_count(0)
        browser.close()


def test_an_edit_is_saved_as_a_named_version_and_reviewed_again(page: object) -> None:
    from playwright.sync_api import expect

    tab = page
    draft_in_map_tab(tab)
    tab.locator(".ja-grid .ja-item[data-path='stages[2].pain_points[0]']").click()
    text = tab.locator("#ja-edit-text textarea")
    expect(text).not_to_have_value("", timeout=30_000)
    text.fill("Delivery fees appear only at the last step")
    tab.locator("#ja-edit-find").click()
    offered = tab.locator("#ja-edit-evidence label")
    expect(offered.first).to_be_visible(timeout=30_000)
    offered.first.click()
    tab.locator("#ja-version-name textarea").fill("after the browser workshop")
    tab.locator("#ja-edit-save").click()
    expect(tab.locator("#ja-edit-status")).to_contain_text(
        "“after the browser workshop” and reviewed again", timeout=60_000
    )
    edited = tab.locator(".ja-grid .ja-item[data-path='stages[2].pain_points[0]']")
    expect(edited).to_contain_text("Delivery fees appear only at the last step")
    expect(edited).to_contain_text("yours")
    expect(tab.locator("#ja-review-summary")).to_contain_text("grounded share")
    screen(tab, "map-edit")

    tab.get_by_role("tab", name="Versions").click()
    tab.get_by_role("button", name="Refresh").click()
    tab.locator("#ja-version-pick input").click()
    named = tab.get_by_role("option", name=re.compile(r"· after the browser workshop$")).first
    expect(named).to_be_visible(timeout=30_000)
    named.click()
    tab.get_by_role("button", name="Show differences").click()
    expect(tab.locator("#ja-diff")).to_contain_text("Delivery fees appear only at the last step", timeout=30_000)
    screen(tab, "versions")


def test_a_follow_up_in_the_chat_says_which_answer_it_narrows(page: object) -> None:
    from playwright.sync_api import expect

    tab = page
    expect(tab.get_by_text("Journey Assistant").first).to_be_visible(timeout=60_000)
    box_ = tab.locator("#ja-message textarea")
    box_.fill("why do customers drop off at checkout?")
    box_.press("Enter")
    chat = tab.locator("#ja-chat")
    expect(chat).to_contain_text("Takeaway:", timeout=120_000)
    expect(chat).to_contain_text("references, listed under the chat", timeout=60_000)
    box_.fill("and on mobile?")
    box_.press("Enter")
    expect(chat).to_contain_text("Read as a follow-up of", timeout=120_000)
    expect(chat).to_contain_text("Engine: offline", timeout=60_000)
    chat.evaluate(  # show the follow-up's answer from its takeaway, as a reader starts it
        "e => { const t = [...e.querySelectorAll('strong')].filter(s => s.textContent.startsWith('Takeaway'));"
        " const hit = t[t.length - 1];"
        " const box = [...e.querySelectorAll('*')].find(x => x.scrollHeight > x.clientHeight + 10"
        " && /auto|scroll/.test(getComputedStyle(x).overflowY));"
        " if (box) box.scrollTop += hit.getBoundingClientRect().top - box.getBoundingClientRect().top - 36;"
        " window.scrollTo(0, 0); }"
    )
    screen(tab, "chat-follow-up")
