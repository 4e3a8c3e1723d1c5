"""The HTML search page: same engine and parameters as the API, escaped output, facet and page links."""
from __future__ import annotations

import html
import re

import pytest

from service.pages import safe_snippet


def _page(client, **params) -> str:
    response = client.get("/", query_string=params)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_empty_page_shows_an_accessible_form(client):
    text = _page(client)
    assert '<html lang="en">' in text and 'role="search"' in text
    assert '<label for="q">' in text and 'id="q"' in text
    assert "<ol class=\"results\"" not in text


def test_results_match_the_api(client):
    api = client.get("/api/search", query_string={"q": "immigration detention", "per_page": 5}).get_json()
    text = _page(client, q="immigration detention", per_page=5)
    for result in api["results"]:
        assert html.escape(result["title"], quote=False) in text
        assert f'href="{result["file_url"]}"' in text
    assert "<mark>" in text
    assert f"{api['total']} result" in text


def test_facets_are_links_that_filter(client):
    text = _page(client, q="information")
    links = re.findall(r'href="(/\?[^"]*doc_type=[^"]*)"', text)
    assert links
    filtered = client.get(html.unescape(links[0]))
    assert filtered.status_code == 200
    assert 'aria-current="true"' in filtered.get_data(as_text=True)


def test_pagination_links(client):
    first = _page(client, q="information", per_page=1)
    next_link = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_link and "page=2" in next_link.group(1)
    second = client.get(html.unescape(next_link.group(1))).get_data(as_text=True)
    assert 'rel="prev"' in second


def test_query_is_escaped(client):
    text = _page(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text


def test_bad_parameters_render_an_html_error(client):
    response = client.get("/", query_string={"per_page": 1000, "date_from": "soon"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "per_page" in text and "date_from" in text and 'role="alert"' in text


def test_stray_parameters_are_ignored(client):
    assert _page(client, q="appeal", utm_source="newsletter")


def test_unknown_page_is_html_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("raw,expected", [
    ("a <mark>b</mark> c", "a <mark>b</mark> c"),
    ("x &lt;b&gt; <mark>y</mark>", "x &lt;b&gt; <mark>y</mark>"),
    ("<script>z</script><mark>k</mark>", "&lt;script&gt;z&lt;/script&gt;<mark>k</mark>"),
])
def test_safe_snippet_keeps_only_marks(raw, expected):
    assert str(safe_snippet(raw)) == expected
    assert str(safe_snippet(str(safe_snippet(raw)))) == expected


def test_filters_can_be_cleared(client):
    text = _page(client, q="information", doc_type="decision_notice")
    clear = re.search(r'href="([^"]+)">Clear filters', text)
    assert clear and "doc_type" not in html.unescape(clear.group(1)) and "q=information" in clear.group(1)


def test_missing_index_page_explains_how_to_build(empty_app):
    response = empty_app.test_client().get("/", query_string={"q": "appeal"})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "python -m indexer build" in response.get_data(as_text=True)
