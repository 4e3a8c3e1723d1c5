"""The relevance benchmark's pure parts (metrics, bootstrap, split, query builders) and its adapter."""
from __future__ import annotations

import math

import pytest

from bench.relevance import adapter
from bench.relevance.lookups import (
    appeal_forms,
    case_title_queries,
    notice_forms,
    reference_queries,
    summary_queries,
    title_variants,
)
from bench.relevance.metrics import bootstrap, paired_bootstrap, query_metrics, verdict
from bench.relevance.queries import Query, cap, split_halves
from bench.relevance.report import Row, best_single, hybrid_table, metrics_table
from bench.relevance.same_request import request_text, same_request_queries
from bench.relevance.topical import (
    MIN_STRONG,
    authority_kind,
    grades,
    label_provision,
    labelled_documents,
    provisions_in_text,
    surface_forms,
    topical_queries,
)


# ---- metrics -----------------------------------------------------------------------------------------------------
def test_a_look_up_is_satisfied_by_any_decision_of_the_appeal():
    relevant = {"interim": 1, "final": 1}
    m = query_metrics(["x", "final", "y", "interim"], relevant, need=1)
    assert m["R@1"] == 0.0 and m["R@10"] == 1.0
    assert m["MRR"] == 0.5
    assert m["nDCG@10"] == pytest.approx(1 / math.log2(3))


def test_graded_ndcg_and_capped_recall_when_every_relevant_document_is_wanted():
    relevant = {"a": 2, "b": 1, "c": 1}
    perfect = query_metrics(["a", "b", "c"], relevant, need=3)
    assert perfect == {"R@1": 1.0, "R@10": 1.0, "nDCG@10": pytest.approx(1.0), "MRR": 1.0}
    swapped = query_metrics(["b", "a", "x"], relevant, need=3)
    ideal = 2 + 1 / math.log2(3) + 1 / math.log2(4)
    assert swapped["nDCG@10"] == pytest.approx((1 + 2 / math.log2(3)) / ideal)
    assert swapped["R@10"] == pytest.approx(2 / 3)
    assert query_metrics(["x", "y"], relevant, need=3) == {"R@1": 0.0, "R@10": 0.0, "nDCG@10": 0.0, "MRR": 0.0}


def test_recall_at_10_is_capped_by_ten_when_more_are_relevant():
    relevant = {f"d{i}": 1 for i in range(30)}
    ranked = [f"d{i}" for i in range(5)] + [f"x{i}" for i in range(5)]
    assert query_metrics(ranked, relevant, need=30)["R@10"] == 0.5


def test_duplicate_ids_in_a_ranking_count_once():
    assert query_metrics(["a", "a", "b"], {"b": 1}, need=1)["MRR"] == 0.5


def test_bootstrap_interval_brackets_the_mean_and_is_reproducible():
    values = [0.0, 1.0] * 50
    interval = bootstrap(values, seed=3)
    assert interval.low < interval.mean == 0.5 < interval.high
    assert bootstrap(values, seed=3) == interval
    assert bootstrap([0.7] * 20).low == bootstrap([0.7] * 20).high == pytest.approx(0.7)
    assert math.isnan(bootstrap([]).mean)


def test_small_samples_have_wide_intervals():
    narrow, wide = bootstrap([0.0, 1.0] * 200), bootstrap([0.0, 1.0] * 8)
    assert wide.high - wide.low > 2 * (narrow.high - narrow.low)


def test_paired_bootstrap_verdicts():
    base = [0.1 * (i % 10) for i in range(100)]
    assert verdict(paired_bootstrap([v + 0.2 for v in base], base)) == "better"
    assert verdict(paired_bootstrap(base, [v + 0.2 for v in base])) == "worse"
    noisy = [v + (0.05 if i % 2 else -0.05) for i, v in enumerate(base)]
    assert verdict(paired_bootstrap(noisy, base)) == "within noise"
    with pytest.raises(ValueError):
        paired_bootstrap([1.0], [1.0, 2.0])


# ---- split -------------------------------------------------------------------------------------------------------
def _queries(groups: dict[str, int]) -> list[Query]:
    return [Query(f"{g}:{i}", "q", {"d": 1}, g) for g, n in groups.items() for i in range(n)]


def test_split_keeps_each_group_in_one_half_and_balances_the_halves():
    queries = _queries({f"case{i}": 1 + i % 3 for i in range(101)})
    halves = split_halves(queries, seed=7)
    groups = {h: {q.group for q in qs} for h, qs in halves.items()}
    assert not groups["tune"] & groups["report"]
    assert sum(len(qs) for qs in halves.values()) == len(queries)
    assert abs(len(halves["tune"]) - len(halves["report"])) <= 2
    assert split_halves(list(reversed(queries)), seed=7) == halves
    assert split_halves(queries, seed=8) != halves


def test_cap_samples_reproducibly_and_keeps_small_sets_whole():
    queries = _queries({f"c{i}": 1 for i in range(50)})
    assert cap(queries, 10, seed=1) == cap(queries, 10, seed=1)
    assert len(cap(queries, 10, seed=1)) == 10
    assert cap(queries, 0) == queries and cap(queries, 500) == queries


# ---- query forms -------------------------------------------------------------------------------------------------
def test_title_variants_cover_the_commissioner_forms_and_honorifics():
    forms = title_variants("Mr John Smith v IC (Derogation)")
    assert forms[0] == "Mr John Smith v IC (Derogation)"
    assert {"John Smith v IC", "John Smith v Information Commissioner", "Mr John Smith v The Information Commissioner"} \
        <= set(forms)
    assert len({f.lower() for f in forms}) == len(forms)
    assert "G. Williams v IC" in title_variants("Mr and Mrs G. Williams v IC")
    assert title_variants("A Council v Another Body") == ["A Council v Another Body"]


def test_reference_forms():
    assert appeal_forms("EA/2010/0123") == ["EA/2010/0123", "EA 2010 123", "ea/2010/0123", "EA/2010/123"]
    assert notice_forms("FS50123456") == ["FS50123456", "FS 50123456", "fs50123456"]
    assert notice_forms("IC-393971-B4K5") == ["IC-393971-B4K5", "IC 393971 B4K5", "ic-393971-b4k5"]
    assert notice_forms("[2026] UKFTT 433 (GRC)") == ["[2026] UKFTT 433 (GRC)", "2026 UKFTT 433", "[2026] UKFTT 433"]


def test_request_text_skips_page_furniture_and_starts_at_the_request():
    page = ("We use some essential cookies to make our website work.\nSorry, there was a technical problem.\n"
            "FOI 123/24 Fleet data\nRequest\nPlease provide the number of fire engines off the run in 2023.\n"
            "Response\nWe hold the information.")
    assert request_text(page).startswith("Please provide the number of fire engines")
    assert request_text(page, words=5) == "Please provide the number of"
    assert request_text("Dear council, how many potholes?") == "Dear council, how many potholes?"


# ---- topical judgments -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, kind", [
    ("The Chief Constable of Thames Valley Police", "police"), ("Department of Health", "government"),
    ("Sandwell Metropolitan Borough Council", "council"), ("Southwark Council", "council"),
    ("Royal Borough of Kensington and Chelsea", "council"), ("The General Medical Council", None),
    ("South Tees Hospitals NHS Trust", "health"), ("University of East Anglia", "university"),
    ("The British Broadcasting Corporation", "bbc"), ("Porsche Cars Great Britain Ltd", None),
])
def test_authority_kind(name, kind):
    assert authority_kind(name) == kind


def test_provisions_at_issue_are_the_often_named_exemptions():
    text = ("section 40(2) applies. " * 6 + "The s.43 exemption. " * 3 + "regulation 12(4)(b) " * 3
            + "section 1 section 1 section 1 section 1 section 41")
    assert provisions_in_text(text) == {"s40", "s43", "r12(4)(b)"}
    assert provisions_in_text("section 40 " * 40 + "section 42 " * 3) == {"s40"}


def test_label_sections_map_to_provisions():
    assert label_provision("FOI 40(2)") == "s40"
    assert label_provision("EIR 12(4)(b)") == "r12(4)(b)"
    assert label_provision("EIR 13") == "r13"
    assert label_provision("FOI 10") is None


def test_grades_reward_the_authority_kind_on_top_of_the_provision():
    documents = {"a": ({"s40"}, {"police"}), "b": ({"s40"}, {"council"}), "c": ({"s43"}, {"police"})}
    assert grades(documents, {"s40"}, "police") == {"a": 2, "b": 1}
    assert grades(documents, {"s40"}, None) == {"a": 1, "b": 1}


def test_a_shared_provision_name_is_only_used_with_its_number():
    assert "personal data police" in surface_forms("s40", "police")
    assert all("13" in form for form in surface_forms("r13", "police"))


# ---- real label sets ---------------------------------------------------------------------------------------------
def _no_group_straddles(queries: list[Query]) -> None:
    halves = split_halves(queries)
    assert not {q.group for q in halves["tune"]} & {q.group for q in halves["report"]}


@pytest.mark.realdata
def test_case_title_queries_point_at_corpus_decisions(shared_dir):
    queries = case_title_queries(shared_dir)
    assert len({q.qid.split(":")[1] for q in queries}) == 570
    assert all((shared_dir / "corpus" / p).is_file() for q in queries for p in q.relevant)
    assert all(q.qid.split(":")[1] in q.relevant for q in queries)
    song = [q for q in queries if "Song of the Wild Swan" in q.text]
    assert {q.text for q in song} >= {"Song of the Wild Swan Limited v The Information Commissioner"}
    _no_group_straddles(queries)


@pytest.mark.realdata
def test_reference_queries_cover_appeals_notices_and_citations(shared_dir):
    queries = reference_queries(shared_dir)
    kinds = {q.qid.split(":")[1][:2] for q in queries}
    assert {"EA", "FS", "IC", "[2"} <= kinds
    citation = next(q for q in queries if q.qid.startswith("ref:[2026] UKUT 24 (AAC)"))
    assert list(citation.relevant) == [p for p in citation.relevant if p.startswith("tribunal-2026/ecotricity")]
    assert all((shared_dir / "corpus" / p).is_file() for q in queries for p in q.relevant)
    _no_group_straddles(queries)


@pytest.mark.realdata
def test_summary_queries_are_the_ico_abstracts_of_corpus_notices(shared_dir):
    queries = summary_queries(shared_dir)
    assert len(queries) == 17
    assert all(len(q.relevant) == 1 and q.similar_text == q.text and len(q.text.split()) > 20 for q in queries)
    assert all((shared_dir / "corpus" / p).is_file() for q in queries for p in q.relevant)


@pytest.mark.realdata
def test_same_request_queries_want_the_siblings_not_the_page_itself(shared_dir):
    queries = same_request_queries(shared_dir)
    assert len(queries) == 43
    assert all(q.source not in q.relevant and q.need == len(q.relevant) >= 1 for q in queries)
    assert not any("cookie" in q.text.lower() for q in queries)
    assert all(len(q.text.split()) >= 40 for q in queries)
    _no_group_straddles(queries)


@pytest.mark.realdata
def test_topical_queries_have_enough_strong_judgments(shared_dir):
    documents = labelled_documents(shared_dir)
    assert sum(1 for provisions, _kinds in documents.values() if provisions) > 300
    queries = topical_queries(shared_dir)
    assert len(queries) >= 100
    for query in queries:
        strong = 2 if not query.group.endswith(":any") else 1
        assert sum(1 for g in query.relevant.values() if g == strong) >= MIN_STRONG
        assert query.need == len(query.relevant)
    assert len({q.text for q in queries}) == len(queries)
    _no_group_straddles(queries)


# ---- adapter on the sample index ---------------------------------------------------------------------------------
def _by_path(reader, path: str) -> str:
    return next(doc_id for doc_id, record in reader.documents.items() if record["path"] == path)


def test_adapter_search_finds_the_carrier_and_honours_exclude(engine, reader):
    older = _by_path(reader, "tribunal/EA-2006-0006.pdf")
    static = engine.citations
    assert adapter.search(engine, "EA/2006/0006", "keyword", 5)[0] == older
    ranked = adapter.search(engine, "EA/2006/0006", "hybrid", 5, exclude={older}, as_of="2010-01-01")
    assert older not in ranked and ranked
    assert engine.citations is static


def test_adapter_similar_and_related_same_request(engine, reader):
    seed = _by_path(reader, "ico-decision-notice-mps-false-personas.txt")
    kent = _by_path(reader, "ico-notices/ic-240101-k3n7.txt")
    text = "false social media personas created by police officers: authorisations and the persona register"
    ranked = adapter.similar(engine, text, "hybrid", 5, exclude={seed})
    assert seed not in ranked and kent in ranked
    assert adapter.related_same_request(engine, seed) == [kent]


def test_cap_shares_the_budget_over_strata():
    big = [Query(f"ea{i:04d}", "q", {"d": 1}, f"g{i}", stratum="appeal") for i in range(1000)]
    small = [Query(f"ic{i:02d}", "q", {"d": 1}, f"h{i}", stratum="ic") for i in range(17)]
    chosen = cap(big + small, 100, seed=2)
    assert len(chosen) == 100
    assert sum(1 for q in chosen if q.stratum == "ic") == 17


def _row(path: str, mode: str, ndcg: list[float]) -> Row:
    row = Row("task", path, mode)
    row.per_query = [{"R@1": v, "R@10": v, "nDCG@10": v, "MRR": v} for v in ndcg]
    row.millis = [10.0] * len(ndcg)
    return row


def test_best_single_mode_and_the_hybrid_comparison_table():
    tune = [_row("search", "hybrid", [1.0] * 40), _row("search", "keyword", [0.5] * 40),
            _row("search", "semantic", [0.6] * 40)]
    assert best_single(tune, "search") == "semantic"
    assert best_single([_row("search", "semantic", [0.5]), _row("search", "keyword", [0.5])], "search") == "keyword"
    assert best_single(tune, "similar") is None
    report = [_row("search", "hybrid", [0.6] * 40), _row("search", "keyword", [0.9] * 40),
              _row("search", "semantic", [0.6] * 40)]
    lines = hybrid_table({"task": {"tune": tune, "report": report}}, seed=1).splitlines()
    assert "semantic  tune" in lines[3] and "better" in lines[3]
    assert "semantic  report" in lines[4] and "within noise" in lines[4]
    assert len(metrics_table("tune", tune, seed=1).splitlines()) == 3 + len(tune)
