"""Every API failure, on every endpoint, has the one JSON error shape and never a traceback."""
from __future__ import annotations

import pytest

from tests.fixtures_service import TEST_BODY_LIMIT

SECRET = "secret-internal-detail /srv/app/engine.py line 42"
TEXT = {"text": "a request for ministerial briefings on immigration detention"}
LIMITED_CLIENT = {"REMOTE_ADDR": "203.0.113.7"}

# (method, path, request kwargs, expected code, field expected in details or None, which app, engine method to break)
CASES = {
    "unknown route": ("GET", "/api/nothing-here", {}, 404, None, "app", None),
    "unknown document": ("GET", "/api/documents/no-such-id", {}, 404, None, "app", None),
    "unknown document file": ("GET", "/api/documents/no-such-id/file", {}, 404, None, "app", None),
    "unknown document related": ("GET", "/api/documents/no-such-id/related", {}, 404, None, "app", None),
    "unknown request cluster": ("GET", "/api/requests/req-no-such-id", {}, 404, None, "app", None),
    "wrong method on request cluster": ("POST", "/api/requests/req-x", {}, 405, None, "app", None),
    "no index request cluster": ("GET", "/api/requests/req-x", {}, 503, "index", "empty_app", None),
    "request cluster crashes": ("GET", "/api/requests/req-x", {}, 500, None, "app", "request_cluster"),
    "wrong method on search": ("POST", "/api/search", {}, 405, None, "app", None),
    "wrong method on similar": ("GET", "/api/similar", {}, 405, None, "app", None),
    "wrong method on document": ("DELETE", "/api/documents/x", {}, 405, None, "app", None),
    "body too large": ("POST", "/api/similar", {"json": {"text": "x" * (TEST_BODY_LIMIT + 1)}}, 413, None, "app", None),
    "similar without text": ("POST", "/api/similar", {"json": {"k": 3}}, 422, "text", "app", None),
    "similar blank text": ("POST", "/api/similar", {"json": {"text": "   "}}, 422, "text", "app", None),
    "similar k too big": ("POST", "/api/similar", {"json": {**TEXT, "k": 1000}}, 422, "k", "app", None),
    "similar bad date": ("POST", "/api/similar", {"json": {**TEXT, "date_to": "2020-13-01"}}, 422, "date_to", "app", None),
    "similar body not object": ("POST", "/api/similar", {"json": ["text"]}, 422, "_schema", "app", None),
    "similar malformed json": ("POST", "/api/similar", {"data": "{text:", "content_type": "application/json"},
                               400, None, "app", None),
    "unknown mode": ("GET", "/api/search", {"query_string": {"q": "x", "mode": "fuzzy"}}, 400, "mode", "app", None),
    "per_page too big": ("GET", "/api/search", {"query_string": {"q": "x", "per_page": 1000}}, 400, "per_page", "app", None),
    "negative page": ("GET", "/api/search", {"query_string": {"q": "x", "page": -1}}, 400, "page", "app", None),
    "page not a number": ("GET", "/api/search", {"query_string": {"page": "two"}}, 400, "page", "app", None),
    "malformed date": ("GET", "/api/search", {"query_string": {"date_from": "12/03/2020"}}, 400, "date_from", "app", None),
    "dates reversed": ("GET", "/api/search", {"query_string": {"date_from": "2021-01-01", "date_to": "2020-01-01"}},
                       400, "date_from", "app", None),
    "unknown sort": ("GET", "/api/search", {"query_string": {"sort": "random"}}, 400, "sort", "app", None),
    "unknown fusion": ("GET", "/api/search", {"query_string": {"fusion": "max"}}, 400, "fusion", "app", None),
    "unknown doc_type": ("GET", "/api/search", {"query_string": {"doc_type": "memo"}}, 400, "doc_type", "app", None),
    "unknown parameter": ("GET", "/api/search", {"query_string": {"qq": "typo"}}, 400, "qq", "app", None),
    "documents bad format": ("GET", "/api/documents", {"query_string": {"format": "xml"}}, 400, "format", "app", None),
    "documents per_page zero": ("GET", "/api/documents", {"query_string": {"per_page": 0}}, 400, "per_page", "app", None),
    "related bad limit": ("GET", "/api/documents/x/related", {"query_string": {"limit": "-3"}}, 400, "limit", "app", None),
    "no index search": ("GET", "/api/search", {"query_string": {"q": "x"}}, 503, "index", "empty_app", None),
    "no index documents": ("GET", "/api/documents", {}, 503, "index", "empty_app", None),
    "no index document": ("GET", "/api/documents/x", {}, 503, "index", "empty_app", None),
    "no index similar": ("POST", "/api/similar", {"json": TEXT}, 503, "index", "empty_app", None),
    "no index health": ("GET", "/api/health", {}, 503, "index", "empty_app", None),
    "query too long": ("GET", "/api/search", {"query_string": {"q": "a" * 10_000}}, 400, "q", "app", None),
    "query nested too deep": ("GET", "/api/search", {"query_string": {"q": "(" * 500 + "a" + ")" * 500}},
                              400, "q", "app", None),
    "NUL in query": ("GET", "/api/search", {"environ_overrides": {"QUERY_STRING": "q=a%00b"}}, 400, "q", "app", None),
    "invalid UTF-8 in query": ("GET", "/api/documents", {"environ_overrides": {"QUERY_STRING": "authority=%FF%FE"}},
                               400, "authority", "app", None),
    "page too big": ("GET", "/api/search", {"query_string": {"page": 10**12}}, 400, "page", "app", None),
    "similar NUL in text": ("POST", "/api/similar", {"json": {"text": "a\x00b"}}, 422, "text", "app", None),
    "similar invalid UTF-8": ("POST", "/api/similar", {"data": b'{"text": "\xff"}', "content_type": "application/json"},
                              400, None, "app", None),
    "similar JSON nested too deep": ("POST", "/api/similar", {"data": "[" * 9000 + "]" * 9000,
                                                             "content_type": "application/json"}, 400, None, "app", None),
    "rate limited": ("GET", "/api/search", {"query_string": {"q": "x"}, "environ_base": LIMITED_CLIENT}, 429, None,
                     "limited_app", None),
    "search crashes": ("GET", "/api/search", {"query_string": {"q": "x"}}, 500, None, "app", "search"),
    "documents crash": ("GET", "/api/documents", {}, 500, None, "app", "documents"),
}


@pytest.fixture
def limited_app(index_config):
    """An app limiting clients to one request a minute, whose one request LIMITED_CLIENT has already spent."""
    from service import create_app

    app = create_app({**index_config, "rate_limit_per_minute": 1, "rate_limit_burst": 1})
    assert app.test_client().get("/api/openapi.json", environ_base=LIMITED_CLIENT).status_code == 200
    return app


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_error_shape(case, request, monkeypatch, caplog):
    method, path, kwargs, code, field, app_name, broken = CASES[case]
    app = request.getfixturevalue(app_name)
    if broken:
        def boom(*args, **kwargs):
            raise RuntimeError(SECRET)

        monkeypatch.setattr(app.extensions["foi"].snapshot().engine, broken, boom)
    response = app.test_client().open(path, method=method, **kwargs)
    assert response.status_code == code
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["status"] == error["status"].upper() and error["status"].replace("_", "").isalpha()
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    assert all(isinstance(m, list) and all(isinstance(s, str) for s in m) for m in error["details"].values())
    if field:
        assert field in error["details"], error
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and SECRET not in body
    if code == 500:
        # Hidden from the client, but kept for whoever runs the server.
        assert SECRET in caplog.text and "Traceback" in caplog.text
    if code == 405:
        assert response.headers["Allow"]
    if code == 429:
        assert int(response.headers["Retry-After"]) >= 1 and response.headers["RateLimit-Remaining"] == "0"
