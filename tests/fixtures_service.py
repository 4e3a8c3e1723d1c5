"""Service fixtures: an app over the session's sample index, its test client, and an app with no index."""
from __future__ import annotations

import pytest

# Small enough that a test can exceed it cheaply, large enough for a real pasted request.
TEST_BODY_LIMIT = 20_000


@pytest.fixture(scope="session")
def app(index_config):
    from service import create_app

    app = create_app({**index_config, "max_body_bytes": TEST_BODY_LIMIT})
    app.testing = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def empty_app(tmp_path, index_config):
    """An app whose index_dir holds no index, as after a fresh checkout."""
    from service import create_app

    empty = tmp_path / "no-index"
    empty.mkdir()
    app = create_app({**index_config, "index_dir": str(empty)})
    app.testing = True
    return app
