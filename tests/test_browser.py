"""The HTML search page driven in headless Debian chromium (Playwright) against a real gunicorn server."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# Quiet, sandbox-free flags: the test runs as root in a container with no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOT_DIR = Path(os.environ.get("FOI_SCREENSHOT_DIR", "/tmp"))
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tier: {CHROMIUM} is missing; install Debian's chromium package to run it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tier: playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def _total(page) -> int:
    heading = page.locator("#results-heading").inner_text()
    match = re.match(r"(\d+) results?", heading)
    assert match, heading
    return int(match.group(1))


def _search(page, base_url: str, query: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Words, phrase, reference or section").fill(query)
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("ol.results > li, [role=alert]")
    # A browser submits every form field, the empty ones too; the page must accept that.
    alerts = page.get_by_role("alert")
    assert alerts.count() == 0, f"submitting the form gave an error: {alerts.first.inner_text()!r} ({page.url})"


def test_search_shows_highlighted_results(page, base_url):
    _search(page, base_url, "immigration detention")
    assert "q=immigration+detention" in page.url
    assert page.locator("ol.results > li").count() >= 1
    marks = page.locator("ol.results blockquote mark")
    assert marks.count() >= 1
    assert {t.lower() for t in marks.all_inner_texts()} & {"immigration", "detention"}
    # The query survives the round trip in the form.
    assert page.locator("#q").input_value() == "immigration detention"
    page.screenshot(path=str(SCREENSHOT_DIR / "foi-search-results.png"), full_page=True)


def test_facet_filter_narrows_the_results(page, base_url):
    _search(page, base_url, "information")
    before = _total(page)
    heading = page.locator("nav.facets h2", has_text="Doc type")
    link = page.locator("nav.facets h2:text-is('Doc type') + ul a").first
    assert heading.count() == 1 and link.count() == 1
    value = link.inner_text().strip()
    count = int(re.search(r"\((\d+)\)", link.locator("xpath=..").inner_text()).group(1))
    link.click()
    page.wait_for_selector("nav.facets a[aria-current='true']")
    assert f"doc_type={value}" in page.url
    assert _total(page) == count <= before
    metas = page.locator("ol.results > li p.meta").all_inner_texts()
    assert metas and all(m.startswith(value.replace("_", " ")) for m in metas)
    page.screenshot(path=str(SCREENSHOT_DIR / "foi-search-facet.png"), full_page=True)


def test_pagination_and_opening_a_document(page, base_url):
    page.goto(f"{base_url}/?q=appeal&per_page=1")
    first_title = page.locator("ol.results > li h3").inner_text()
    assert page.locator("#results-heading").inner_text().endswith("page 1 of " + str(_total(page)))
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "page 2 of" in page.locator("#results-heading").inner_text()
    assert page.locator("ol.results > li h3").inner_text() != first_title
    assert page.locator("a[rel='prev']").count() == 1
    title = page.locator("ol.results > li h3").inner_text()
    page.locator("ol.results > li").get_by_role("link", name="metadata (JSON)").click()
    page.wait_for_url(re.compile(r"/api/documents/[^/?]+$"))
    record = json.loads(page.locator("body").inner_text())
    assert record["title"] == title and record["text"]


def test_bad_input_shows_an_accessible_error(page, base_url):
    page.goto(f"{base_url}/")
    page.fill("#date_from", "2024-05-01")
    page.fill("#date_to", "2020-01-01")
    page.get_by_role("button", name="Search").click()
    alert = page.get_by_role("alert")
    assert "date_from" in alert.inner_text()
