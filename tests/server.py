"""Start and stop a real gunicorn server (`python -m service.serve`) over a given index, for e2e tests and benchmarks."""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from config import PROJECT_ROOT, Settings, load_config

# Loading the model and index in the preloading master takes a few seconds alone, much longer on a busy machine.
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 20.0


class ServerFailed(RuntimeError):
    """The server exited or never became ready; the message carries the end of its log."""


@dataclass
class Server:
    """A running gunicorn master: its base URL, pid and log file."""

    base_url: str
    process: subprocess.Popen
    log_path: Path
    health: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """Pids of the gunicorn workers (the master's children)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(paths: Settings | Mapping[str, object], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the server: FOI_CORPUS_DIR/INDEX_DIR/CACHE_DIR from paths, offline model loading."""
    env = dict(os.environ)
    config = load_config(paths)
    for name in ("corpus_dir", "index_dir", "cache_dir"):
        env[f"FOI_{name.upper()}"] = str(getattr(config, name))
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env.update(extra or {})
    return env


def fetch_health(base_url: str, timeout: float = 5.0) -> tuple[int, dict]:
    """(status, body) of GET /api/health; status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(f"{base_url}/api/health", timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (OSError, ValueError):
        return 0, {}


def _wait_ready(server: Server, timeout: float, require_index: bool) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {server.process.returncode}:\n{server.log_tail()}")
        status, body = fetch_health(server.base_url)
        if (status == 200 and body.get("ready")) or (status == 503 and not require_index):
            server.health = body
            return
        time.sleep(0.25)
    raise ServerFailed(f"gunicorn not ready at {server.base_url} after {timeout:.0f}s:\n{server.log_tail()}")


def _wait_for_workers(server: Server, workers: int, timeout: float) -> None:
    # One worker can answer the health check before the master has forked the others.
    deadline = time.monotonic() + timeout
    while len(server.worker_pids()) < workers:
        if time.monotonic() > deadline:
            raise ServerFailed(f"only {len(server.worker_pids())} of {workers} workers started:\n{server.log_tail()}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # SIGTERM lets the gunicorn master stop its workers gracefully; the group kill is the fallback for stragglers.
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def running_server(paths: Settings | Mapping[str, object], workers: int = 1, log_path: Path | None = None,
                   ready_timeout: float = READY_TIMEOUT, extra_env: Mapping[str, str] | None = None,
                   require_index: bool = True, gunicorn_args: Sequence[str] | None = None) -> Iterator[Server]:
    """Start `python -m service.serve` on a free loopback port, wait for a ready health check, stop it on exit.

    With require_index=False a server answering 503 (no index yet) counts as started. With gunicorn_args the
    server is `python -m gunicorn --bind ... --workers N <gunicorn_args> wsgi:app` instead, as an operator
    starting gunicorn by hand would run it.
    """
    port = free_port()
    if log_path is None:
        handle, name = tempfile.mkstemp(prefix="foi-gunicorn-", suffix=".log")
        os.close(handle)
        log_path = Path(name)
    if gunicorn_args is None:
        command = [sys.executable, "-m", "service.serve", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                   *gunicorn_args, "wsgi:app"]
    with open(log_path, "wb") as log:
        # A session of its own, so the fallback kill reaches the workers of this server and nothing else.
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=server_env(paths, extra_env), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_ready(server, ready_timeout, require_index)
        _wait_for_workers(server, workers, ready_timeout)
        yield server
    finally:
        _stop(process)


@dataclass
class Reply:
    """One HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def http_request(base_url: str, method: str, path: str, body: bytes | None = None,
                 headers: Mapping[str, str] | None = None, timeout: float = 60.0) -> Reply:
    """Send path exactly as written (no client-side normalisation, unlike a browser) and read the whole reply."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def chunked_post(base_url: str, path: str, body: bytes) -> tuple[int, bytes, str]:
    """POST body with Transfer-Encoding: chunked through http.client; (status, body, Content-Type)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for start in range(0, len(body), 65536):
            chunk = body[start:start + 65536]
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type", "")
    finally:
        connection.close()


def slow_post(base_url: str, body: bytes, chunked: bool) -> bytes:
    """POST body in small, spaced writes through a small send buffer, as a client on a slow link sends it.

    The server answers 413 after the first bytes; the client is still writing long after that, so this is the
    case where closing without reading the rest of the body turns the answer into a broken pipe.
    """
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
        sock.sendall(f"POST /api/similar HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     f"{framing}\r\n\r\n".encode())
        for start in range(0, len(body), 16384):
            piece = body[start:start + 16384]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            time.sleep(0.0005)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
        reply = b""
        while data := sock.recv(65536):
            reply += data
    return reply
