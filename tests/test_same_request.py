"""The same request sent to other authorities: signatures at build time, matches and clusters at query time."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from config import load_config
from indexer.request_index import REQUESTS_FILE, write_request_index
from indexer.request_signatures import request_sentences
from service.search.same_request import SameRequestIndex

FACIAL = [
    "Under the Freedom of Information Act 2000, please provide the following information about live facial "
    "recognition.",
    "1. Has {body} deployed live facial recognition cameras in public places since January 2020?",
    "2. On how many days was live facial recognition deployed in each calendar year from 2020 to 2024?",
    "3. How many people were arrested following an alert from a live facial recognition camera in each year?",
    "4. How many alerts were later found to be false matches, broken down by year?",
    "5. Please provide a copy of any equality impact assessment completed before the first deployment.",
    "6. What is the total amount spent on live facial recognition software and cameras since 2020?",
]
# Same topic, another request: what a retrospective face search costs and who approves it.
RETROSPECTIVE = (
    "Please provide information about retrospective facial recognition searches of the police national database.\n"
    "1. How many retrospective facial recognition searches did {body} run in 2023?\n"
    "2. Which rank of officer must approve a retrospective search?\n"
    "3. Please provide the policy that governs retention of probe images used in retrospective searches.")


def _request(body: str, questions: list[str] = FACIAL) -> str:
    return "\n".join(line.format(body=body) for line in questions)


@pytest.fixture
def make_index(tmp_path):
    def build(records: list[dict], **settings) -> SameRequestIndex:
        write_request_index(tmp_path, records)
        reader = SimpleNamespace(path=tmp_path, documents={record["id"]: record for record in records})
        return SameRequestIndex(reader, load_config(settings, env={}))
    return build


def _record(doc_id: str, authority: str | None, request_text: str) -> dict:
    return {"id": doc_id, "authority": authority, "date": "2024-05-01", "request_text": request_text}


def test_each_authoritys_own_names_are_masked():
    met = request_sentences("Has the Commissioner of Police of the Metropolis deployed facial recognition in your "
                            "force area?", "Metropolitan Police Service")
    glos = request_sentences("Q1. Has Gloucestershire Constabulary deployed facial recognition in the force area?")
    assert met[0][0] == glos[0][0] == "has authority deployed facial recognition in authority area"
    assert met[0][1].startswith("Has the Commissioner of Police of the Metropolis")


def test_the_same_request_to_two_forces_matches_with_its_shared_sentences(make_index):
    index = make_index([_record("met", "Metropolitan Police Service", _request("the Metropolitan Police")),
                        _record("glos", "Gloucestershire Constabulary", _request("Gloucestershire Constabulary"))])
    [(other, score, evidence)] = index.matches("met")
    assert other == "glos" and score == 1.0
    assert evidence[1] == "Has the Metropolitan Police deployed live facial recognition cameras in public places " \
                          "since January 2020?"
    assert len(evidence) == 7 and index.matches("glos")[0][0] == "met"


def test_an_excerpt_holding_only_the_start_of_the_request_matches(make_index):
    excerpt = _request("Kent Police", FACIAL[:3]) + "\n3. How many people were arr"
    index = make_index([_record("full", "Essex Police", _request("Essex Police")),
                        _record("excerpt", "Kent Police", excerpt)])
    assert [other for other, _score, _evidence in index.matches("excerpt")] == ["full"]
    assert [other for other, _score, _evidence in index.matches("full")] == ["excerpt"]


def test_same_topic_but_a_different_request_is_not_matched(make_index):
    index = make_index([_record("live", "Essex Police", _request("Essex Police")),
                        _record("retro", "Kent Police", RETROSPECTIVE.format(body="Kent Police"))])
    assert index.matches("live") == [] and index.matches("retro") == []


def test_a_request_leaving_out_a_middle_question_is_another_request(make_index):
    resent = _request("Kent Police", FACIAL[:3] + FACIAL[4:])
    index = make_index([_record("full", "Essex Police", _request("Essex Police")),
                        _record("resent", "Kent Police", resent)])
    assert index.matches("resent") == []
    loose = make_index([_record("full", "Essex Police", _request("Essex Police")),
                        _record("resent", "Kent Police", resent)], same_request_max_gap=0.5)
    assert [other for other, _score, _evidence in loose.matches("resent")] == ["full"]


def test_never_the_same_authority_under_two_of_its_names(make_index):
    index = make_index([_record("a", "Metropolitan Police Service", _request("the Metropolitan Police")),
                        _record("b", "Commissioner of Police of the Metropolis", _request("the Met"))])
    assert index.matches("a") == []


def test_clusters_are_connected_components_with_a_stable_id(make_index):
    records = [_record(f"force-{name}", f"{name.title()} Police", _request(f"{name.title()} Police"))
               for name in ("kent", "essex", "surrey")]
    records.append(_record("other", "Sussex Police", RETROSPECTIVE.format(body="Sussex Police")))
    index = make_index(records)
    cluster = index.cluster_of("force-surrey")
    assert cluster == "req-force-essex" == index.cluster_of("force-kent")
    assert index.cluster(cluster) == ["force-essex", "force-kent", "force-surrey"]
    assert index.cluster_of("other") is None and index.cluster("req-other") == [] and index.cluster("nonsense") == []


def test_a_generation_without_a_request_index_has_no_matches(tmp_path):
    reader = SimpleNamespace(path=tmp_path, documents={"a": {}})
    index = SameRequestIndex(reader, load_config(env={}))
    assert index.matches("a") == [] and index.cluster_of("a") is None


def test_unchanged_requests_are_reused_from_the_previous_generation(tmp_path):
    records = [_record("a", "Kent Police", _request("Kent Police")), _record("b", "Essex Police", _request("Essex"))]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    assert write_request_index(tmp_path / "old", records) == (2, 2)
    records[1] = _record("b", "Essex Police", _request("Essex Police", FACIAL[:4]))
    assert write_request_index(tmp_path / "new", records, tmp_path / "old") == (2, 1)
    assert (tmp_path / "new" / REQUESTS_FILE).read_text(encoding="utf-8").count("\n") == 2


def test_the_built_index_links_the_seed_notice_to_the_same_request_to_another_force(reader, index_config):
    """The real build writes the request index: the Met notice (a seed) and a notice about Kent Police answer
    the same request."""
    index = SameRequestIndex(reader, load_config(index_config))
    by_path = {record["path"]: doc_id for doc_id, record in reader.documents.items()}
    met = by_path["ico-decision-notice-mps-false-personas.txt"]
    kent = by_path["ico-notices/ic-240101-k3n7.txt"]
    assert kent in [other for other, _score, _evidence in index.matches(met)]
    assert index.cluster_of(met) == index.cluster_of(kent) is not None
