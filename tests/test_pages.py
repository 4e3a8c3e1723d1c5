"""The HTML search page: same engine and parameters as the API, facets, filters, pages, warnings and empty results."""
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


def _hrefs(text: str, pattern: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'href="({pattern})"', text)]


def test_empty_page_shows_an_accessible_form(client):
    text = _page(client)
    assert '<html lang="en">' in text and 'role="search"' in text
    assert '<label for="q">' in text and 'id="q"' in text
    assert 'class="skip" href="#main"' in text and '<main id="main"' in text and "<h1>" in text
    assert text.count('type="radio" name="mode"') == 3 and "<legend>Mode</legend>" in text
    for control in ("date_from", "date_to", "sort"):
        assert f'<label for="{control}">' in text and f'id="{control}"' in text
    assert '<ol class="results"' not in text


def test_results_match_the_api_and_link_to_document_pages(client):
    api = client.get("/api/search", query_string={"q": "immigration detention", "per_page": 5}).get_json()
    text = _page(client, q="immigration detention", per_page=5)
    for result in api["results"]:
        assert html.escape(result["title"], quote=False) in text
        assert f'href="{result["file_url"]}"' in text
        assert f'href="/documents/{result["id"]}?q=immigration+detention"' in text
    assert "<mark>" in text
    assert f"{api['total']} result" in text


def test_result_badges_and_snippet_page_links(client):
    text = _page(client, q="EA/2019/0154", mode="keyword")
    first = text[text.index('<ol class="results"'):].split("</article>", 1)[0]
    for badge in ("Tribunal decision", "Home Office", "2020-03-12", "EA/2019/0154", "FOI 35(1)(a)", "dismissed"):
        assert f">{badge}</" in first, badge
    assert re.search(r'href="/documents/tribunal-ea-2019-0154\?q=[^"#]+#page-\d+"', first)


def test_facets_are_links_that_filter_and_count(client):
    text = _page(client, q="information")
    assert all(f"<h3>{label}</h3>" in text for label in ("Document type", "Authority", "Section", "Year"))
    link = re.search(r'<a href="(/\?[^"]*doc_type=([a-z_]+)[^"]*)">[^<]+</a> <span class="count">(\d+)', text)
    assert link
    filtered = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert 'aria-current="true"' in filtered
    assert f"{link.group(3)} result" in filtered


def test_year_facet_sets_a_date_range(client):
    text = _page(client, q="appeal")
    year = re.search(r'href="([^"]*date_from=(\d{4})-01-01[^"]*)"', text)
    assert year and f"date_to={year.group(2)}-12-31" in year.group(1)
    filtered = client.get(html.unescape(year.group(1))).get_data(as_text=True)
    assert re.search(rf'aria-current="true"><strong>{year.group(2)}</strong>', filtered)


def test_pagination_links(client):
    first = _page(client, q="information", per_page=1)
    next_link = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_link and "page=2" in next_link.group(1)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1<' in first
    second = client.get(html.unescape(next_link.group(1))).get_data(as_text=True)
    assert 'rel="prev"' in second and "page 2 of" in second


def test_page_past_the_end_offers_the_first_page(client):
    text = _page(client, q="information", page=500)
    assert "past the last page" in text


def test_every_state_is_a_get_url(client):
    params = {"q": "public interest", "mode": "keyword", "sort": "date_desc", "doc_type": "tribunal_decision",
              "date_from": "2000-01-01", "date_to": "2024-12-31"}
    text = _page(client, **params)
    assert 'method="get"' in text
    assert 'value="keyword" checked' in text and 'value="date_desc" selected' in text
    assert 'name="doc_type" value="tribunal_decision"' in text
    for href in _hrefs(text, r"/\?[^\"]*page=2[^\"]*"):
        assert all(f"{k}=" in href for k in params)


def test_syntax_warning_is_explained(client):
    text = _page(client, q='"unbalanced quote AND', mode="keyword")
    assert 'class="notice" role="status"' in text and "not understood" in text


def test_empty_result_suggests_what_to_loosen(client):
    text = _page(client, q="public interest", mode="keyword", doc_type="request_thread", authority="Home Office")
    assert "0 results" in text and "These changes would find documents" in text
    loosen = text[text.index('class="loosen"'):]
    assert "Remove authority: Home Office" in loosen and "Remove every filter" in loosen
    for href in _hrefs(loosen, r"/\?[^\"]+"):
        assert client.get(href).get_data(as_text=True).count("0 results") == 0


@pytest.mark.parametrize("mode", ["keyword", "hybrid", "semantic"])
def test_filters_matching_nothing_give_no_results(engine, mode):
    # Whoosh reads an empty filter set as "no filter"; the page's empty-result advice depends on this holding.
    result = engine.search({"q": "public interest", "mode": mode, "doc_type": "request_thread",
                            "authority": "Home Office"})
    assert result["total"] == 0 and result["results"] == []


def test_query_is_escaped(client):
    text = _page(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text


def test_bad_parameters_render_an_html_error(client):
    response = client.get("/", query_string={"per_page": 1000, "date_from": "soon"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "per_page" in text and "date_from" in text and 'role="alert"' in text


@pytest.mark.parametrize("url", ["/?q=%00", "/?q=%FF%FE", "/documents/x%00y", "/similar?text=a%00"])
def test_nul_and_invalid_utf8_in_the_url_render_an_html_error(client, url):
    response = client.get(url)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "invalid characters in the request URL" in response.get_data(as_text=True)


def test_a_scan_ocr_could_not_read_is_badged_as_unread(client):
    text = _page(client, q="", per_page=50)
    assert '<li class="badge">scan, text not read</li>' in text
    assert "OCR, 0% confidence" not in text


def test_stray_parameters_are_ignored(client):
    assert _page(client, q="appeal", utm_source="newsletter")


def test_unknown_page_is_html_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("raw,expected", [
    ("a <mark>b</mark> c", "a <mark>b</mark> c"),
    ("x &lt;b&gt; <mark>y</mark>", "x &lt;b&gt; <mark>y</mark>"),
    ("<script>z</script><mark>k</mark>", "&lt;script&gt;z&lt;/script&gt;<mark>k</mark>"),
    ('<mark onmouseover="x">k</mark>', '&lt;mark onmouseover="x"&gt;k</mark>'),
])
def test_safe_snippet_keeps_only_marks(raw, expected):
    assert str(safe_snippet(raw)) == expected
    assert str(safe_snippet(str(safe_snippet(raw)))) == expected


def test_filters_can_be_cleared(client):
    text = _page(client, q="information", doc_type="decision_notice")
    clear = re.search(r'href="([^"]+)">Clear filters', text)
    assert clear and "doc_type" not in html.unescape(clear.group(1)) and "q=information" in clear.group(1)
    remove = re.search(r'href="([^"]+)" aria-label="Remove filter Document type: ICO decision notice"', text)
    assert remove and "doc_type" not in html.unescape(remove.group(1))


def test_browse_without_words_lists_documents_newest_first(client, reader):
    text = _page(client, q="", sort="date_desc", per_page=100)
    assert f"{len(reader.documents)} results" in text
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', text[text.index('<ol class="results"'):])
    assert dates == sorted(dates, reverse=True)


def test_missing_index_page_explains_how_to_build(empty_app):
    response = empty_app.test_client().get("/", query_string={"q": "appeal"})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "python -m indexer build" in response.get_data(as_text=True)
