"""End to end: a real gunicorn server (`python -m service.serve`) over the sample index, spoken to over HTTP."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from jsonschema import Draft202012Validator

from tests.server import Reply, http_request

pytestmark = pytest.mark.e2e


def _get(base_url: str, path: str, **params) -> Reply:
    query = f"?{urlencode(params)}" if params else ""
    return http_request(base_url, "GET", path + query)


def _search(base_url: str, **params) -> dict:
    reply = _get(base_url, "/api/search", **params)
    assert reply.status == 200, reply.body[:500]
    assert reply.headers["content-type"].startswith("application/json")
    return reply.json()


def _assert_error(reply: Reply, code: int, status: str) -> dict:
    assert reply.status == code, reply.body[:500]
    assert reply.headers["content-type"].startswith("application/json")
    error = reply.json()["error"]
    assert error["code"] == code and error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return error


@pytest.fixture(scope="module")
def spec(base_url) -> dict:
    reply = _get(base_url, "/api/openapi.json")
    assert reply.status == 200
    return reply.json()


def _validate(spec: dict, path: str, method: str, reply: Reply) -> None:
    schema = spec["paths"][path][method]["responses"][str(reply.status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = [e.message for e in validator.iter_errors(reply.json())]
    assert not errors, (path, reply.status, errors[:5])


def test_health_is_ready_on_the_built_generation(live_server, index_config, reader):
    reply = _get(live_server.base_url, "/api/health")
    assert reply.status == 200
    body = reply.json()
    current = (Path(index_config["index_dir"]) / "CURRENT").read_text(encoding="utf-8").strip()
    assert body["ready"] is True and body["generation"] == current
    assert body["documents"] == len(reader.documents) and body["passages"] == len(reader.passages)
    assert len(live_server.worker_pids()) == 1


def test_search_returns_json_results_with_highlighted_snippets(base_url, reader, spec):
    reply = _get(base_url, "/api/search", q="immigration detention", per_page=5)
    _validate(spec, "/api/search", "get", reply)
    body = reply.json()
    assert 0 < len(body["results"]) <= 5 and body["total"] >= len(body["results"])
    assert all(result["id"] in reader.documents for result in body["results"])
    assert all(result["snippets"] for result in body["results"])
    assert any("<mark>" in s["text"] for result in body["results"] for s in result["snippets"])


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_every_mode_answers_through_gunicorn(base_url, mode):
    body = _search(base_url, q="public interest in disclosure", mode=mode, per_page=3)
    assert body["mode"] == mode and body["results"]


def test_a_document_file_downloads_byte_for_byte(base_url, reader):
    first = _search(base_url, q="section 35 formulation of government policy", per_page=1)["results"][0]
    reply = _get(base_url, first["file_url"])
    assert reply.status == 200
    assert reply.body == reader.file_path(first["id"]).read_bytes()
    assert int(reply.headers["content-length"]) == len(reply.body)
    assert reply.headers["content-security-policy"] == "sandbox"
    assert reply.headers["x-content-type-options"] == "nosniff"
    again = http_request(base_url, "GET", first["file_url"], headers={"If-None-Match": reply.headers["etag"]})
    assert again.status == 304 and again.body == b""


def test_document_detail_and_related_through_gunicorn(base_url, reader, spec):
    doc_id = next(iter(reader.documents))
    detail = _get(base_url, f"/api/documents/{doc_id}")
    _validate(spec, "/api/documents/{doc_id}", "get", detail)
    assert detail.json()["id"] == doc_id
    related = _get(base_url, f"/api/documents/{doc_id}/related", limit=2)
    _validate(spec, "/api/documents/{doc_id}/related", "get", related)


@pytest.mark.parametrize("method,path,code,status,field", [
    ("GET", "/api/search?q=appeal&per_page=100000", 400, "BAD_REQUEST", "per_page"),
    ("GET", "/api/search?q=appeal&date_from=last-week", 400, "BAD_REQUEST", "date_from"),
    ("GET", "/api/search?q=appeal&mode=psychic", 400, "BAD_REQUEST", "mode"),
    ("GET", "/api/documents/no-such-document", 404, "NOT_FOUND", None),
    ("GET", "/api/documents/no-such-document/file", 404, "NOT_FOUND", None),
    ("GET", "/api/no/such/endpoint", 404, "NOT_FOUND", None),
    ("DELETE", "/api/search", 405, "METHOD_NOT_ALLOWED", None),
])
def test_errors_have_the_json_error_shape(base_url, method, path, code, status, field):
    error = _assert_error(http_request(base_url, method, path), code, status)
    if field:
        assert field in error["details"]


@pytest.mark.parametrize("path", [
    "/api/documents/../../../../etc/passwd/file",
    "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd/file",
    "/api/documents/%2e%2e/%2e%2e/pyproject.toml/file",
])
def test_raw_traversal_paths_never_reach_the_filesystem(base_url, path):
    # Sent verbatim: gunicorn, not a client library, decides what these paths mean.
    reply = http_request(base_url, "GET", path)
    assert reply.status in (400, 404)
    assert b"root:" not in reply.body and b"[tool" not in reply.body


def test_similar_body_errors(base_url, spec):
    headers = {"Content-Type": "application/json"}
    missing = http_request(base_url, "POST", "/api/similar", json.dumps({"k": 2}).encode(), headers)
    assert "text" in _assert_error(missing, 422, "UNPROCESSABLE_ENTITY")["details"]
    _validate(spec, "/api/similar", "post", missing)
    broken = http_request(base_url, "POST", "/api/similar", b"{not json", headers)
    _assert_error(broken, 400, "BAD_REQUEST")
    too_big = json.dumps({"text": "appeal " * 400_000}).encode()
    _assert_error(http_request(base_url, "POST", "/api/similar", too_big, headers), 413, "REQUEST_ENTITY_TOO_LARGE")


def test_similar_answers_a_pasted_request(base_url, spec):
    text = ("The department refused my request for briefings on immigration detention under section 35(1)(a), "
            "the exemption for the formulation of government policy.")
    reply = http_request(base_url, "POST", "/api/similar", json.dumps({"text": text, "k": 3}).encode(),
                         {"Content-Type": "application/json"})
    _validate(spec, "/api/similar", "post", reply)
    assert 0 < len(reply.json()["results"]) <= 3


def test_openapi_document_is_served_and_names_every_route(spec):
    assert spec["openapi"].startswith("3.")
    assert {"/api/search", "/api/similar", "/api/health", "/api/documents", "/api/documents/{doc_id}",
            "/api/documents/{doc_id}/file", "/api/documents/{doc_id}/related"} <= set(spec["paths"])


def test_html_search_page_is_served(base_url):
    reply = _get(base_url, "/", q="immigration detention")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html")
    assert b"<mark>" in reply.body and b'<ol class="results"' in reply.body


def test_html_form_submission_with_empty_fields_is_accepted(base_url):
    # Exactly what a browser sends for the search form when only the query box is filled in.
    reply = http_request(base_url, "GET", "/?q=immigration+detention&mode=hybrid&sort=relevance&date_from=&date_to=")
    assert reply.status == 200, reply.body[-600:]
    assert b'<ol class="results"' in reply.body


def test_concurrent_requests_all_succeed_on_one_worker(base_url):
    queries = ["appeal", "section 35", "public interest", "housing register", "false social media personas"] * 2
    with ThreadPoolExecutor(max_workers=5) as pool:
        replies = list(pool.map(lambda q: _get(base_url, "/api/search", q=q, per_page=3), queries))
    assert [r.status for r in replies] == [200] * len(queries)
    assert len({json.dumps(r.json()["results"]) for r in replies}) > 1


def test_server_without_an_index_answers_503_with_a_hint(indexless_server):
    health = http_request(indexless_server.base_url, "GET", "/api/health")
    assert _assert_error(health, 503, "SERVICE_UNAVAILABLE")["details"]["index"]
    assert health.json()["ready"] is False
    search = http_request(indexless_server.base_url, "GET", "/api/search?q=appeal")
    assert "make index" in _assert_error(search, 503, "SERVICE_UNAVAILABLE")["message"] + json.dumps(
        search.json()["error"]["details"])
    assert search.headers.get("retry-after")
    page = http_request(indexless_server.base_url, "GET", "/?q=appeal")
    assert page.status == 503 and page.headers["content-type"].startswith("text/html")
