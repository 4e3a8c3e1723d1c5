"""Gunicorn settings: the command line follows the config, and a running server recycles, reloads and takes long URLs."""
from __future__ import annotations

import re
import signal
import time
from urllib.parse import quote, urlencode

import pytest

from config import load_config
from service.serve import HOOKS, gunicorn_argv
from tests.server import Server, fetch_health, http_request, running_server

MAX_REQUESTS = 15


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_command_line_carries_the_serving_settings():
    config = load_config({"worker_timeout": 45, "graceful_timeout": 7, "max_requests": 900, "max_requests_jitter": 90,
                          "keepalive": 3, "limit_request_line": 0, "limit_request_field_size": 4000, "workers": 3})
    argv = gunicorn_argv(config)
    expected = {"--timeout": "45", "--graceful-timeout": "7", "--max-requests": "900", "--max-requests-jitter": "90",
                "--keep-alive": "3", "--limit-request-line": "0", "--limit-request-field_size": "4000",
                "--workers": "3", "--config": f"python:{HOOKS}"}
    assert {name: _option(argv, name) for name in expected} == expected
    assert "--preload" in argv


@pytest.mark.process
def test_environment_overrides_reach_the_command_line(monkeypatch):
    monkeypatch.setenv("FOI_MAX_REQUESTS", "123")
    monkeypatch.setenv("FOI_GRACEFUL_TIMEOUT", "4")
    argv = gunicorn_argv(load_config())
    assert _option(argv, "--max-requests") == "123" and _option(argv, "--graceful-timeout") == "4"


@pytest.fixture(scope="module")
def recycling_server(index_config, tmp_path_factory) -> Server:
    """One worker that is replaced after every MAX_REQUESTS requests."""
    log_path = tmp_path_factory.mktemp("gunicorn-recycling") / "server.log"
    extra = {"FOI_MAX_REQUESTS": str(MAX_REQUESTS), "FOI_MAX_REQUESTS_JITTER": "0"}
    with running_server(index_config, workers=1, log_path=log_path, extra_env=extra) as server:
        yield server


def _wait_for_workers(server: Server, count: int, timeout: float = 60.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(server.worker_pids()) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return server.worker_pids()


def test_worker_is_recycled_after_max_requests_without_failing_a_request(recycling_server):
    first = _wait_for_workers(recycling_server, 1)
    statuses = [http_request(recycling_server.base_url, "GET", "/api/search?q=police&mode=keyword").status
                for _ in range(MAX_REQUESTS * 2 + 2)]
    assert statuses == [200] * len(statuses)
    now = _wait_for_workers(recycling_server, 1)
    assert now and now != first, "the worker should have been replaced after max_requests"
    assert "autorestarting worker" in recycling_server.log_tail(400).lower()


def test_sighup_replaces_workers_and_keeps_the_master(recycling_server):
    before = _wait_for_workers(recycling_server, 1)
    recycling_server.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while (not recycling_server.worker_pids() or set(recycling_server.worker_pids()) & set(before)) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert recycling_server.worker_pids() and not set(recycling_server.worker_pids()) & set(before)
    status, body = fetch_health(recycling_server.base_url)
    assert status == 200 and body["ready"] and recycling_server.process.poll() is None


def test_protocol_errors_from_gunicorn_use_the_json_error_shape(recycling_server):
    """A 10,000-character query is over the request-line limit: gunicorn answers before the app runs."""
    query = " ".join(["disclosure"] * 910)[:10_000]
    reply = http_request(recycling_server.base_url, "GET", f"/api/search?mode=keyword&q={quote(query)}", timeout=120)
    assert reply.status == 414 and reply.headers["content-type"] == "application/json", reply.body[:200]
    assert set(reply.json()["error"]) == {"code", "status", "message", "details"}
    assert reply.json()["error"]["status"] == "REQUEST_URI_TOO_LONG"
    oversized_header = http_request(recycling_server.base_url, "GET", "/api/health", headers={"X-Big": "b" * 9000})
    assert oversized_header.status in (400, 431) and oversized_header.json()["error"]["code"] == oversized_header.status
    short = quote(query[:3000])
    assert http_request(recycling_server.base_url, "GET", f"/api/search?mode=keyword&q={short}").status == 200


def _warmed_pids(server: Server, expected: set[int] | None = None, timeout: float = 180.0) -> set[int]:
    """Pids that logged a finished warm-up; waits (up to timeout) until they include every expected pid."""
    deadline = time.monotonic() + timeout
    while True:
        warmed = {int(match) for match in re.findall(r"warm-up done in pid (\d+)", server.log_tail(2000))}
        if expected is None or expected <= warmed or time.monotonic() > deadline:
            return warmed
        time.sleep(0.25)


def _long_query_path() -> str:
    # 3,900 characters (max_query_chars is 4,000) of a pasted text: its brackets and commas are percent-encoded,
    # which takes the URL over gunicorn's default 4,094-byte request line but not over the configured 8,190.
    path = "/api/search?" + urlencode({"q": "section 40(2), " * 260})
    assert 4094 < len(path) < 8190
    return path


def test_preloaded_server_warms_up_in_the_master_before_forking(recycling_server):
    log = recycling_server.log_tail(2000)
    assert recycling_server.pid in _warmed_pids(recycling_server), log[-2000:]
    assert "warm-up search failed" not in log and "warm-up similar failed" not in log
    assert log.index("warm-up done") < log.index("Booting worker")


@pytest.fixture(scope="module")
def bare_gunicorn(index_config, tmp_path_factory) -> Server:
    """`gunicorn wsgi:app` with gunicorn's defaults, as someone starting it by hand would (2 workers)."""
    log_path = tmp_path_factory.mktemp("gunicorn-bare") / "server.log"
    # No control socket: gunicorn's default path is shared by every server on the machine.
    with running_server(index_config, workers=2, log_path=log_path, gunicorn_args=["--no-control-socket"]) as server:
        yield server


def test_bare_gunicorn_warms_each_worker_before_it_serves(bare_gunicorn):
    # Each worker warms itself up as it imports wsgi.py, so one may still be at it after the first answers.
    workers = set(_wait_for_workers(bare_gunicorn, 2))
    assert workers <= _warmed_pids(bare_gunicorn, workers), bare_gunicorn.log_tail()
    assert "started without `-c python:service.gunicorn_hooks`" in bare_gunicorn.log_tail(2000)
    assert http_request(bare_gunicorn.base_url, "GET", "/api/search?q=appeal").status == 200


def test_bare_gunicorn_keeps_its_own_request_line_limit(bare_gunicorn, recycling_server):
    """What the wsgi.py docstring warns of: gunicorn's settings come only from gunicorn's own configuration."""
    assert http_request(bare_gunicorn.base_url, "GET", _long_query_path()).status == 414
    assert http_request(recycling_server.base_url, "GET", _long_query_path()).status == 200


def test_gunicorn_with_the_config_module_is_the_full_server(index_config, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("gunicorn-config") / "server.log"
    with running_server(index_config, workers=1, log_path=log_path,
                        gunicorn_args=["-c", "python:service.gunicorn_hooks"]) as server:
        assert server.pid in _warmed_pids(server) and "started without" not in server.log_tail(2000)
        assert http_request(server.base_url, "GET", _long_query_path()).status == 200
