"""Keyword indexes over the seed documents: legal tokens, document ranking, passage hits, incremental updates."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from whoosh import query as wq
from whoosh.highlight import HtmlFormatter
from whoosh.qparser import MultifieldParser, QueryParser

from indexer.analysis import legal_analyzer
from indexer.chunking import chunk_pages
from indexer.keyword import open_keyword_indexes, section_terms, write_keyword_index
from tests.sample_corpus import make_sample_corpus

SECTION = re.compile(r"\bsections? (\d+\(\d+\)(?:\([a-z]\))?)")
AUTHORITY = re.compile(r"^Public Authority:\s*(.+)$", re.MULTILINE)
DATE = re.compile(r"^Date:\s*(\d{1,2} [A-Z][a-z]+ \d{4})$", re.MULTILINE)
REFERENCE = re.compile(r"\b(?:IC-\d{6}-[A-Z0-9]{4}|FS\d{8})\b")


class _Page:
    def __init__(self, number: int, text: str) -> None:
        self.number, self.text = number, text


def _records(texts: dict[str, str]) -> tuple[list[dict], list[dict], dict[str, list[_Page]]]:
    """Document and passage records as BUILD writes them, with metadata read off the text."""
    documents, passages, pages_by_doc = [], [], {}
    for doc_id in sorted(texts):
        pages = [_Page(1, texts[doc_id])]
        chunks = chunk_pages(pages)
        first_line = next(line for line in texts[doc_id].splitlines() if line.strip())
        authority, date = AUTHORITY.search(texts[doc_id]), DATE.search(texts[doc_id])
        documents.append({
            "id": doc_id, "path": f"{doc_id}.txt", "doc_type": "other", "title": first_line.strip(),
            "authority": authority and authority.group(1).strip(),
            "date": date and datetime.strptime(date.group(1), "%d %B %Y").date().isoformat(), "references": list(dict.fromkeys(REFERENCE.findall(texts[doc_id]))),
            "legislation": ["FOIA"], "sections": [f"FOI {s}" for s in dict.fromkeys(SECTION.findall(texts[doc_id]))],
            "outcome": None, "request_text": None, "first_passage": len(passages), "passage_count": len(chunks),
        })
        for ordinal, chunk in enumerate(chunks):
            passages.append({"row": len(passages), "doc_id": doc_id, "ordinal": ordinal, "text": chunk.text,
                             "page_start": chunk.page_start, "page_end": chunk.page_end})
        pages_by_doc[doc_id] = pages
    return documents, passages, pages_by_doc


@pytest.fixture(scope="module")
def seed_texts(tmp_path_factory) -> dict[str, str]:
    """The seed documents plus the plain-text notice of the test sample corpus, keyed by slug."""
    corpus = make_sample_corpus(tmp_path_factory.mktemp("corpus"), bad_inputs=False)
    files = sorted(corpus.rglob("*.txt"))
    return {"-".join(p.relative_to(corpus).with_suffix("").parts).lower(): p.read_text("utf-8") for p in files}


@pytest.fixture(scope="module")
def indexes(tmp_path_factory, seed_texts):
    target = tmp_path_factory.mktemp("kw") / "keyword"
    documents, passages, pages = _records(seed_texts)
    write_keyword_index(target, documents, passages, pages)
    return open_keyword_indexes(target), passages


def _ids(index, q) -> list[str]:
    with index.searcher() as searcher:
        return [hit["id"] for hit in searcher.search(q, limit=None)]


def test_analyzer_keeps_references_whole_and_adds_their_parts():
    text = "relied on section 31(1)(a); see EA/2005/0026, IC-231130-L9K4 and FS50123456. Exemptions applied."
    indexed = {t.text for t in legal_analyzer()(text, mode="index")}
    assert {"31(1)(a)", "31", "31(1)", "ea/2005/0026", "ea", "2005", "0026"} <= indexed
    assert {"ic-231130-l9k4", "231130", "fs50123456", "50123456", "exempt"} <= indexed
    assert "on" not in indexed
    queried = [t.text for t in legal_analyzer()("section 31(1)(a) EA/2005/0026", mode="query")]
    assert queried == ["section", "31(1)(a)", "ea/2005/0026"]


def test_section_terms_cover_every_parent_section():
    assert section_terms("FOI 40(2)") == ["foi 40", "foi 40(2)"]
    assert section_terms("EIR 12(5)(e)") == ["eir 12", "eir 12(5)", "eir 12(5)(e)"]
    assert section_terms("FOI 21") == ["foi 21"]


def test_quoting_keeps_section_numbers_whole_for_the_query_parser(indexes):
    from indexer.keyword import quote_legal_tokens

    assert quote_legal_tokens("section 31(1)(a) prejudice") == 'section "31(1)(a)" prejudice'
    assert quote_legal_tokens('"section 40(2)" and 36(2)(b)(ii)') == '"section 40(2)" and "36(2)(b)(ii)"'
    assert quote_legal_tokens("see [2026] UKFTT 433 (GRC)") == 'see "[2026] UKFTT 433 (GRC)"'
    (doc_index, _), _ = indexes
    parsed = QueryParser("content", doc_index.schema).parse(quote_legal_tokens("31(1)(a)"))
    assert parsed == wq.Term("content", "31(1)(a)")


def test_reference_written_as_in_the_text_finds_exactly_the_documents_that_contain_it(indexes, seed_texts):
    (doc_index, _), _ = indexes
    parser = QueryParser("content", doc_index.schema)
    for reference in sorted({r for t in seed_texts.values() for r in REFERENCE.findall(t)}):
        expected = sorted(d for d, t in seed_texts.items() if reference in t)
        assert sorted(_ids(doc_index, parser.parse(f'"{reference}"'))) == expected, reference


def test_section_number_alone_matches_its_subsections(indexes, seed_texts):
    (doc_index, _), _ = indexes
    expected = sorted(d for d, t in seed_texts.items() if re.search(r"\bsections? 31\b", t, re.IGNORECASE))
    assert expected
    assert sorted(_ids(doc_index, QueryParser("content", doc_index.schema).parse('"section 31"'))) == expected
    with_filter = _ids(doc_index, wq.Term("sections", "foi 31"))
    assert with_filter and set(with_filter) <= set(expected)
    assert _ids(doc_index, wq.Term("sections", "foi 31(1)")) == with_filter


def test_document_ranking_puts_the_document_most_about_the_query_first(indexes, seed_texts):
    (doc_index, _), _ = indexes
    parser = MultifieldParser(["title", "content", "request_text", "authority"], doc_index.schema)
    counts = {d: len(re.findall(r"project alpha", t, re.IGNORECASE)) for d, t in seed_texts.items()}
    ranked = _ids(doc_index, parser.parse('"Project Alpha"'))
    assert ranked[0] == max(counts, key=counts.get)
    assert set(ranked) == {d for d, n in counts.items() if n}


def test_title_field_is_searchable_on_its_own(indexes, seed_texts):
    (doc_index, _), _ = indexes
    parser = QueryParser("title", doc_index.schema)
    for doc_id, text in seed_texts.items():
        title = next(line for line in text.splitlines() if line.strip()).strip()
        words = re.sub(r"[^\w\s]", " ", title)
        assert doc_id in _ids(doc_index, parser.parse(f'"{words}"')), title


def test_metadata_fields_filter_and_sort(indexes, seed_texts):
    (doc_index, _), _ = indexes
    dated = {d: datetime.strptime(m.group(1), "%d %B %Y").date() for d, t in seed_texts.items() if (m := DATE.search(t))}
    authorities = {d: m.group(1).strip() for d, t in seed_texts.items() if (m := AUTHORITY.search(t))}
    assert len(dated) >= 2 and authorities
    for doc_id, authority in authorities.items():
        assert doc_id in _ids(doc_index, wq.Term("authority_exact", authority.lower()))
        assert doc_id in _ids(doc_index, QueryParser("authority", doc_index.schema).parse(authority.split()[-1]))
    for doc_id, day in dated.items():
        assert doc_id in _ids(doc_index, wq.NumericRange("year", day.year, day.year))
    with doc_index.searcher() as searcher:
        hits = searcher.search(wq.Every(), limit=None, sortedby="date", reverse=True)
        by_date = [h["id"] for h in hits if h["id"] in dated]
    assert by_date == sorted(dated, key=lambda d: dated[d], reverse=True)


def test_passage_search_returns_rows_and_highlights(indexes):
    (_, passage_index), passages = indexes
    q = QueryParser("content", passage_index.schema).parse('"false social media personas"')
    with passage_index.searcher() as searcher:
        results = searcher.search(q, limit=5, terms=True)
        results.formatter = HtmlFormatter(tagname="mark")
        assert len(results) > 0
        for hit in results:
            passage = passages[hit["row"]]
            assert passage["doc_id"] == hit["doc_id"]
            assert re.search(r"false social media personas?", passage["text"], re.IGNORECASE)
            assert "<mark" in hit.highlights("content", text=passage["text"])


def test_incremental_update_matches_a_fresh_build(tmp_path, seed_texts):
    old_docs, old_passages, old_pages = _records(seed_texts)
    write_keyword_index(tmp_path / "old", old_docs, old_passages, old_pages)
    edited = dict(seed_texts)
    removed = sorted(edited)[0]
    changed = sorted(edited)[-1]
    del edited[removed]
    edited[changed] = edited[changed] + "\n\nAddendum: the authority later cited regulation 12(5)(e) of the EIR."
    edited["aaa-new-notice"] = "Decision notice\n\nReference: IC-250101-Z9Z9\n\nThe public authority relied on section 40(2)."
    docs, passages, pages = _records(edited)
    write_keyword_index(tmp_path / "new", docs, passages, {k: pages[k] for k in (changed, "aaa-new-notice")},
                        previous_dir=tmp_path / "old", changed_ids=[changed, "aaa-new-notice"], removed_ids=[removed])
    write_keyword_index(tmp_path / "fresh", docs, passages, pages)
    for name in ("new", "fresh"):
        doc_index, passage_index = open_keyword_indexes(tmp_path / name)
        with doc_index.searcher() as s, passage_index.searcher() as ps:
            assert sorted(f["id"] for f in s.all_stored_fields()) == sorted(edited)
            assert sorted((f["row"], f["doc_id"]) for f in ps.all_stored_fields()) == [
                (p["row"], p["doc_id"]) for p in passages]
        assert _ids(doc_index, wq.Term("content", "12(5)(e)")) == [changed]
        assert _ids(doc_index, wq.Term("content", "ic-250101-z9z9")) == ["aaa-new-notice"]
    old_index, _ = open_keyword_indexes(tmp_path / "old")
    assert removed in _ids(old_index, wq.Every())
