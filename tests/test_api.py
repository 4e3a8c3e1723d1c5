"""HTTP-level tests of every /api endpoint and every filter, on the index built from the sample corpus."""
from __future__ import annotations

import json
import re

import pytest

FILTER_RECORD_KEYS = {"doc_type": "doc_type", "authority": "authority", "outcome": "outcome"}


def _owner(reader, reference: str) -> dict:
    matches = [d for d in reader.documents.values() if reference in (d.get("references") or [])]
    assert matches, f"the sample index has no document with reference {reference}"
    return matches[0]


def _search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_search_returns_ranked_results_with_evidence(client):
    body = _search(client, q="immigration detention", per_page=5)
    assert body["mode"] == "hybrid" and body["query"] == "immigration detention"
    assert body["page"] == 1 and body["per_page"] == 5 and body["total"] >= len(body["results"]) > 0
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    first = body["results"][0]
    assert first["url"] == f"/api/documents/{first['id']}"
    assert first["file_url"] == f"/api/documents/{first['id']}/file"
    marked = [s["text"] for r in body["results"] for s in r["snippets"]]
    assert any("<mark>" in text for text in marked)
    # Snippets are escaped text: the only tags are the highlights.
    assert all(re.sub(r"</?mark>", "", text).count("<") == 0 for text in marked)
    assert set(body["facets"]) >= {"doc_type", "authority", "section", "outcome", "year"}


def test_reference_lookup_puts_that_document_first(client, reader):
    expected = _owner(reader, "EA/2019/0154")["id"]
    for query in ("EA/2019/0154", "ea 2019 0154"):
        assert _search(client, q=query)["results"][0]["id"] == expected


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_each_mode_answers(client, mode):
    body = _search(client, q="public interest in disclosure", mode=mode)
    assert body["mode"] == mode and body["results"]
    assert all(r["explain"] for r in body["results"])


def test_weighted_fusion_is_accepted(client):
    assert _search(client, q="section 35 government policy", fusion="weighted")["results"]


def _filter_value(reader, name: str) -> str:
    doc = _owner(reader, "EA/2019/0154")
    if name == "section":
        return doc["sections"][0]
    if name == "legislation":
        return doc["legislation"][0]
    if name == "reference":
        return doc["references"][0]
    return doc[FILTER_RECORD_KEYS[name]]


def _matches(result: dict, record: dict, name: str, value: str) -> bool:
    if name == "section":
        return any(s.lower().startswith(value.lower()) for s in record.get("sections") or [])
    if name in ("legislation", "reference"):
        return value in (record.get(f"{name}s" if name == "reference" else name) or [])
    return (result.get(name) or "").lower() == value.lower()


@pytest.mark.parametrize("name", ["doc_type", "authority", "section", "outcome", "legislation", "reference"])
@pytest.mark.parametrize("endpoint", ["/api/search", "/api/documents"])
def test_each_filter_restricts_results(client, reader, name, endpoint):
    value = _filter_value(reader, name)
    query = {"q": "information"} if endpoint == "/api/search" else {}
    response = client.get(endpoint, query_string={**query, name: value, "per_page": 100})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    items = body["results"] if endpoint == "/api/search" else body["documents"]
    assert items, f"{name}={value} matched nothing"
    assert all(_matches(item, reader.document(item["id"]), name, value) for item in items)
    unfiltered = client.get(endpoint, query_string={**query, "per_page": 100}).get_json()
    assert unfiltered["total"] >= body["total"]


def test_date_range_filters(client, reader):
    dated = sorted(d["date"] for d in reader.documents.values() if d.get("date"))
    low, high = dated[1], dated[-2]
    body = _search(client, q="information", date_from=low, date_to=high, per_page=100)
    assert body["results"]
    assert all(low <= r["date"] <= high for r in body["results"])
    listing = client.get("/api/documents", query_string={"date_from": low, "date_to": high}).get_json()
    assert listing["total"] == sum(1 for d in dated if low <= d <= high)


def test_sort_by_date(client):
    for sort, reverse in (("date_desc", True), ("date_asc", False)):
        dates = [r["date"] for r in _search(client, q="information", sort=sort, per_page=100)["results"] if r["date"]]
        assert dates == sorted(dates, reverse=reverse)
    assert _search(client, q="information", sort="cited_by")["results"]


def test_pagination_walks_distinct_pages(client):
    first = _search(client, q="information", per_page=1, page=1)
    second = _search(client, q="information", per_page=1, page=2)
    assert first["pages"] == first["total"] >= 2
    assert first["results"][0]["id"] != second["results"][0]["id"]
    beyond = _search(client, q="information", per_page=1, page=first["pages"] + 1)
    assert beyond["results"] == []


def test_bad_query_syntax_is_not_an_error(client):
    body = _search(client, q='"unbalanced (quote AND OR')
    assert isinstance(body["warnings"], list)


def test_documents_listing_and_jsonl_export(client, reader):
    listing = client.get("/api/documents", query_string={"per_page": 2}).get_json()
    assert listing["total"] == len(reader.documents) and len(listing["documents"]) == 2
    response = client.get("/api/documents", query_string={"format": "jsonl"})
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert sorted(d["id"] for d in lines) == sorted(reader.documents)
    assert all(d["url"] == f"/api/documents/{d['id']}" for d in lines)
    only = reader.document(lines[0]["id"])["doc_type"]
    filtered = client.get("/api/documents", query_string={"format": "jsonl", "doc_type": only}).get_data(as_text=True)
    assert {json.loads(line)["doc_type"] for line in filtered.splitlines()} == {only}


def test_document_detail_has_text_and_citation_links(client, reader):
    citing = _owner(reader, "EA/2019/0154")
    cited = _owner(reader, "EA/2006/0006")
    body = client.get(f"/api/documents/{citing['id']}").get_json()
    assert body["id"] == citing["id"] and body["title"] == citing["title"]
    assert body["text"].startswith("[page 1]") and "[page 2]" in body["text"]
    assert {"reference": "EA/2006/0006", "doc_id": cited["id"]}.items() <= next(
        link for link in body["links"]["cites"] if link["reference"] == "EA/2006/0006").items()
    assert body["links"]["related"] == f"/api/documents/{citing['id']}/related"
    back = client.get(f"/api/documents/{cited['id']}").get_json()["links"]["cited_by"]
    assert any(link["doc_id"] == citing["id"] and link["href"] == body["url"] for link in back)


def test_unknown_document_is_404(client):
    for path in ("/api/documents/no-such-doc", "/api/documents/no-such-doc/file", "/api/documents/no-such-doc/related"):
        response = client.get(path)
        assert response.status_code == 404 and response.get_json()["error"]["status"] == "NOT_FOUND"


def test_file_serves_the_original(client, reader):
    doc = _owner(reader, "EA/2019/0154")
    response = client.get(f"/api/documents/{doc['id']}/file")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == reader.file_path(doc["id"]).read_bytes()
    assert response.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("path", [
    "/api/documents/../../../../etc/passwd/file",
    "/api/documents/..%2F..%2F..%2F..%2Fetc%2Fpasswd/file",
    "/api/documents/%2e%2e%2f%2e%2e%2fpyproject.toml/file",
    "/api/documents//etc/passwd/file",
    "/api/documents/%2Fetc%2Fpasswd/file",
    "/api/documents/../file",
    "/api/documents/..%5C..%5Cpyproject.toml/file",
])
def test_file_rejects_traversal(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404
    assert b"root:" not in response.data and b"[tool" not in response.data


def test_related_respects_limit(client, reader):
    doc = _owner(reader, "EA/2019/0154")
    body = client.get(f"/api/documents/{doc['id']}/related", query_string={"limit": 1}).get_json()
    assert body["id"] == doc["id"]
    assert all(len(items) <= 1 for items in body["relations"].values())
    assert any(items for items in body["relations"].values())


def test_similar_finds_precedents_for_pasted_text(client, reader):
    text = ("The Home Office refused my request for ministerial briefings on immigration detention, "
            "relying on section 35(1)(a) of FOIA for the formulation of government policy.")
    response = client.post("/api/similar", json={"text": text, "k": 3})
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert 0 < len(results) <= 3
    only = client.post("/api/similar", json={"text": text, "k": 5, "doc_type": "decision_notice"}).get_json()
    assert only["results"] and {r["doc_type"] for r in only["results"]} == {"decision_notice"}


def test_health_reports_the_open_generation(client, reader):
    body = client.get("/api/health").get_json()
    assert body["ready"] is True and body["generation"] == reader.generation
    assert body["documents"] == len(reader.documents) and body["passages"] == len(reader.passages)
    assert body["model"] == reader.manifest["model"]


def test_health_without_index_is_503_and_informative(empty_app):
    response = empty_app.test_client().get("/api/health")
    body = response.get_json()
    assert response.status_code == 503 and body["ready"] is False and body["documents"] == 0
    assert "python -m indexer build" in body["error"]["message"]


def test_engine_loads_once_per_process(app, client):
    state = app.extensions["foi"]
    before = state.snapshot()
    client.get("/api/search", query_string={"q": "appeal"})
    client.get("/api/health")
    assert state.snapshot() is before


def test_new_generation_is_picked_up_without_restart(tmp_path, index_config, monkeypatch):
    import shutil
    from pathlib import Path

    from service import create_app
    from service import current_index as state_module

    index_dir = tmp_path / "index"
    shutil.copytree(Path(index_config["index_dir"]), index_dir)
    app = create_app({**index_config, "index_dir": str(index_dir)})
    state = app.extensions["foi"]
    old = state.snapshot().reader.generation
    shutil.copytree(index_dir / "generations" / old, index_dir / "generations" / f"{old}-next")
    (index_dir / "CURRENT").write_text(f"{old}-next\n", encoding="utf-8")
    monkeypatch.setattr(state_module, "RECHECK_SECONDS", 0.0)
    body = app.test_client().get("/api/health").get_json()
    assert body["generation"] == f"{old}-next" and body["ready"] is True
    # A broken pointer must not take down a worker that has a good snapshot.
    (index_dir / "CURRENT").write_text("missing-generation\n", encoding="utf-8")
    assert app.test_client().get("/api/health").get_json()["generation"] == f"{old}-next"


def test_serve_runs_gunicorn_preloaded_with_one_thread_per_worker():
    from config import load_config
    from service.serve import gunicorn_argv, serving_env

    config = load_config({"host": "0.0.0.0", "port": 8123, "workers": 3})
    argv = gunicorn_argv(config)
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8123" and argv[argv.index("--workers") + 1] == "3"
    assert "--preload" in argv and argv[-1] == "wsgi:app"
    env = serving_env({"PATH": "/usr/bin", "FOI_TORCH_THREADS": "2"})
    assert env["OMP_NUM_THREADS"] == env["MKL_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["FOI_TORCH_THREADS"] == "2" and env["PATH"] == "/usr/bin"
