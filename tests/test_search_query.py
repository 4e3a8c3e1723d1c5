"""Query preparation: protecting legal tokens, spotting bad syntax, finding references."""
from __future__ import annotations

from whoosh import query as wq

from service.search.keyword import ParsedQuery, plain_words, protect, query_references, syntax_problem

FIELDS = {"title", "content", "authority", "references", "sections", "doc_type"}


def test_sections_and_references_are_quoted():
    assert protect("section 31(1)(a) exemption") == 'section "31(1)(a)" exemption'
    assert protect("EA/2005/26 appeal") == '"EA/2005/0026" appeal'
    assert protect("ic 231130 l9k4") == '"IC-231130-L9K4"'
    assert protect('"section 31(1)(a)" kept') == '"section 31(1)(a)" kept'
    assert protect("section:40(2)") == 'sections:"40(2)"'


def test_valid_syntax_passes():
    for query in ['"false persona" AND police', "police NOT kent", "title:decision OR content:appeal",
                  "(a OR b) AND c", "a AND NOT b", 'sections:"FOI 31"', protect("[2026] UKFTT 433 (GRC)")]:
        assert syntax_problem(query, FIELDS) is None, query


def test_bad_syntax_is_named():
    assert "quotation" in syntax_problem('"open phrase', FIELDS)
    assert "parenthesis" in syntax_problem("(a OR b", FIELDS)
    assert "unknown field" in syntax_problem("colour:red", FIELDS)
    assert "no value" in syntax_problem("title: x", FIELDS)
    assert "AND" in syntax_problem("police AND", FIELDS)
    assert "OR" in syntax_problem("OR police", FIELDS)
    assert "NOT" in syntax_problem("police NOT", FIELDS)


def test_plain_words_drop_syntax_but_keep_legal_tokens():
    assert plain_words('("31(1)(a) AND title:x') == '"31(1)(a)" "and" "title" "x"'


def test_query_references_normalise_variants():
    assert query_references("ea 2005 26 and FS50123456") == ["EA/2005/0026", "FS50123456"]
    assert query_references("public interest test") == []


def test_highlight_terms_skip_negated_clauses():
    tree = wq.Or([wq.AndNot(wq.Term("content", "polic"), wq.Term("content", "kent")),
                  wq.And([wq.Phrase("content", ["fals", "persona"]), wq.Not(wq.Term("content", "met"))]),
                  wq.Term("doc_type", "decision_notice")])
    assert ParsedQuery(tree).terms() == ["polic", "fals", "persona"]
