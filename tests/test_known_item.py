"""Known items first: case-title queries and pasted texts that quote a document, on the sample index."""
from __future__ import annotations

import pytest

from service.search.known_item import case_title_words, grams, name_words, quoted_share


def _search(engine, q, mode="hybrid"):
    return engine.search({"q": q, "mode": mode, "page": 1, "per_page": 20})


def _case_titles(reader) -> dict[str, str]:
    titled = {d["id"]: d["title"] for d in reader.documents.values()
              if d["doc_type"] == "tribunal_decision" and " v " in d["title"]}
    assert len(titled) >= 2, "the sample corpus should hold tribunal decisions with case titles"
    return titled


def test_case_title_words_read_the_variants_caseworkers_type():
    assert case_title_words("Kenneth Blake v IC") == {"kenneth", "blake", "information", "commissioner"}
    assert case_title_words("Mr Kenneth Blake v The Information Commissioner") == case_title_words("Kenneth Blake v IC")
    assert case_title_words("Prof Tim Crook vs. ICO") == {"tim", "crook", "information", "commissioner"}
    # No "v": a topical query, not a case title; only the Commissioner named: no one to look for.
    assert case_title_words("section 40 personal data police") is None
    assert case_title_words("v Information Commissioner") is None
    assert case_title_words("Blake v IC") <= name_words("Kenneth Blake v Information Commissioner (EA/2010/0001)")


def test_quoted_share_separates_a_copied_passage_from_the_same_law_in_other_words():
    document = ("The complainant requested information about covert deployments. The public authority refused "
                "the request under section 31(1)(a) of FOIA, and the Commissioner finds it was entitled to do so.")
    copied = "The public authority refused the request under section 31(1)(a) of FOIA, and the Commissioner finds"
    reworded = "An authority may refuse a request under section 31 where disclosure would prejudice crime prevention"
    assert quoted_share(grams(copied), document) == 1.0
    assert quoted_share(grams(reworded), document) == 0.0
    assert quoted_share(set(), document) == 0.0


def test_a_case_title_query_puts_its_decisions_first_and_says_why(engine, reader):
    titles = _case_titles(reader)
    # Both sample decisions are "John Smith v Information Commissioner and <authority>".
    both = _search(engine, "Mr John Smith v IC")
    assert {r["id"] for r in both["results"][:2]} == set(titles)
    assert all(r["explain"]["known_item"] == "title" for r in both["results"][:2])
    assert both["ranking"]["known_item"] == {**both["ranking"]["known_item"], "signal": "case title", "documents": 2}
    one = _search(engine, "John Smith v Department for Education and Skills")
    assert titles[one["results"][0]["id"]].endswith("(EA/2006/0006)")
    assert "known_item" not in one["results"][1]["explain"]


def test_a_pasted_passage_puts_the_document_it_quotes_first(engine, reader):
    seed = next(d for d in reader.documents.values() if d["path"] == "wmfs-foi-response-23124.txt")
    passage = " ".join(p["text"] for p in reader.doc_passages(seed["id"]))
    words = passage.split()[:90]
    result = _search(engine, " ".join(words))
    assert result["ranking"]["path"] == "document"
    assert result["results"][0]["id"] == seed["id"]
    assert result["results"][0]["explain"]["known_item"] == "quoted"
    assert result["ranking"]["known_item"]["overlap"] >= result["ranking"]["known_item"]["threshold"]


def test_a_text_in_other_words_pins_nothing(engine):
    text = ("A police force was asked how often it watched people through false online identities, and said it "
            "could neither confirm nor deny holding anything because that would help criminals avoid detection; "
            "the requester thought the public interest favoured openness about such surveillance, and complained "
            "that the answer came late and gave no reasons for the exemption beyond a bare citation of the Act.")
    result = _search(engine, text * 1)
    assert all("known_item" not in r["explain"] for r in result["results"])
    assert result["ranking"]["known_item"]["overlap"] < result["ranking"]["known_item"]["threshold"]


def test_the_known_item_gate_switches_authority_off_only_past_the_margin():
    from service.search.ranking import known_item_gate

    assert known_item_gate({"a": 1.0, "b": 0.4}, 0.3) == (0.0, pytest.approx(0.6))
    assert known_item_gate({"a": 1.0, "b": 0.8}, 0.3) == (1.0, pytest.approx(0.2))
    assert known_item_gate({"a": 1.0, "b": 0.1}, 0.0)[0] == 1.0


def test_the_search_page_says_how_it_ranked_and_why_a_result_is_first(client):
    page = client.get("/?q=Mr+John+Smith+v+IC").get_data(as_text=True)
    assert "How these results were ranked" in page
    assert "Your query is a case title: 2 decisions with that title come first." in page
    assert page.count("Put first: the case title you typed names it.") == 2
    typed = client.get("/?q=covert+social+media+monitoring").get_data(as_text=True)
    assert "Word matches (BM25) count" in typed and "Put first" not in typed
