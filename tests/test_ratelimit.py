"""Per-client-IP rate limiting: token buckets, loopback exemption, X-Forwarded-For, 429 shape, shared across workers."""
from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from service import create_app
from service.ratelimit import SharedBuckets, client_address, is_loopback
from tests.server import http_request, running_server

CLIENT = {"REMOTE_ADDR": "203.0.113.7"}


def _app(index_config, **settings):
    app = create_app({**index_config, "rate_limit_per_minute": 60, "rate_limit_burst": 3, **settings})
    app.testing = True
    return app


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    buckets = SharedBuckets(64, per_minute=60, burst=3)
    key = b"k" * 16
    assert [buckets.take(key, now=100.0).allowed for _ in range(4)] == [True, True, True, False]
    refused = buckets.take(key, now=100.0)
    assert refused.retry_after == pytest.approx(1.0) and refused.remaining == 0
    assert buckets.take(key, now=101.0).allowed and not buckets.take(key, now=101.0).allowed
    # A long pause fills the bucket to the burst, never beyond it.
    assert [buckets.take(key, now=1000.0).allowed for _ in range(4)] == [True, True, True, False]


def test_clients_have_separate_buckets_and_a_full_table_recycles_the_oldest():
    buckets = SharedBuckets(16, per_minute=60, burst=1)
    keys = [bytes([i]) * 16 for i in range(1, 40)]
    for step, key in enumerate(keys):
        assert buckets.take(key, now=float(step)).allowed
    # The table holds 16; the newest client is still tracked, the first one was recycled (a fresh bucket).
    assert not buckets.take(keys[-1], now=38.5).allowed
    assert buckets.take(keys[0], now=38.5).allowed


def test_client_address_and_loopback():
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}
    assert client_address(environ, trust_forwarded=False) == "127.0.0.1"
    assert client_address(environ, trust_forwarded=True) == "203.0.113.7"
    assert client_address({"REMOTE_ADDR": "10.0.0.1"}, trust_forwarded=True) == "10.0.0.1"
    assert all(map(is_loopback, ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]))
    assert not any(map(is_loopback, ["10.0.0.1", "203.0.113.7", "", "unix:/tmp/sock", "2001:db8::1"]))


def test_429_in_the_error_shape_with_retry_after(index_config):
    # 6 per minute refills one token in 10 s: a slow machine cannot refill the bucket between the four requests.
    client = _app(index_config, rate_limit_per_minute=6).test_client()
    replies = [client.get("/api/documents", environ_base=CLIENT) for _ in range(4)]
    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    assert [r.headers["RateLimit-Remaining"] for r in replies[:3]] == ["2", "1", "0"]
    limited = replies[-1]
    error = limited.get_json()["error"]
    assert limited.mimetype == "application/json"
    assert error["code"] == 429 and error["status"] == "TOO_MANY_REQUESTS" and "6 per minute" in error["message"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 10 and limited.headers["RateLimit-Limit"] == "3"
    # Another client is not affected.
    assert client.get("/api/documents", environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code == 200


def test_every_api_route_counts_but_health_and_pages_do_not(index_config):
    client = _app(index_config, rate_limit_per_minute=6).test_client()
    for path in ("/api/documents", "/api/nothing-here", "/api/openapi.json"):
        client.get(path, environ_base=CLIENT)
    for _ in range(5):
        assert client.get("/api/health", environ_base=CLIENT).status_code == 200
        assert client.get("/", environ_base=CLIENT).status_code == 200
    assert client.post("/api/similar", json={"text": "x"}, environ_base=CLIENT).status_code == 429


def test_loopback_is_exempt_by_default_and_can_be_limited(index_config):
    exempt = _app(index_config).test_client()
    assert all(exempt.get("/api/documents").status_code == 200 for _ in range(6))
    limited = _app(index_config, rate_limit_exempt_loopback=False).test_client()
    assert [limited.get("/api/documents").status_code for _ in range(4)][-1] == 429


def test_forwarded_for_is_used_only_when_trusted(index_config):
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    untrusted = _app(index_config).test_client()
    headers = {"X-Forwarded-For": "203.0.113.7"}
    assert all(untrusted.get("/api/documents", headers=headers, environ_base=proxied).status_code == 200
               for _ in range(6))
    trusted = _app(index_config, rate_limit_trust_forwarded=True).test_client()
    codes = [trusted.get("/api/documents", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base=proxied).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Behind the proxy, each forwarded client has its own bucket.
    other = trusted.get("/api/documents", headers={"X-Forwarded-For": "198.51.100.9"}, environ_base=proxied)
    assert other.status_code == 200


def test_zero_turns_rate_limiting_off(index_config):
    client = _app(index_config, rate_limit_per_minute=0).test_client()
    assert all(client.get("/api/documents", environ_base=CLIENT).status_code == 200 for _ in range(6))
    assert "RateLimit-Limit" not in client.get("/api/documents", environ_base=CLIENT).headers


@pytest.mark.e2e
def test_limit_is_shared_by_gunicorn_workers(index_config, tmp_path):
    """Two preloaded workers, loopback not exempt: the burst holds for the client, not once per worker."""
    burst = 6
    settings = {"FOI_RATE_LIMIT_PER_MINUTE": "1", "FOI_RATE_LIMIT_BURST": str(burst),
                "FOI_RATE_LIMIT_EXEMPT_LOOPBACK": "0",
                # The worker pid in each access-log line shows which worker answered which request.
                "GUNICORN_CMD_ARGS": "--access-logformat=ACCESS|%(p)s|%(s)s|%(U)s"}
    log_path = tmp_path / "server.log"
    with running_server(index_config, workers=2, log_path=log_path, extra_env=settings) as server:
        deadline = time.monotonic() + 60
        while len(server.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        # Concurrent requests on fresh connections keep both workers busy, so both answer some of them.
        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(lambda _: http_request(server.base_url, "GET", "/api/search?q=appeal",
                                                         headers={"Connection": "close"}).status, range(30)))
    answered = [line.split("|")[1:4] for line in log_path.read_text().splitlines() if line.startswith("ACCESS|")]
    answered_search = [(pid.strip("<>"), status) for pid, status, path in answered if path == "/api/search"]
    by_worker = Counter(answered_search)
    per_worker = Counter(pid for pid, _status in answered_search)
    # With a table per worker, two workers answering >= 2 requests each would allow at least burst + 2.
    assert len(per_worker) == 2 and min(per_worker.values()) >= 2, per_worker
    # One token refills per minute, so a run of a few seconds allows the burst and at most one more.
    assert codes.count(200) in (burst, burst + 1), (codes, by_worker)
    assert codes.count(429) == len(codes) - codes.count(200)


def test_429_matches_the_openapi_document(index_config):
    from jsonschema import Draft202012Validator

    app = _app(index_config, rate_limit_burst=1)
    client = app.test_client()
    spec = client.get("/api/openapi.json", environ_base=CLIENT).get_json()
    limited = client.get("/api/search", environ_base=CLIENT)
    assert limited.status_code == 429
    declared = spec["paths"]["/api/search"]["get"]["responses"]["429"]
    schema = declared["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": spec["components"]}).validate(limited.get_json())
    assert set(declared["headers"]) <= set(limited.headers.keys())
