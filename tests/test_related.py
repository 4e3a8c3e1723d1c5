"""find_related on the sample index: same request, citations both ways, appeals, similar documents."""
from __future__ import annotations

import pytest


def _by_path(reader, path: str) -> str:
    return next(doc_id for doc_id, record in reader.documents.items() if record["path"] == path)


def _ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def test_same_request_to_another_force_is_found_with_its_evidence(engine, reader):
    seed = _by_path(reader, "ico-decision-notice-mps-false-personas.txt")
    kent = _by_path(reader, "ico-notices/ic-240101-k3n7.txt")
    related = engine.related(seed, 10)
    matches = related["relations"]["same_request"]
    assert _ids(matches) == [kent]
    evidence = matches[0]["evidence"]
    assert evidence["similarity"] >= engine.config.same_request_threshold
    assert any("false social media persona" in sentence for sentence in evidence["shared_sentences"])
    assert "false social media persona" in evidence["matching_request"]
    assert matches[0]["relation"] == "same_request"
    assert seed in _ids(engine.related(kent, 10)["relations"]["same_request"])


def test_external_citations_list_what_to_fetch(engine, reader):
    seed = _by_path(reader, "ico-decision-notice-mps-false-personas.txt")
    external = engine.related(seed, 10)["external_citations"]
    assert {e["reference"] for e in external} == {"IC-231130-L9K4", "IC-232842-D9Y1", "IC-230750-S5Y0"}
    assert all(e["url"].endswith(e["reference"].lower() + ".pdf") for e in external)


def test_tribunal_decision_cites_an_older_decision_and_appeals_a_notice(engine, reader):
    newer = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    older = _by_path(reader, "tribunal/EA-2006-0006.pdf")
    notice = _by_path(reader, "ico-notices/fs50712345.pdf")
    relations = engine.related(newer, 10)["relations"]
    assert _ids(relations["cites"]) == [older]
    cite = relations["cites"][0]["evidence"]
    assert cite["reference"] == "EA/2006/0006"
    assert cite["mentions"] and cite["mentions"][0]["page"] == 2
    assert "EA/2006/0006" in cite["mentions"][0]["context"]
    assert _ids(relations["appeal"]) == [notice]
    assert relations["appeal"][0]["evidence"]["reference"] == "FS50712345"


def test_reverse_links_cited_by_and_appeal(engine, reader):
    newer = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    older = _by_path(reader, "tribunal/EA-2006-0006.pdf")
    notice = _by_path(reader, "ico-notices/fs50712345.pdf")
    assert _ids(engine.related(older, 10)["relations"]["cited_by"]) == [newer]
    notice_relations = engine.related(notice, 10)["relations"]
    assert _ids(notice_relations["appeal"]) == [newer]
    assert notice_relations["cited_by"] == []


def test_similar_documents_exclude_self_and_carry_passage_pairs(engine, reader):
    newer = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    similar = engine.related(newer, 5)["relations"]["similar"]
    assert similar and newer not in _ids(similar)
    assert len(similar) <= 5
    assert _by_path(reader, "tribunal/EA-2006-0006.pdf") == similar[0]["id"]
    pair = similar[0]["evidence"]["passages"][0]
    assert pair["similarity"] > 0.5 and pair["query_text"] and pair["passage"]["text"]
    scores = [item["score"] for item in similar]
    assert scores == sorted(scores, reverse=True)


def test_unknown_document_raises_key_error(engine):
    with pytest.raises(KeyError):
        engine.related("no-such-document", 5)
