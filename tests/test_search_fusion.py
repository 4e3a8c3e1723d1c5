"""Fusion arithmetic checked against values computed by hand."""
from __future__ import annotations

import pytest

from service.search.fusion import (
    authority_prior,
    fuse,
    minmax,
    multiplicative_prior,
    rank_table,
    rrf,
    weighted,
)

KEYWORD = [("a", 10.0), ("b", 6.0), ("c", 2.0)]
SEMANTIC = [("b", 0.9), ("d", 0.5)]


def test_rrf_sums_reciprocal_ranks():
    fused = dict(rrf({"keyword": KEYWORD, "semantic": SEMANTIC}, k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)
    assert [doc for doc, _ in rrf({"keyword": KEYWORD, "semantic": SEMANTIC}, k=60)] == ["b", "a", "d", "c"]


def test_rrf_constant_changes_scores():
    assert dict(rrf({"keyword": KEYWORD}, k=1))["a"] == pytest.approx(1 / 2)


def test_minmax_and_equal_scores():
    assert minmax(KEYWORD) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert minmax([("x", 3.0), ("y", 3.0)]) == {"x": 1.0, "y": 1.0}
    assert minmax([]) == {}


def test_weighted_convex_combination():
    fused = dict(weighted({"keyword": KEYWORD, "semantic": SEMANTIC}, {"keyword": 0.7, "semantic": 0.3}))
    assert fused["a"] == pytest.approx(0.7)
    assert fused["b"] == pytest.approx(0.7 * 0.5 + 0.3 * 1.0)
    assert fused["c"] == pytest.approx(0.0)
    assert fused["d"] == pytest.approx(0.0)


def test_fuse_reports_per_retriever_ranks():
    result = fuse({"keyword": KEYWORD, "semantic": SEMANTIC}, "rrf", k=60)
    assert result.ranking[0][0] == "b"
    assert result.ranks["keyword"]["b"] == (2, 6.0)
    assert result.ranks["semantic"]["b"] == (1, 0.9)
    assert "d" not in result.ranks["keyword"]
    weighted_result = fuse({"keyword": KEYWORD, "semantic": SEMANTIC}, "weighted", weights={"keyword": 1.0})
    assert [doc for doc, _ in weighted_result.ranking][:3] == ["a", "b", "c"]


def test_single_list_passes_through_with_own_scores():
    result = fuse({"keyword": KEYWORD, "semantic": []}, "rrf")
    assert result.ranking == KEYWORD


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="unknown fusion"):
        fuse({"keyword": KEYWORD, "semantic": SEMANTIC}, "borda")


def test_rank_table_keeps_first_position_of_duplicates():
    assert rank_table([("a", 3.0), ("b", 2.0), ("a", 1.0)]) == {"a": (1, 3.0), "b": (2, 2.0)}


def test_authority_prior_saturates():
    prior = authority_prior({"x": 0, "y": 1, "z": 5, "w": 45})
    assert prior["x"] == 0.0
    assert prior["y"] == pytest.approx(1 / 6)
    assert prior["z"] == pytest.approx(0.5)
    assert prior["w"] == pytest.approx(0.9)
    assert authority_prior({"y": 2}, half=2.0) == {"y": 0.5}


def test_prior_boost_is_multiplicative():
    ranking = [("p", 1.0), ("q", 0.9), ("r", 0.1)]
    blended = dict(multiplicative_prior(ranking, {"q": 1.0, "r": 1.0}, 0.3))
    assert blended["p"] == pytest.approx(1.0)
    assert blended["q"] == pytest.approx(0.9 * 1.3)
    assert blended["r"] == pytest.approx(0.13)
    assert [d for d, _ in multiplicative_prior(ranking, {"q": 1.0, "r": 1.0}, 0.3)] == ["q", "p", "r"]
    assert multiplicative_prior(ranking, {"q": 1.0}, 0.0) == ranking
