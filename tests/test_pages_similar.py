"""The search-by-document page: the same precedents as POST /api/similar, evidence, bookmarkable links, errors."""
from __future__ import annotations

import html
import re

from tests.fixtures_service import TEST_BODY_LIMIT
from tests.sample_corpus import SAME_REQUEST


def _ids(text: str) -> list[str]:
    start = text.index('<ol class="results"')
    return re.findall(r'<h3><a href="/documents/([^"?#]+)">', text[start:])


def test_form_is_labelled_and_posts(client):
    response = client.get("/similar")
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert '<label for="text">' in text and '<textarea id="text" name="text"' in text
    assert 'method="post"' in text and '<ol class="results"' not in text
    assert 'aria-current="page">Search by document' in text


def test_posted_text_gives_the_same_precedents_as_the_api(client):
    api = client.post("/api/similar", json={"text": SAME_REQUEST, "k": 5}).get_json()
    response = client.post("/similar", data={"text": SAME_REQUEST, "k": "5", "mode": "hybrid"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert _ids(text) == [r["id"] for r in api["results"]]
    assert {"ico-notices-ic-240101-k3n7", "ico-decision-notice-mps-false-personas"} <= set(_ids(text))
    assert "<mark>" in text and "matches your text" in text
    assert re.search(r'href="/documents/[^"#?]+#page-\d+">p\.&nbsp;\d', text)
    assert html.escape(SAME_REQUEST[:40], quote=False) in text  # the form keeps the text


def test_get_link_reruns_the_search(client):
    posted = client.post("/similar", data={"text": "false social media personas register", "k": "5"})
    link = re.search(r'href="(/similar\?[^"]+)">Link to these results', posted.get_data(as_text=True))
    assert link
    again = client.get(html.unescape(link.group(1)))
    assert again.status_code == 200 and _ids(again.get_data(as_text=True)) == _ids(posted.get_data(as_text=True))


def test_filters_apply(client):
    text = client.post("/similar", data={"text": SAME_REQUEST, "doc_type": "tribunal_decision"}).get_data(as_text=True)
    assert _ids(text) and all(i.startswith("tribunal-") for i in _ids(text))


def test_blank_text_is_an_html_400_with_the_form(client):
    response = client.post("/similar", data={"text": "   ", "k": "5"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert 'role="alert"' in text and "<strong>text</strong>" in text and '<textarea id="text"' in text


def test_too_large_a_body_is_an_html_413(client):
    response = client.post("/similar", data={"text": "word " * TEST_BODY_LIMIT})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert '"error"' not in response.get_data(as_text=True)


def test_other_methods_are_an_html_405(client):
    response = client.put("/similar", data={"text": "x"})
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "Method Not Allowed" in response.get_data(as_text=True)
