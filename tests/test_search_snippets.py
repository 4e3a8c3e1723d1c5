"""Snippets: escaping, <mark> placement, stems, windows and passage choice."""
from __future__ import annotations

import re

from service.search.snippets import best_snippets, highlight, snippet, term_needles, term_pattern


def _passage(row, text, page=1):
    return {"row": row, "ordinal": row, "page_start": page, "page_end": page, "text": text}


def test_markup_in_text_stays_escaped():
    pattern = term_pattern(["script", "polic"])
    html = highlight('<script>alert("x")</script> & the police', pattern)
    assert "<script>" not in html
    assert html.count("<mark>") == 3
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "&amp;" in html
    assert re.sub(r"</?mark>", "", html).count("<") == 0


def test_mark_only_around_matches():
    html = highlight("The exemption in section 31(1)(a) applies.", term_pattern(["exempt", "31(1)(a)"]))
    assert html == "The <mark>exemption</mark> in section <mark>31(1)(a)</mark> applies."


def test_porter_stem_ending_in_i_matches_y():
    assert "<mark>policy</mark>" in highlight("government policy formulation", term_pattern(["polici"]))


def test_no_terms_means_plain_escaped_text():
    assert term_pattern([]) is None
    assert highlight("a < b", None) == "a &lt; b"


def test_long_passage_is_cut_around_the_match():
    text = "filler " * 200 + "the decisive persona register " + "tail " * 200
    out = snippet(_passage(0, text, 4), term_pattern(["regist"]), width=120)
    assert "<mark>register</mark>" in out["text"]
    assert out["text"].startswith("…") and out["text"].endswith("…")
    assert len(re.sub(r"</?mark>", "", out["text"])) <= 125
    assert (out["page_start"], out["page_end"]) == (4, 4)


def test_best_passages_prefer_more_distinct_terms_then_semantic():
    passages = [_passage(0, "nothing relevant here"), _passage(1, "police refused"),
                _passage(2, "police refused the persona request"), _passage(3, "close in meaning")]
    terms = ["polic", "persona"]
    picked = best_snippets(passages, term_pattern(terms), {3: 0.6}, limit=3, needles=term_needles(terms))
    assert "persona" in picked[0]["text"] and "refused" in picked[1]["text"]
    assert picked[2]["text"] == "close in meaning"


def test_fallback_is_opening_passage():
    passages = [_passage(0, "opening words <b>"), _passage(1, "later words")]
    assert best_snippets(passages, term_pattern(["absent"]), None, limit=3, needles=["absent"]) == [
        {"text": "opening words &lt;b&gt;", "page_start": 1, "page_end": 1}]
    assert best_snippets([], None) == []


def test_needles_drop_final_i_of_stems():
    assert term_needles(["polici", "31(1)(a)", "Persona", " "]) == ["31(1)(a)", "persona", "polic"]


def test_window_centres_on_densest_matches():
    text = "persona " + "filler " * 100 + "police refused the persona register " + "tail " * 100
    out = snippet(_passage(0, text), term_pattern(["polic", "persona", "regist"]), width=120)
    assert "<mark>police</mark>" in out["text"] and "<mark>register</mark>" in out["text"]
