"""Session fixture: a real gunicorn server (one worker) over the session's sample index."""
from __future__ import annotations

import importlib.util

import pytest

from tests.server import Server, running_server


@pytest.fixture(scope="session")
def live_server(index_config, tmp_path_factory) -> Server:
    """A running `python -m service.serve` on a free loopback port; stopped at the end of the session."""
    if importlib.util.find_spec("gunicorn") is None:
        pytest.skip("gunicorn is not installed in this environment, so the end-to-end tier is skipped")
    log_path = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with running_server(index_config, workers=1, log_path=log_path) as server:
        yield server


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.base_url


@pytest.fixture(scope="module")
def indexless_server(index_config, tmp_path_factory) -> Server:
    """A real server whose index_dir holds no index yet, as right after `make serve` on a fresh checkout."""
    empty = tmp_path_factory.mktemp("no-index")
    log_path = tmp_path_factory.mktemp("gunicorn-indexless") / "server.log"
    with running_server({**index_config, "index_dir": empty}, log_path=log_path, require_index=False) as server:
        yield server
