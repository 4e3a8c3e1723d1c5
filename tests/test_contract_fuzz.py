"""Contract fuzzing: schemathesis generates requests from the OpenAPI document and sends them to a real gunicorn.

Every response must be a non-5xx that the document describes (status code, content type, body schema, headers),
and invalid requests must be rejected. Examples are bounded and derandomised, so a CI run is repeatable and fast.
The document is built here from the default configuration (schemathesis' fixture-based lazy loader does not run
under pytest 9); test_served_document_is_the_fuzzed_one checks the live server serves exactly that document.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (requirements-dev.txt)")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402 - only once schemathesis is known to be present

from config import load_config  # noqa: E402
from service.api.openapi import build_spec  # noqa: E402
from tests.server import http_request  # noqa: E402

pytestmark = pytest.mark.e2e

# Per operation; 8 operations x 25 examples is a few hundred requests.
MAX_EXAMPLES = 25
SETTINGS = load_config()
# A longer request line gets gunicorn's own 414 before the app runs; a q within maxLength can exceed it once
# percent-encoded (a non-ASCII character is 6-9 bytes).
SERVER_REQUEST_LINE = SETTINGS.limit_request_line
SPEC = build_spec(SETTINGS)
schema = schemathesis.openapi.from_dict(SPEC)


def _dates_in_order(values):
    # The one cross-field rule JSON Schema cannot state: date_from after date_to is a 400 (tested in test_errors),
    # so generated "valid" requests get their dates put in order rather than being counted as rejected valid data.
    if isinstance(values, dict):
        start, end = values.get("date_from"), values.get("date_to")
        if isinstance(start, str) and isinstance(end, str) and start > end:
            return {**values, "date_from": end, "date_to": start}
    return values


@schema.hook("map_case")
def _order_dates(context, case):
    case.query = _dates_in_order(case.query)
    case.body = _dates_in_order(case.body)
    return case


@schema.hook("filter_failure")
def _keep_unless_url_over_server_limit(context, failure, case, response):
    # The 414 is documented; only schemathesis' "valid data rejected" heuristic objects to it, and only for URLs
    # that really are over the server's limit. Every other failure, and any 414 on a shorter URL, is kept.
    url = urlsplit(response.request.url)
    target = len(url.path) + (len(url.query) + 1 if url.query else 0)
    return not (response.status_code == 414 and target > SERVER_REQUEST_LINE - len("GET  HTTP/1.1"))


def test_served_document_is_the_fuzzed_one(base_url):
    assert http_request(base_url, "GET", "/api/openapi.json").json() == SPEC


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_api_contract(case, base_url):
    case.call_and_validate(base_url=base_url, timeout=60)


def _one_of_each_format(base_url) -> list[str]:
    documents = http_request(base_url, "GET", "/api/documents?per_page=100").json()["documents"]
    by_suffix = {doc["path"].rsplit(".", 1)[-1].lower(): doc["id"] for doc in documents}
    assert {"pdf", "txt"} <= set(by_suffix), by_suffix
    return sorted(set(by_suffix.values()))


@pytest.mark.parametrize("suffix", ["", "/file", "/related"])
def test_real_documents_conform(base_url, suffix):
    # Random ids only ever reach the 404 branch; real ones (PDF, HTML, text) check the 200 bodies and file types.
    operation = schema[f"/api/documents/{{doc_id}}{suffix}"]["GET"]
    for doc_id in _one_of_each_format(base_url):
        response = operation.Case(path_parameters={"doc_id": doc_id}).call_and_validate(base_url=base_url, timeout=60)
        assert response.status_code == 200
