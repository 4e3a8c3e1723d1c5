"""Safety of the HTML pages: security headers, escaping of a hostile document everywhere, errors, page weight."""
from __future__ import annotations

import re

import pytest

from tests.sample_corpus import HOSTILE_TEXT

HOSTILE_ID = "responses-eastmoor-pothole-repairs"
# Any element carrying an event-handler attribute, e.g. <img onerror=...> or <a onmouseover=...>.
EVENT_HANDLER_TAG = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
PAGE_WEIGHT_LIMIT = 100_000


def _assert_no_active_markup(text: str) -> None:
    assert "<script" not in text.lower()
    assert "<img" not in text.lower()
    assert not EVENT_HANDLER_TAG.search(text), EVENT_HANDLER_TAG.search(text).group(0)
    # No inline styles either: the policy allows only the stylesheet.
    assert "<style" not in text and " style=" not in text


def _assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "script-src 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")


@pytest.mark.parametrize("method,url,status", [
    ("get", "/", 200),
    ("get", "/?q=pothole", 200),
    ("get", "/documents/tribunal-ea-2019-0154", 200),
    ("get", "/similar", 200),
    ("post", "/similar", 400),
    ("get", "/documents/no-such-document", 404),
    ("get", "/?date_from=soon", 400),
    ("delete", "/", 405),
    ("get", "/static/style.css", 200),
])
def test_html_responses_carry_the_security_headers(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    _assert_security_headers(response)
    if response.mimetype == "text/html":
        _assert_no_active_markup(response.get_data(as_text=True))


@pytest.mark.parametrize("url,status", [
    ("/api/search?q=appeal", 200), ("/api/health", 200), ("/api/documents/nope", 404), ("/api/search?page=0", 400),
])
def test_json_responses_carry_nosniff(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.mimetype == "application/json"
    _assert_security_headers(response)


def test_original_file_keeps_its_sandbox_policy(client):
    response = client.get(f"/api/documents/{HOSTILE_ID}/file")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_document_is_in_the_index(reader):
    record = reader.document(HOSTILE_ID)
    assert record and "<script>alert(1)</script>" in record["title"]
    assert "onmouseover=" in "".join(page["text"] for page in reader.pages(HOSTILE_ID))


def test_hostile_document_is_escaped_in_search_results(client):
    # Unfolded: another council's answer to the same request may rank first and take the hostile one under it.
    text = client.get("/", query_string={"q": "pothole repair records", "mode": "keyword",
                                         "group_requests": "false"}).get_data(as_text=True)
    assert f'href="/documents/{HOSTILE_ID}?q=' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    _assert_no_active_markup(text)


def test_hostile_document_facets_and_browse_are_escaped(client):
    text = client.get("/", query_string={"q": "", "authority": "Eastmoor Borough Council"}).get_data(as_text=True)
    assert "1 result" in text and "&lt;script&gt;" in text
    _assert_no_active_markup(text)


def test_hostile_document_page_is_escaped(client):
    plain = client.get(f"/documents/{HOSTILE_ID}").get_data(as_text=True)
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; Pothole" in plain
    assert "&lt;a href=&quot;#&quot; onmouseover=alert(1)&gt;click&lt;/a&gt;" in plain
    _assert_no_active_markup(plain)
    # Highlighting the markup's own words must not let it out either.
    marked = client.get(f"/documents/{HOSTILE_ID}", query_string={"q": "script img onerror onmouseover"})
    text = marked.get_data(as_text=True)
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in text
    assert "&lt;a href=&quot;#&quot; <mark>onmouseover</mark>=alert(1)&gt;" in text
    _assert_no_active_markup(text)


def test_hostile_text_is_escaped_on_the_similar_page(client):
    response = client.post("/similar", data={"text": HOSTILE_TEXT, "k": "5"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'href="/documents/{HOSTILE_ID}"' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    _assert_no_active_markup(text)


def test_every_document_page_is_escaped(client, reader):
    # The hostile response turns up in other documents' linked-decision panels (as a similar document).
    linked_from = []
    for doc_id in reader.documents:
        text = client.get(f"/documents/{doc_id}").get_data(as_text=True)
        _assert_no_active_markup(text)
        panel = text[text.index('id="linked-heading"'):text.index('<section class="text"')]
        if doc_id != HOSTILE_ID and f'href="/documents/{HOSTILE_ID}"' in panel:
            linked_from.append(doc_id)
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert linked_from


def test_the_hostile_request_is_escaped_where_its_answers_are_grouped(client, reader):
    """Another council answered the same pasted request: its cluster page, the document pages' same-request
    tables and the grouped search show the markup as text."""
    cluster = client.get(f"/api/documents/{HOSTILE_ID}").get_json()["request_cluster"]
    assert cluster is not None
    page = client.get(f"/requests/{cluster}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Please provide the pothole repair records" in page
    _assert_no_active_markup(page)
    members = [row["id"] for row in client.get(f"/api/requests/{cluster}").get_json()["documents"]]
    assert HOSTILE_ID in members and len(members) == 2
    for doc_id in members:
        text = client.get(f"/documents/{doc_id}").get_data(as_text=True)
        assert "same-request-heading" in text and f'href="/documents/{HOSTILE_ID}"' in text
        _assert_no_active_markup(text)
    search = client.get("/", query_string={"q": "pothole repair records"}).get_data(as_text=True)
    assert f'href="/requests/{cluster}">and 1 other authority answered this request' in search
    _assert_no_active_markup(search)


def test_unexpected_error_is_the_html_500_page(client, monkeypatch):
    import service.pages

    def broken(_args):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service.pages, "search_context", broken)
    response = client.get("/", query_string={"q": "appeal"})
    assert response.status_code == 500 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "secret internal detail" not in text and "Traceback" not in text and 'role="alert"' in text
    _assert_security_headers(response)


def test_empty_search_page_weighs_under_100_kb(client):
    page = client.get("/")
    text = page.get_data(as_text=True)
    assets = re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', text)
    assert assets and all(a.startswith("/static/") for a in assets)
    weight = len(page.data) + sum(len(client.get(a).data) for a in assets)
    assert weight < PAGE_WEIGHT_LIMIT, weight
