"""The served OpenAPI document is valid, and real responses (successes and errors) conform to it."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate


@pytest.fixture(scope="module")
def spec(app) -> dict:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _validator(spec: dict, path: str, method: str, code: int, media: str = "application/json") -> Draft202012Validator:
    schema = spec["paths"][path][method]["responses"][str(code)]["content"][media]["schema"]
    # Refs point at #/components/..., so the components travel with the schema.
    return Draft202012Validator({**schema, "components": spec["components"]})


def test_spec_is_valid_openapi(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    search_params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search_params >= {"q", "mode", "sort", "fusion", "page", "per_page", "doc_type", "authority", "section",
                             "outcome", "legislation", "date_from", "date_to", "reference"}


def test_per_page_limit_in_spec_follows_config(spec, app):
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["per_page"]["schema"]["maximum"] == app.extensions["foi"].config.max_per_page


def _first_id(client) -> str:
    return client.get("/api/search", query_string={"q": "section 35 appeal"}).get_json()["results"][0]["id"]


def _cluster(client) -> str:
    """A request cluster of the sample index, as a search result names it."""
    results = client.get("/api/search", query_string={"q": "drones remote pilot"}).get_json()["results"]
    return next(result["request_cluster"] for result in results if result["request_cluster"])


def test_real_responses_match_the_spec(spec, client):
    doc_id = _first_id(client)
    calls = [
        ("/api/search", "get", client.get("/api/search", query_string={"q": "section 35 appeal", "per_page": 3})),
        ("/api/search", "get", client.get("/api/search", query_string={"q": "x", "mode": "bad"})),
        ("/api/documents", "get", client.get("/api/documents", query_string={"per_page": 3})),
        ("/api/documents/{doc_id}", "get", client.get(f"/api/documents/{doc_id}")),
        ("/api/documents/{doc_id}", "get", client.get("/api/documents/missing")),
        ("/api/documents/{doc_id}/related", "get", client.get(f"/api/documents/{doc_id}/related?limit=2")),
        ("/api/search", "get", client.get("/api/search", query_string={"q": "drones", "group_requests": "true"})),
        ("/api/requests/{cluster_id}", "get", client.get(f"/api/requests/{_cluster(client)}")),
        ("/api/requests/{cluster_id}", "get", client.get("/api/requests/req-missing")),
        ("/api/similar", "post", client.post("/api/similar", json={"text": "refusal under section 35", "k": 2})),
        ("/api/similar", "post", client.post("/api/similar", json={"k": 2})),
        ("/api/health", "get", client.get("/api/health")),
    ]
    for path, method, response in calls:
        errors = list(_validator(spec, path, method, response.status_code).iter_errors(response.get_json()))
        assert not errors, (path, response.status_code, [e.message for e in errors[:5]])


def test_jsonl_lines_match_the_spec(spec, client):
    validator = _validator(spec, "/api/documents", "get", 200, "application/x-ndjson")
    lines = client.get("/api/documents?format=jsonl").get_data(as_text=True).splitlines()
    assert lines
    for line in lines:
        validator.validate(json.loads(line))


def test_missing_index_response_matches_the_spec(spec, empty_app):
    response = empty_app.test_client().get("/api/health")
    _validator(spec, "/api/health", "get", 503).validate(response.get_json())
