"""The document page: metadata, page anchors, highlighted search terms, linked decisions, OCR notices, 404."""
from __future__ import annotations

import re

from service.pages.common import external_url, percent
from service.pages.document import ocr_notice


def _doc(client, doc_id: str, **params) -> str:
    response = client.get(f"/documents/{doc_id}", query_string=params)
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _section(text: str, heading_id: str) -> str:
    start = text.index(f'id="{heading_id}"')
    end = text.find("</section>", start)
    return text[start:end]


def test_metadata_text_and_page_anchors(client, reader):
    text = _doc(client, "tribunal-ea-2019-0154")
    record = reader.document("tribunal-ea-2019-0154")
    assert f"<h1>{record['title']}</h1>" in text
    assert "<dt>Authority</dt><dd>Home Office</dd>" in text and "EA/2019/0154" in text
    assert 'href="/api/documents/tribunal-ea-2019-0154/file">Original file</a>' in text
    pages = reader.pages("tribunal-ea-2019-0154")
    assert len(pages) == 2
    for page in pages:
        assert f'<section class="page" id="page-{page["number"]}"' in text
    body = text[text.index('<section class="text"'):]
    assert "formulation of government policy" in body and "<mark>" not in body


def test_search_terms_are_highlighted_with_match_links(client):
    text = _doc(client, "tribunal-ea-2019-0154", q="public interest")
    page_two = text[text.index('id="page-2"'):]
    assert "<mark>public</mark> <mark>interest</mark>" in page_two
    assert re.search(r'matches? for “public interest”, on page <a href="#page-2">2</a>', text)
    assert 'href="/?q=public+interest"' in text


def test_stemmed_terms_are_highlighted(client):
    text = _doc(client, "tribunal-ea-2019-0154", q="disclosed")
    assert "<mark>disclosure</mark>" in text


def test_query_markup_is_escaped_on_the_document_page(client):
    text = _doc(client, "tribunal-ea-2019-0154", q='"><script>alert(1)</script>')
    assert "<script" not in text and "&lt;script&gt;" in text


def test_linked_decisions_cites_and_appeal(client):
    text = _doc(client, "tribunal-ea-2019-0154")
    assert '<h2 id="linked-heading">Linked decisions</h2>' in text
    cites = _section(text, "rel-cites")
    assert 'href="/documents/tribunal-ea-2006-0006"' in cites and "This document cites <strong>EA/2006/0006" in cites
    assert re.search(r'href="/documents/tribunal-ea-2019-0154#page-2">p\.&nbsp;2<', cites)
    appeal = _section(text, "rel-appeal")
    assert 'href="/documents/ico-notices-fs50712345"' in appeal and "the appeal against that notice" in appeal
    similar = _section(text, "rel-similar")
    assert "Content similarity" in similar and "<mark>" in similar


def test_linked_decisions_from_the_cited_side(client):
    text = _doc(client, "ico-notices-fs50712345")
    appeal = _section(text, "rel-appeal")
    assert 'href="/documents/tribunal-ea-2019-0154"' in appeal and "an appeal against this notice" in appeal
    assert 'href="/documents/tribunal-ea-2019-0154#page-2"' in appeal


def test_same_request_to_another_authority(client):
    text = _doc(client, "ico-notices-ic-240101-k3n7")
    same = _section(text, "rel-same_request")
    assert 'href="/documents/ico-decision-notice-mps-false-personas"' in same
    assert re.search(r"\d+% of the shorter request.s word sequences", same) and "false [social media] persona" in same
    assert "Asked in both:" in same


def test_references_outside_the_corpus_are_shown_as_such(client):
    text = _doc(client, "ico-decision-notice-mps-false-personas")
    external = _section(text, "rel-external")
    assert "<strong>IC-231130-L9K4</strong> — not in this collection" in external
    assert 'href="https://ico.org.uk/media/action-weve-taken/decision-notices/2023/4025846/ic-231130-l9k4.pdf"' in external
    assert "None in this collection." in _section(text, "rel-cited_by")


def test_scan_without_text_has_a_notice(client):
    text = _doc(client, "scans-scanned-decision")
    assert 'role="note"' in text and "scan with no text layer" in text


def test_ocr_notice_from_the_record():
    assert ocr_notice({"needs_ocr": False}) is None
    assert ocr_notice({"ocr": None, "needs_ocr": True}) == {"kind": "needs_ocr"}
    notice = ocr_notice({"ocr": {"mean_confidence": 0.83, "pages": [{"page": 1, "confidence": 0.91},
                                                                    {"page": 2, "confidence": 0.42}]}})
    assert notice == {"kind": "ocr", "confidence": "83%", "low_pages": [2]}
    assert ocr_notice({"ocr": {"mean_confidence": 71.5, "pages": [{"page": 3, "confidence": 12.0}]}})["low_pages"] == [3]
    assert percent(None) == "unknown"


def test_only_plain_web_urls_become_links():
    assert external_url("https://ico.org.uk/a.pdf") == "https://ico.org.uk/a.pdf"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://x.org/\"onmouseover=1", None, ""):
        assert external_url(bad) is None


def test_unknown_document_is_the_html_404_page(client):
    response = client.get("/documents/no-such-document")
    assert response.status_code == 404 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "no-such-document" in text and 'role="alert"' in text and '"error"' not in text
    assert 'href="/">Start a new search</a>' in text
