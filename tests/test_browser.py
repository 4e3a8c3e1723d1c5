"""The HTML pages driven in headless Debian chromium (Playwright) against a real gunicorn server.

Screenshots of the search and document pages at 375 and 1280 px go to FOI_SCREENSHOT_DIR (default tests/artifacts).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.sample_corpus import HOSTILE_TEXT, SAME_REQUEST

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# Quiet, sandbox-free flags: the test runs as root in a container with no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOT_DIR = Path(os.environ.get("FOI_SCREENSHOT_DIR", Path(__file__).resolve().parent / "artifacts"))
TIMEOUT_MS = 60_000
WIDTHS = (375, 1280)
HOSTILE_ID = "responses-eastmoor-pothole-repairs"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tier: {CHROMIUM} is missing; install Debian's chromium package to run it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tier: playwright is not installed")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    problems: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The pages must never trip their own Content-Security-Policy or fail to load an asset.
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.dialogs, page.problems = dialogs, problems
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not problems, f"console errors: {problems}"


def _total(page) -> int:
    heading = page.locator("#results-heading").inner_text()
    match = re.match(r"(\d+) results?", heading)
    assert match, heading
    return int(match.group(1))


def _folded(page) -> int:
    """How many matching documents the page shows under another authority's answer to the same request."""
    match = re.search(r"\((\d+) shown under", page.locator("#results-heading").inner_text())
    return int(match.group(1)) if match else 0


def _search(page, base_url: str, query: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Words, phrase, reference or section").fill(query)
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#results-heading, [role=alert]")
    # A browser submits every form field, the empty ones too; the page must accept that.
    alerts = page.get_by_role("alert")
    assert alerts.count() == 0, f"submitting the form gave an error: {alerts.first.inner_text()!r} ({page.url})"


def _screenshots(page, name: str) -> None:
    """Full-page screenshots at each width; at 375 px nothing may stick out sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow}px wide at a {width}px viewport"
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_shows_highlighted_snippets(page, base_url):
    _search(page, base_url, "immigration detention")
    assert "q=immigration+detention" in page.url
    assert page.locator("ol.results > li").count() >= 1
    marks = page.locator("ol.results blockquote mark")
    assert marks.count() >= 1
    assert {t.lower() for t in marks.all_inner_texts()} & {"immigration", "detention"}
    assert page.locator("ol.results blockquote a.page-ref").count() >= 1
    assert page.locator("#q").input_value() == "immigration detention"
    _screenshots(page, "search")


def test_facet_changes_counts_and_results(page, base_url):
    _search(page, base_url, "information")
    before = _total(page)
    before_types = page.locator("nav.facets h3:text-is('Document type') + ul li").all_inner_texts()
    link = page.locator("nav.facets h3:text-is('Document type') + ul a").first
    label = link.inner_text().strip()
    count = int(link.locator("xpath=..").locator(".count").inner_text().split()[0])
    assert count < before, "the first document type should not cover every result"
    link.click()
    page.wait_for_selector("nav.facets a[aria-current='true']")
    assert "doc_type=" in page.url
    assert _total(page) == count
    assert page.locator("nav.facets h3:text-is('Document type') + ul li").all_inner_texts() != before_types
    types = page.locator("ol.results .badge.type").all_inner_texts()
    assert len(types) == min(count - _folded(page), 20) and set(types) == {label}
    # The chip removes the filter again.
    page.get_by_role("link", name=re.compile("Remove filter Document type")).click()
    page.wait_for_selector("#results-heading")
    assert _total(page) == before and "doc_type=" not in page.url


def test_document_shows_linked_decisions(page, base_url):
    _search(page, base_url, "EA/2019/0154")
    page.locator("ol.results > li h3 a").first.click()
    page.wait_for_url(re.compile(r"/documents/tribunal-ea-2019-0154\?q="))
    assert page.get_by_role("heading", level=1).inner_text().endswith("(EA/2019/0154)")
    panel = page.get_by_role("complementary", name="Linked decisions")
    cites = panel.get_by_role("region", name=re.compile("^Cites"))
    assert cites.locator("a", has_text="EA/2006/0006").count() == 1
    appeal = panel.get_by_role("region", name=re.compile("^Appeal"))
    assert "FS50712345" in appeal.inner_text() and "appeal against that notice" in appeal.inner_text()
    assert panel.get_by_role("region", name=re.compile("^Similar")).locator("li.related").count() >= 1
    assert page.locator("section.page mark").count() >= 1
    _screenshots(page, "document")
    # Following a linked decision opens its page, which links back.
    cites.locator("a", has_text="EA/2006/0006").click()
    page.wait_for_url(re.compile(r"/documents/tribunal-ea-2006-0006$"))
    cited_by = page.get_by_role("region", name=re.compile("^Cited by"))
    assert cited_by.locator("a", has_text="EA/2019/0154").count() == 1


def test_search_by_document_form(page, base_url):
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Search by document").first.click()
    page.get_by_label("Text of the letter or complaint").fill(SAME_REQUEST)
    page.get_by_label("How many").select_option("5")
    page.get_by_role("button", name="Find precedents").click()
    page.wait_for_selector("#similar-heading")
    titles = page.locator("ol.results > li h3").all_inner_texts()
    assert len(titles) == 5
    assert any("IC-240101-K3N7" in t for t in titles) and any("Metropolitan Police" in t for t in titles)
    assert page.locator("ol.results blockquote mark").count() >= 1
    page.get_by_role("link", name="Link to these results").click()
    page.wait_for_url(re.compile(r"/similar\?"))
    assert page.locator("ol.results > li h3").all_inner_texts() == titles


def _assert_inert(page) -> None:
    assert page.locator("script").count() == 0, "a <script> element is in the DOM"
    assert page.locator("img, [onerror], [onmouseover], [onclick]").count() == 0


def test_hostile_document_does_not_execute(page, base_url):
    # Unfolded: another council's answer to the same request may rank first and take the hostile one under it.
    page.goto(f"{base_url}/?q=pothole+repair+records&mode=keyword&group_requests=false")
    result = page.locator(f"ol.results > li h3 a[href^=\"/documents/{HOSTILE_ID}?\"]")
    assert "<script>alert(1)</script>" in result.inner_text()
    assert "<img src=x onerror=alert(1)>" in page.locator("ol.results").inner_text()
    _assert_inert(page)
    result.click()
    page.wait_for_url(re.compile(HOSTILE_ID))
    assert page.title().startswith("<script>alert(1)</script>")
    text = page.locator("#page-1 .page-text")
    assert 'onmouseover=alert(1)>click</a>' in text.inner_text()
    text.hover()
    _assert_inert(page)
    page.goto(f"{base_url}/similar")
    page.get_by_label("Text of the letter or complaint").fill(HOSTILE_TEXT)
    page.get_by_role("button", name="Find precedents").click()
    page.wait_for_selector("#similar-heading")
    page.locator("ol.results").hover()
    _assert_inert(page)
    assert not page.dialogs


def test_keyboard_only_search(page, base_url):
    page.goto(f"{base_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q", "the search box is not reachable with Tab"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused search box has no visible focus outline"
    page.keyboard.type("public interest")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=public\+interest"))
    assert _total(page) >= 1
    # On to the first result with the keyboard alone.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('ol.results h3') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('ol.results h3') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator("#linked-heading").count() == 1


def test_bad_input_shows_an_accessible_error(page, base_url):
    page.goto(f"{base_url}/")
    page.fill("#date_from", "2024-05-01")
    page.fill("#date_to", "2020-01-01")
    page.get_by_role("button", name="Search").click()
    alert = page.get_by_role("alert")
    assert "date_from" in alert.inner_text()
    page.problems.clear()  # the 400 status itself is logged as a console error


def test_search_groups_one_request_and_opens_its_answers(page, base_url):
    _search(page, base_url, "drones remote pilot qualification")
    group_line = page.get_by_role("link", name="and 2 other authorities answered this request")
    assert group_line.count() == 1
    drone_titles = page.locator("ol.results > li h3", has_text="Use of drones")
    assert drone_titles.count() == 1, "the three forces' answers should show as one result"
    page.locator("ol.results > li", has=group_line).screenshot(path=str(SCREENSHOT_DIR / "search-grouped-result.png"))
    _screenshots(page, "search-grouped")
    group_line.click()
    page.wait_for_url(re.compile(r"/requests/req-"))
    assert page.get_by_role("heading", level=1).inner_text() == "This request went to 3 authorities"
    table = page.get_by_role("table", name="Answers to this request, by authority")
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    assert [text.split("\n")[0] for text in rows.all_inner_texts()] == [
        "Devon and Cornwall Constabulary", "Lancashire Constabulary", "Merseyside Police"]
    assert "FOI 43(2)" in table.inner_text() and "DCP-FOI-2024-01177" in table.inner_text()
    _screenshots(page, "request-cluster")
    rows.filter(has_text="Merseyside").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/documents/responses-merseyside-police-drones$"))
    section = page.get_by_role("region", name="This request went to 3 authorities")
    assert section.locator("tr[aria-current='page']").inner_text().startswith("Merseyside Police")
    assert section.locator("tbody tr").count() == 3
    section.screenshot(path=str(SCREENSHOT_DIR / "document-same-request.png"))
    _screenshots(page, "document-same-request")
