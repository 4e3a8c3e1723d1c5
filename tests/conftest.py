"""Session fixtures: the shared data folder, a small sample corpus and one index built from it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from config import load_config
from tests.sample_corpus import make_sample_corpus

pytest_plugins = ["tests.fixtures_service", "tests.fixtures_shared", "tests.fixtures_server"]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"
# Fixtures that start a server or build an index of their own: a test using one belongs to that tier.
PROCESS_FIXTURES = frozenset({"live_server", "base_url", "indexless_server", "recycling_server"})
SLOW_FIXTURES = frozenset({"own_index", "work", "ocr_build", "crash_setup"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers `-m` selects: every test starting a process is `process`, every own-index test `slow`."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("e2e") or item.get_closest_marker("browser") or fixtures & PROCESS_FIXTURES:
            item.add_marker(pytest.mark.process)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(f"real-data tier: {SHARED_DIR} is absent, so the tests on the shared corpus are skipped")
    return SHARED_DIR


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory) -> Path:
    # One cache for the session, so repeated builds in tests reuse vectors as production rebuilds do.
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    return make_sample_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def index_config(tmp_path_factory, sample_corpus, embedding_cache_dir) -> dict:
    """Config mapping of a built index over the sample corpus (built once per session)."""
    from indexer.build import build_index

    config = {
        "corpus_dir": str(sample_corpus),
        "index_dir": str(tmp_path_factory.mktemp("index")),
        "cache_dir": str(embedding_cache_dir),
        "progress": False,
    }
    build_index(load_config(config))
    return config


@pytest.fixture
def own_index(tmp_path, sample_corpus, embedding_cache_dir) -> dict:
    """Snapshot config of an index built over this test's own copy of the sample corpus, free to change or break."""
    from indexer.build import build_index

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    config = load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
                          "cache_dir": str(embedding_cache_dir), "progress": False})
    build_index(config)
    return config


@pytest.fixture(scope="session")
def reader(index_config):
    from indexer.reader import open_index

    return open_index(load_config(index_config))


@pytest.fixture(scope="module")
def engine(reader, index_config):
    """A SearchEngine over the session index, as the service builds one per worker."""
    from indexer.embedder import load_embedder
    from service.search.engine import SearchEngine

    config = load_config(index_config)
    return SearchEngine(reader, lambda: load_embedder(config), config)
