"""Same request to several authorities in the service: clusters on results and documents, GET /api/requests/<id>,
the cluster page, the document page's section and search results folded by request (sample index)."""
from __future__ import annotations

import re

import pytest

from tests.sample_same_request import DRONE_REQUEST

DRONE_IDS = ("responses-devon-cornwall-police-drones", "responses-lancashire-constabulary-drones",
             "responses-merseyside-police-drones")
DRONE_QUERY = "drones remote pilot qualification deployed"


@pytest.fixture(scope="module")
def drone_cluster(engine) -> str:
    cluster = engine.request_cluster_of(DRONE_IDS[0])
    assert cluster is not None
    return cluster


def test_the_three_forces_answers_form_one_cluster(engine, reader, drone_cluster):
    assert set(DRONE_IDS) <= set(reader.documents)
    assert {engine.request_cluster_of(doc_id) for doc_id in DRONE_IDS} == {drone_cluster}
    view = engine.request_cluster(drone_cluster)
    assert [row["id"] for row in view["documents"]] == sorted(
        DRONE_IDS, key=lambda doc_id: reader.documents[doc_id]["authority"].lower())
    assert view["authorities"] == 3 and "remote pilot qualification" in view["request_text"]
    assert engine.request_cluster("req-no-such-document") is None and engine.request_cluster("nonsense") is None
    # A document answering no shared request has no cluster.
    assert engine.request_cluster_of("tribunal-ea-2019-0154") is None


def test_related_same_request_items_carry_the_shared_sentences(engine):
    items = engine.related("responses-merseyside-police-drones", 10)["relations"]["same_request"]
    assert {item["id"] for item in items} == set(DRONE_IDS) - {"responses-merseyside-police-drones"}
    for item in items:
        evidence = item["evidence"]
        assert evidence["similarity"] == item["score"] >= engine.config.same_request_threshold
        assert any("remote pilot qualification" in sentence for sentence in evidence["shared_sentences"])
        assert evidence["request"].startswith("Please provide") and evidence["matching_request"].startswith("Please")


def test_api_request_cluster(client, reader, drone_cluster):
    response = client.get(f"/api/requests/{drone_cluster}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == drone_cluster and body["authorities"] == 3
    assert body["request_text"].split() == DRONE_REQUEST.split()
    rows = {row["id"]: row for row in body["documents"]}
    assert set(rows) == set(DRONE_IDS)
    devon = rows["responses-devon-cornwall-police-drones"]
    assert devon["reference"] == "DCP-FOI-2024-01177" and devon["date"] == "2024-03-22"
    assert devon["sections"] == reader.documents[devon["id"]]["sections"] and "FOI 43(2)" in devon["sections"]
    assert devon["url"] == f"/api/documents/{devon['id']}" and devon["page_url"] == f"/documents/{devon['id']}"
    merseyside = rows["responses-merseyside-police-drones"]
    assert "FOI 12(1)" in merseyside["sections"] and merseyside["authority"] == "Merseyside Police"
    assert body["page_url"] == f"/requests/{drone_cluster}"


def test_unknown_cluster_is_a_json_404(client):
    response = client.get("/api/requests/req-responses-nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == "NOT_FOUND"


def test_documents_and_search_results_name_their_cluster(client, drone_cluster):
    document = client.get(f"/api/documents/{DRONE_IDS[1]}").get_json()
    assert document["request_cluster"] == drone_cluster
    assert client.get("/api/documents/tribunal-ea-2019-0154").get_json()["request_cluster"] is None
    results = client.get("/api/search", query_string={"q": DRONE_QUERY}).get_json()["results"]
    clusters = {result["id"]: result["request_cluster"] for result in results}
    assert all(clusters[doc_id] == drone_cluster for doc_id in DRONE_IDS)
    assert all(result["request_group"] is None for result in results)


def _first_of_each_cluster(results: list[dict]) -> tuple[list[str], dict[str, list[str]]]:
    """What folding should give: the first result of each cluster kept, and the later ones of each cluster."""
    kept, later, seen = [], {}, set()
    for result in results:
        cluster = result["request_cluster"]
        if cluster is None or cluster not in seen:
            kept.append(result["id"])
        else:
            later.setdefault(cluster, []).append(result["id"])
        seen.add(cluster)
    return kept, later


def test_grouped_search_folds_each_cluster_behind_its_best_answer(client, drone_cluster):
    plain = client.get("/api/search", query_string={"q": DRONE_QUERY, "per_page": 50}).get_json()
    assert plain["total"] == len(plain["results"])
    grouped = client.get("/api/search", query_string={"q": DRONE_QUERY, "per_page": 50,
                                                      "group_requests": "true"}).get_json()
    kept, later = _first_of_each_cluster(plain["results"])
    assert [result["id"] for result in grouped["results"]] == kept
    assert grouped["total"] == plain["total"] and grouped["folded"] == plain["total"] - len(kept) == sum(
        map(len, later.values()))
    assert len(later[drone_cluster]) == 2 and len(later) >= 2  # the drone answers and the Met/Kent notices
    leader = next(result for result in grouped["results"] if result["id"] in DRONE_IDS)
    group = leader["request_group"]
    assert group == {"cluster": drone_cluster, "documents": 3, "other_authorities": 2,
                     "folded": later[drone_cluster]}
    assert all(result["request_group"] is None for result in grouped["results"] if result["request_cluster"] is None)


def test_grouped_pages_neither_overlap_nor_skip(client):
    params = {"q": DRONE_QUERY, "group_requests": "true"}
    whole = client.get("/api/search", query_string={**params, "per_page": 50}).get_json()
    listed = len(whole["results"])
    pages = [client.get("/api/search", query_string={**params, "per_page": 2, "page": page}).get_json()
             for page in range(1, listed // 2 + 2)]
    assert whole["folded"] >= 2 and all(page["pages"] == -(-listed // 2) for page in pages)
    assert [r["id"] for page in pages for r in page["results"]] == [r["id"] for r in whole["results"]]


def test_document_page_lists_every_authority(client, drone_cluster):
    text = client.get(f"/documents/{DRONE_IDS[0]}").get_data(as_text=True)
    section = text[text.index('id="same-request-heading"'):]
    section = section[:section.index("</section>")]
    assert "This request went to 3 authorities" in section
    for doc_id in DRONE_IDS:
        assert f'href="/documents/{doc_id}"' in section
    assert "DCP-FOI-2024-01177" in section and "MP-FOI-24-0388" in section and "FOI 43(2)" in section
    assert section.count('aria-current="page"') == 1 and f'href="/requests/{drone_cluster}"' in section
    tribunal = client.get("/documents/tribunal-ea-2019-0154").get_data(as_text=True)
    assert "same-request-heading" not in tribunal


def test_cluster_page(client, reader, drone_cluster):
    response = client.get(f"/requests/{drone_cluster}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<h1>This request went to 3 authorities</h1>" in text
    assert "How many officers held a current remote pilot qualification" in text
    assert re.findall(r'<th scope="row"><a href="/documents/([^"]+)"', text) == sorted(
        DRONE_IDS, key=lambda doc_id: reader.documents[doc_id]["authority"].lower())
    missing = client.get("/requests/req-nothing")
    assert missing.status_code == 404 and missing.mimetype == "text/html"


def test_search_page_groups_the_answers(client, drone_cluster):
    text = client.get("/", query_string={"q": DRONE_QUERY}).get_data(as_text=True)
    shown = [doc_id for doc_id in re.findall(r'<h3><a href="/documents/([^"?]+)', text) if doc_id in DRONE_IDS]
    assert len(shown) == 1
    assert f'<a href="/requests/{drone_cluster}">and 2 other authorities answered this request</a>' in text
    ungrouped = client.get("/", query_string={"q": DRONE_QUERY, "group_requests": "false"}).get_data(as_text=True)
    listed = re.findall(r'<h3><a href="/documents/([^"?]+)', ungrouped)
    assert set(DRONE_IDS) <= set(listed) and "answered this request" not in ungrouped
