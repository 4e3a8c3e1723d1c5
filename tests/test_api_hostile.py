"""Hostile requests get a clear 4xx in the one error shape, never a 5xx: long, nested, wildcard and malformed input."""
from __future__ import annotations

import pytest

from config import override
from service import create_app
from tests.server import chunked_post, http_request, slow_post

PASTE = ("The requester asked the council for all correspondence about the closure of the library, including emails "
         "between officers and councillors, minutes of meetings and any assessment of the impact on local residents. ")


def _raw(client, query: bytes, path: str = "/api/search"):
    # QUERY_STRING exactly as a server would pass it on: the test client would otherwise re-encode stray bytes.
    return client.get(path, environ_overrides={"QUERY_STRING": query.decode("latin-1")})


def _error(response, code: int) -> dict:
    assert response.status_code == code, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.fixture(scope="module")
def tight_app(index_config):
    """Small wildcard and clause limits, so the sample index (a few hundred terms) can exceed them."""
    app = create_app({**index_config, "max_wildcard_terms": 40, "max_query_clauses": 50})
    app.testing = True
    return app


def test_ten_thousand_character_query_points_to_similar(client):
    error = _error(client.get("/api/search", query_string={"q": "a" * 10_000}), 400)
    assert "max_query_chars" in error["details"]["q"][0] and "POST /api/similar" in error["details"]["q"][0]


def test_a_400_word_paste_still_searches(client):
    text = " ".join(PASTE.split() * 30)[:2700]
    assert len(text.split()) >= 390
    response = client.get("/api/search", query_string={"q": text})
    assert response.status_code == 200
    assert any("long query" in w for w in response.get_json()["warnings"])


@pytest.mark.parametrize("query, field", [
    (b"q=ab%00cd", "q"), (b"q=%FF%FE", "q"), (b"q=x&authority=a%00b", "authority"), (b"q=x&section=%C3%28", "section"),
    (b"mode=hy%00brid", "mode"), (b"page=%FF", "page"), (b"%FF%FE=1", "\ufffd\ufffd"), (b"date_from=2020-01-0%00", "date_from"),
])
def test_nul_and_invalid_utf8_in_search_parameters(client, query, field):
    error = _error(_raw(client, query), 400)
    assert field in error["details"], error


@pytest.mark.parametrize("path", ["/api/documents", "/api/documents/x/related"])
def test_nul_and_invalid_utf8_on_other_endpoints(client, path):
    assert _error(_raw(client, b"authority=%00&limit=%FF", path), 400)["details"]


@pytest.mark.parametrize("body, code", [
    ({"text": "a request\x00 with a NUL"}, 422), ({"text": "x", "authority": "\x00"}, 422),
])
def test_nul_in_similar_body(client, body, code):
    error = _error(client.post("/api/similar", json=body), code)
    assert set(error["details"]) & {"text", "authority"}


@pytest.mark.parametrize("data, message", [
    (b'{"text": "\xff\xfe"}', "UTF-8"), (b"[" * 50_000 + b"]" * 50_000, "JSON"), (b'{"text": ', "JSON"),
])
def test_malformed_similar_bodies(app, data, message):
    # 100 kB of nesting would also be over the test body limit, so this app takes bigger bodies.
    big = create_app(override(app.extensions["foi"].config, max_body_bytes=200_000))
    response = big.test_client().post("/api/similar", data=data, content_type="application/json")
    assert message in _error(response, 400)["message"]


@pytest.mark.parametrize("q", ["(" * 500 + "a" + ")" * 500, "(" * 21 + "appeal" + ")" * 21])
@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_deep_nesting_is_refused(client, q, mode):
    error = _error(client.get("/api/search", query_string={"q": q, "mode": mode}), 400)
    assert "max_query_depth" in error["details"]["q"][0]


def test_nesting_within_the_limit_is_searched(client):
    response = client.get("/api/search", query_string={"q": "(" * 20 + "appeal" + ")" * 20, "mode": "keyword"})
    assert response.status_code == 200 and response.get_json()["total"] > 0


def test_ten_thousand_ors_are_refused(client, tight_app):
    assert "max_query_chars" in _error(client.get("/api/search", query_string={"q": " OR ".join(["a"] * 10_000)}),
                                       400)["details"]["q"][0]
    many = " OR ".join(f"w{i}" for i in range(30))  # 59 words: under long_query_words, 60 title+content clauses
    error = _error(tight_app.test_client().get("/api/search", query_string={"q": many, "mode": "keyword"}), 400)
    assert "max_query_clauses" in error["details"]["q"][0]


@pytest.mark.parametrize("q", ["NOT NOT appeal", "NOT " * 300 + "appeal", "appeal AND AND OR", "((appeal) OR"])
def test_odd_operator_runs_fall_back_to_words(client, q):
    response = client.get("/api/search", query_string={"q": q, "mode": "keyword"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("q", ["a*", "*", "?*", "*a*", "content:[a TO z]", "s* t* u*"])
def test_expensive_wildcards_are_refused_naming_the_limit(tight_app, q):
    for mode in ("keyword", "hybrid"):
        response = tight_app.test_client().get("/api/search", query_string={"q": q, "mode": mode})
        error = _error(response, 400)
        assert "max_wildcard_terms" in error["details"]["q"][0] and "40" in error["message"]


def test_narrow_wildcards_still_work(tight_app):
    response = tight_app.test_client().get("/api/search", query_string={"q": "tribun*", "mode": "keyword"})
    assert response.status_code == 200 and response.get_json()["total"] > 0


def test_default_wildcard_limit_allows_the_sample_index(client):
    # ~300 distinct content terms start with a letter on the sample index; well under the default 1000.
    assert client.get("/api/search", query_string={"q": "a*", "mode": "keyword"}).status_code == 200


@pytest.mark.parametrize("name, value", [
    ("per_page", "0"), ("per_page", "-1"), ("per_page", str(10**12)), ("per_page", "ten"), ("per_page", "1.5"),
    ("page", "0"), ("page", "-1"), ("page", str(10**12)), ("page", "9" * 5000), ("page", "two"), ("page", "1e3"),
])
@pytest.mark.parametrize("path", ["/api/search", "/api/documents"])
def test_paging_extremes(client, path, name, value):
    assert name in _error(client.get(path, query_string={name: value}), 400)["details"]


def test_page_past_the_end_is_empty_not_an_error(client):
    body = client.get("/api/search", query_string={"q": "appeal", "page": 100_000}).get_json()
    assert body["results"] == [] and body["page"] == 100_000 and body["total"] > 0


def test_related_limit_extremes(client):
    for value in ("0", "-1", str(10**12), "x"):
        assert "limit" in _error(client.get("/api/documents/x/related", query_string={"limit": value}), 400)["details"]


@pytest.mark.parametrize("path", [
    "/api/documents/../../etc/passwd/file", "/api/documents/..%2F..%2Fetc%2Fpasswd/file",
    "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file", "/api/documents/%2e%2e/file", "/api/documents/../file",
    "/api/documents/..",
])
def test_dot_dot_paths_never_reach_the_filesystem(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500 and response.mimetype == "application/json"
    assert b"root:" not in response.get_data()


# ---- through a real gunicorn: raw bytes on the wire, chunked bodies ---------------------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("path, code", [
    ("/api/search?q=ab%00cd", 400), ("/api/search?q=%FF%FE", 400), ("/api/search?authority=%C3%28", 400),
    ("/api/documents/%FF%FE", 400), ("/api/documents/a%00b/file", 400), ("/api/documents/../../etc/passwd/file", 404),
    ("/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file", 404), ("/api/search?q=" + "(" * 30 + "a" + ")" * 30, 400),
    ("/api/search?page=1000000000000", 400), ("/api/search?q=" + "a" * 4001, 400),
])
def test_live_hostile_urls(base_url, path, code):
    reply = http_request(base_url, "GET", path)
    assert reply.status == code and reply.headers["content-type"] == "application/json", reply.body[:300]
    assert reply.json()["error"]["code"] == code


@pytest.mark.e2e
def test_live_ten_thousand_character_query_is_a_4xx(base_url):
    # Over gunicorn's request-line limit the server itself answers, before the app runs, in the same error shape.
    reply = http_request(base_url, "GET", "/api/search?q=" + "a" * 10_000)
    assert reply.status == 414 and reply.headers["content-type"] == "application/json"
    assert reply.json()["error"]["code"] == 414 and "Request Line is too large" in reply.json()["error"]["message"]


@pytest.mark.e2e
def test_live_oversized_bodies_get_413_with_or_without_content_length(base_url):
    body = b'{"text": "' + b"x" * 2_100_000 + b'"}'
    reply = http_request(base_url, "POST", "/api/similar", body, {"Content-Type": "application/json"})
    assert reply.status == 413 and reply.json()["error"]["code"] == 413
    status, data, content_type = chunked_post(base_url, "/api/similar", body)
    assert status == 413 and content_type == "application/json", data[:300]
    assert b"larger than 2000000 bytes" in data


@pytest.mark.e2e
@pytest.mark.parametrize("chunked", [False, True])
def test_live_oversized_body_from_a_slow_sender_still_gets_its_413(base_url, chunked):
    reply = slow_post(base_url, b'{"text": "' + b"x" * 2_100_000 + b'"}', chunked)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert b"larger than 2000000 bytes" in body


@pytest.mark.e2e
def test_live_chunked_body_under_the_limit_is_read(base_url):
    status, data, _ = chunked_post(base_url, "/api/similar", b'{"text": "refusal under section 35", "k": 2}')
    assert status == 200, data[:300]
