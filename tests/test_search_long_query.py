"""A pasted paragraph typed into search is ranked as a document, like POST /api/similar."""
from __future__ import annotations

import pytest

from config import load_config
from service.search.queries import is_long_query

# A caseworker's paraphrase of the Home Office appeal in the sample corpus (not copied from it).
PASTED = (
    "The department withheld the ministerial briefings about immigration detention. It said the papers were "
    "about the formulation and development of government policy, which was still live when the request was "
    "made, and that officials need a safe space to discuss options frankly. The requester argued there was a "
    "strong public interest in transparency about how detention decisions are made, in the cost of detention "
    "and in the treatment of detainees. The Commissioner agreed with the department that the exemption was "
    "engaged and that the public interest in maintaining it outweighed the public interest in disclosure."
)


def test_only_long_free_text_counts_as_long():
    config = load_config({"long_query_words": 60})
    assert is_long_query(PASTED, config)
    assert not is_long_query("immigration detention briefings", config)
    assert is_long_query(PASTED + ' "SAFE SPACE" AND NOT', config)
    assert not is_long_query(PASTED + " title:detention", config)
    assert not is_long_query(PASTED, load_config({"long_query_words": 0}))


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_pasted_paragraph_finds_the_matching_decisions(engine, reader, mode):
    result = engine.search({"q": PASTED, "mode": mode, "page": 1, "per_page": 5})
    top = [reader.documents[r["id"]] for r in result["results"][:3]]
    assert any("EA/2019/0154" in d["references"] or "FS50712345" in d["references"] for d in top)
    assert any("searched as a document" in w for w in result["warnings"])
    first = result["results"][0]
    assert first["snippets"] and first["snippets"][0]["text"]
    # Without authority signals the score is the fused content score; hybrid adds the prior and votes to it.
    if mode == "hybrid":
        assert result["ranking"]["prior"]["kind"] == "additive" and first["explain"]["prior"] is not None
    else:
        assert first["explain"]["fused"] == first["score"] and result["ranking"]["prior"] is None


def test_long_query_respects_filters(engine):
    result = engine.search({"q": PASTED, "mode": "hybrid", "page": 1, "per_page": 20, "doc_type": "decision_notice"})
    assert result["results"]
    assert {r["doc_type"] for r in result["results"]} == {"decision_notice"}
