"""CitationGraph: resolution, links both ways, external references and leakage-free authority counts."""
from __future__ import annotations

import math

import pytest

from indexer.metadata import extract_metadata
from service.search.citations import CitationGraph

URL = "https://ico.org.uk/media/action-weve-taken/decision-notices/2023/4025846/ic-231130-l9k4.pdf"


def _record(doc_id: str, text: str, path: str) -> dict:
    return {"id": doc_id, "path": path, **extract_metadata(text, path, "text")}


def _tribunal(appeal: str, date: str, cites: str) -> str:
    return (
        f"IN THE FIRST-TIER TRIBUNAL\nGENERAL REGULATORY CHAMBER\n(INFORMATION RIGHTS)\n\nAppeal Reference: {appeal}\n\n"
        f"BETWEEN\n\nJOHN SMITH\nAppellant\n\nand\n\nTHE INFORMATION COMMISSIONER\nRespondent\n\n"
        f"Decision promulgated: {date}\n\nBefore: Judge Brian Kennedy QC, Tribunal Members Mr Andrew Whetnall and "
        f"Ms Susan Wolf\n\nRepresentation: the Appellant in person; the Commissioner by written submissions.\n\n"
        f"REASONS\n\n1. This appeal concerns section 35(1)(a) FOIA, the exemption for the formulation of government "
        f"policy, and the balance of the public interest at the time of the request.\n\n"
        f"2. The Tribunal has considered the reasoning in {cites} on the public interest test.\n"
    )


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    """Four tribunal decisions made through the real metadata extractor, citing each other and an ICO notice."""
    made = {
        "tribunal-a": _tribunal("EA/2006/0006", "19 February 2007", "the general principles"),
        "tribunal-b": _tribunal("EA/2008/0010", "3 March 2009", f"EA/2006/0006 and notice IC-231130-L9K4 ({URL})"),
        "tribunal-c": _tribunal("EA/2010/0020", "5 May 2011", "EA/2006/0006 and EA/2008/0010"),
        "tribunal-d": _tribunal("EA/2012/0030", "7 July 2013", "EA/2006/6 and EA/2010/0020"),
    }
    return {doc_id: _record(doc_id, text, f"tribunal/{doc_id}.txt") for doc_id, text in made.items()}


def test_extracted_records_carry_the_references_the_graph_needs(documents):
    assert "EA/2006/0006" in documents["tribunal-a"]["references"]
    assert "EA/2006/0006" in documents["tribunal-d"]["cites"]


def test_resolve_maps_references_to_the_carrying_document(documents):
    graph = CitationGraph(documents)
    assert graph.resolve("EA/2006/0006") == "tribunal-a"
    assert graph.resolve("EA/2010/0020") == "tribunal-c"
    assert graph.resolve("IC-231130-L9K4") is None


def test_cites_and_cited_by_agree_both_ways(documents):
    graph = CitationGraph(documents)
    cited = {link["doc_id"] for link in graph.cites("tribunal-c")}
    assert cited == {"tribunal-a", "tribunal-b"}
    for target in cited:
        assert "tribunal-c" in {link["doc_id"] for link in graph.cited_by(target)}
    assert {link["doc_id"] for link in graph.cited_by("tribunal-a")} == {"tribunal-b", "tribunal-c", "tribunal-d"}
    assert graph.cited_by("tribunal-d") == []


def test_references_outside_the_corpus_keep_their_url(documents):
    graph = CitationGraph(documents)
    outside = [link for link in graph.cites("tribunal-b") if link["doc_id"] is None]
    assert outside == [{"reference": "IC-231130-L9K4", "doc_id": None, "url": URL}]
    assert graph.external("tribunal-b") == [{"reference": "IC-231130-L9K4", "url": URL}]
    assert graph.external("tribunal-c") == []


def test_authority_counts_only_citations_dated_on_or_before(documents):
    graph = CitationGraph(documents)
    assert graph.authority("tribunal-a") == 3
    assert graph.authority("tribunal-a", as_of="2009-03-03") == 1
    assert graph.authority("tribunal-a", as_of="2009-03-02") == 0
    assert graph.authority("tribunal-a", as_of="2013-07-07") == 3


def test_authority_excludes_the_query_document(documents):
    graph = CitationGraph(documents)
    assert graph.authority("tribunal-a", as_of="2013-07-07", exclude={"tribunal-d"}) == 2
    assert graph.authority("tribunal-a", exclude={"tribunal-d", "tribunal-c"}) == 1
    assert graph.authorities(["tribunal-a", "tribunal-c"], as_of="2011-05-05") == {"tribunal-a": 2, "tribunal-c": 0}


def test_undated_citing_documents_do_not_count_when_a_date_is_given(documents):
    undated = dict(documents)
    undated["tribunal-d"] = {**documents["tribunal-d"], "date": None}
    graph = CitationGraph(undated)
    assert graph.authority("tribunal-a") == 3
    assert graph.authority("tribunal-a", as_of="2099-01-01") == 2


def test_a_reference_carried_by_two_documents_credits_both(documents):
    twin = dict(documents)
    twin["tribunal-a2"] = {**documents["tribunal-a"], "id": "tribunal-a2", "cites": []}
    graph = CitationGraph(twin)
    assert graph.owners("EA/2006/0006") == ["tribunal-a", "tribunal-a2"]
    assert graph.authority("tribunal-a2") == graph.authority("tribunal-a") == 3


def _by_path(reader, path: str) -> str:
    return next(doc_id for doc_id, record in reader.documents.items() if record["path"] == path)


def test_sample_index_links_tribunal_decisions_and_external_notices(reader):
    graph = CitationGraph(reader.documents)
    newer = _by_path(reader, "tribunal/EA-2019-0154.pdf")
    older = _by_path(reader, "tribunal/EA-2006-0006.pdf")
    notice = _by_path(reader, "ico-notices/fs50712345.pdf")
    assert {older, notice} <= {link["doc_id"] for link in graph.cites(newer)}
    assert graph.authority(older) == 1
    assert graph.authority(older, as_of="2019-12-31") == 0
    seed = _by_path(reader, "ico-decision-notice-mps-false-personas.txt")
    external = graph.external(seed)
    assert {e["reference"] for e in external} == {"IC-231130-L9K4", "IC-232842-D9Y1", "IC-230750-S5Y0"}
    assert all(e["url"].startswith("https://ico.org.uk/") for e in external)


def test_votes_are_what_the_dated_neighbours_cite(documents):
    graph = CitationGraph(documents)
    neighbours = [("tribunal-d", 0.5), ("tribunal-c", 1.0), ("tribunal-a", 0.9)]
    half = 1 / math.sqrt(2)  # d and c each cite two corpus decisions, so each vote is damped by sqrt(2)
    assert graph.votes(neighbours) == pytest.approx({"tribunal-a": 1.5 * half, "tribunal-c": 0.5 * half,
                                                     "tribunal-b": half})
    assert graph.votes(neighbours, as_of="2012-01-01") == pytest.approx({"tribunal-a": half, "tribunal-b": half})
    assert graph.votes(neighbours, exclude={"tribunal-d", "tribunal-b"}) == pytest.approx({"tribunal-a": half})
    assert graph.votes(neighbours, limit=1) == pytest.approx({"tribunal-a": 0.5 * half, "tribunal-c": 0.5 * half})


def test_a_cited_case_named_in_a_heading_is_still_a_citation(documents):
    heading = ("IN THE FIRST-TIER TRIBUNAL\nAppeal Reference: EA/2014/0001\n\nCases considered: EA/2006/0006\n\n"
               "Decision promulgated: 2 June 2015\n\nREASONS\n\n1. The appeal concerns section 35(1)(a) FOIA.\n")
    record = _record("tribunal-e", heading, "tribunal/tribunal-e.txt")
    # Extraction may take every appeal number near the top as the decision's own (real indexes show it).
    record = {**record, "references": ["EA/2014/0001", "EA/2006/0006"], "cites": []}
    graph = CitationGraph({**documents, "tribunal-e": record})
    assert graph.resolve("EA/2014/0001") == "tribunal-e"
    assert graph.owners("EA/2006/0006") == ["tribunal-a"]
    assert "tribunal-a" in {link["doc_id"] for link in graph.cites("tribunal-e")}
    assert graph.authority("tribunal-a") == 4
