"""Search by pasted text: chunk selection, key terms, fusion with the prior, filters and evidence pairs."""
from __future__ import annotations

import html
import re

from service.search.keyterms import analyse, key_terms_for, select_key_terms
from service.search.queries import representative

LETTER = (
    "Dear Information Commissioner,\n\n"
    "I complain about the Home Office's refusal of my request for the ministerial briefings on immigration "
    "detention. The Home Office withheld every briefing under section 35(1)(a) of the Freedom of Information "
    "Act, saying the information relates to the formulation of government policy.\n\n"
    "I accept that policy on immigration detention was being developed, but the public interest in disclosure "
    "is strong: detention affects thousands of people each year and the briefings would show how ministers "
    "weighed the evidence. The public interest in maintaining the exemption does not outweigh it.\n\n"
    "Please decide whether the Home Office was entitled to rely on section 35(1)(a).\n"
)


def _plain(marked: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", marked)).strip("…")


def _by_path(reader, path: str) -> str:
    return next(doc_id for doc_id, record in reader.documents.items() if record["path"] == path)


def test_a_complaint_letter_finds_the_decisions_on_the_same_issue(engine, reader):
    result = engine.similar(LETTER, 5, {})
    ids = [r["id"] for r in result["results"]]
    on_point = {_by_path(reader, p) for p in
                ("tribunal/EA-2019-0154.pdf", "tribunal/EA-2006-0006.pdf", "ico-notices/fs50712345.pdf")}
    assert set(ids[:3]) == on_point
    top = result["results"][0]
    assert top["title"] and top["doc_type"] and top["scores"]["keyword"] is not None
    pair = top["evidence"][0]
    assert pair["similarity"] > 0.3 and "<mark>" in pair["query_text"]
    assert _plain(pair["query_text"]) in " ".join(LETTER.split())
    assert pair["passage"]["page_start"] >= 1 and pair["passage"]["text"]
    assert "immigr" in {t["term"] for t in result["query"]["key_terms"]}


def test_filters_restrict_the_precedents(engine, reader):
    result = engine.similar(LETTER, 5, {"doc_type": ["decision_notice"]})
    assert result["results"]
    assert {r["doc_type"] for r in result["results"]} == {"decision_notice"}
    assert result["results"][0]["id"] == _by_path(reader, "ico-notices/fs50712345.pdf")


def test_exclude_and_keyword_mode(engine, reader):
    newer = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    result = engine.similar(LETTER, 5, {}, mode="keyword", exclude={newer})
    ids = [r["id"] for r in result["results"]]
    assert newer not in ids and ids
    assert all(r["scores"]["semantic"] is None for r in result["results"])
    assert result["results"][0]["evidence"][0]["passage"]["text"]


def test_the_prior_only_counts_citations_up_to_as_of(engine, reader):
    older = _by_path(reader, "tribunal/EA-2006-0006.pdf")
    now = {r["id"]: r for r in engine.similar(LETTER, 10, {})["results"]}
    then = {r["id"]: r for r in engine.similar(LETTER, 10, {}, as_of="2019-12-31")["results"]}
    assert now[older]["scores"]["prior"] > 0
    assert then[older]["scores"]["prior"] == 0


def test_a_long_paste_embeds_at_most_the_configured_chunks(engine):
    long_text = "\n\n".join(f"Paragraph {i}. " + LETTER.replace("\n\n", " ") for i in range(40))
    assert len(long_text) > 20_000
    result = engine.similar(long_text, 3, {})
    assert result["query"]["chunks"] > engine.config.similar_max_chunks
    assert result["query"]["chunks_used"] == engine.config.similar_max_chunks
    assert len(result["results"]) == 3


def test_representative_chunks_cover_distinct_content_in_text_order():
    texts = ["housing register statistics"] * 5 + ["immigration detention briefings", "police social media personas"]
    picked = representative(texts, 3)
    assert picked == sorted(picked) and len(picked) == 3
    assert {5, 6} <= set(picked)
    assert representative(texts[:2], 3) == [0, 1]


def test_key_terms_prefer_distinctive_frequent_words(reader):
    with reader.doc_index.searcher() as searcher:
        terms = key_terms_for(searcher, LETTER + " unheardofword", limit=10)
        count = searcher.doc_count()
    names = [t.term for t in terms]
    assert "unheardofword" not in names
    assert all(t.df <= 0.5 * count for t in terms)
    detention = next(t for t in terms if t.term == analyse("detention")[0])
    assert detention.tf == LETTER.lower().count("detention") and detention.boost > 1.0
    weights = [t.weight for t in terms]
    assert weights == sorted(weights, reverse=True)


def test_select_key_terms_drops_numbers_and_common_terms():
    frequencies = {"request": 90, "persona": 3, "regist": 10}
    terms = select_key_terms("request persona personas register 2018 12 request", lambda t: frequencies.get(t, 0), 100, limit=5)
    assert [t.term for t in terms] == ["persona", "regist"]
    assert terms[0].tf == 2


def test_the_source_documents_copy_does_not_make_its_own_terms_look_rare(engine, reader):
    doc = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    text = "\n\n".join(p["text"] for p in reader.doc_passages(doc))
    own = set(analyse(text))
    plain = [t.term for t in key_terms_for(engine.keyword.searcher, text, 40)]
    discounted = key_terms_for(engine.keyword.searcher, text, 40, discount=[own])
    assert "ea/2019/0154" in plain
    assert "ea/2019/0154" not in [t.term for t in discounted]
    assert all(t.df >= 1 for t in discounted)
