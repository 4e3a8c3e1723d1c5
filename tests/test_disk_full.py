"""A full index disk: the build fails cleanly (exit 1, 'disk full' in the report) and the old generation keeps serving."""
from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from config import Settings, override
from indexer import generations as gens
from indexer import keyword, store, vectors
from indexer.build import build_index
from indexer.reader import open_index
from service import create_app
from tests.cli import run_build

pytestmark = pytest.mark.slow

TMPFS_BYTES = 6 * 1024 * 1024
LEFT_FREE = 96 * 1024  # room for a few small files, not for a whole generation


def _no_space(path: object = "") -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _fail_store(gen_dir, *args, **kwargs):
    raise _no_space(Path(gen_dir) / store.PASSAGES_FILE)


def _fail_vectors(gen_dir, *args, **kwargs):
    raise _no_space(Path(gen_dir) / vectors.VECTORS_FILE)


def _fail_keyword(target_dir, *args, **kwargs):
    raise _no_space(Path(target_dir) / "MAIN_1.seg")


def _fail_publish(tmp_dir, name):
    raise _no_space(tmp_dir)


def _fail_switch(index_dir, name):
    raise _no_space(Path(index_dir) / gens.CURRENT)


WRITE_STEPS = {
    "documents and pages": (store, "write_generation_files", _fail_store),
    "vectors": (vectors, "write_vectors", _fail_vectors),
    "keyword index": (keyword, "write_keyword_index", _fail_keyword),
    "publishing (fsync and rename)": (gens, "publish", _fail_publish),
    "switching CURRENT": (gens, "switch_current", _fail_switch),
}


def _snapshot(config: Settings) -> tuple[str, list[str], dict]:
    index_dir = Path(config.index_dir)
    return gens.read_current(index_dir), gens.finished_generations(index_dir), open_index(config).documents


def _assert_untouched_and_served(config: Settings, before: tuple[str, list[str], dict]) -> None:
    index_dir = Path(config.index_dir)
    assert _snapshot(config) == before
    assert not list(gens.generations_dir(index_dir).glob(f"*{gens.TMP_MARK}*")), "partial generation left behind"
    assert not [p for p in index_dir.iterdir() if gens.TMP_MARK in p.name], "stray temporary file left behind"
    last = json.loads((index_dir / gens.LAST_REPORT).read_text(encoding="utf-8"))
    assert last["generation"] is None and "disk full (ENOSPC)" in last["error"]
    with gens.build_lock(index_dir):
        pass
    client = create_app(config).test_client()
    reply = client.get("/api/search?q=section+31&mode=keyword")
    assert reply.status_code == 200 and reply.headers["X-Index-Generation"] == before[0]
    assert reply.get_json()["total"] > 0


@pytest.mark.parametrize("step", list(WRITE_STEPS))
def test_injected_enospc_fails_cleanly(own_index, monkeypatch, step):
    before = _snapshot(own_index)
    module, name, failure = WRITE_STEPS[step]
    with monkeypatch.context() as patch:
        patch.setattr(module, name, failure)
        with pytest.raises(gens.DiskFull) as caught:
            build_index(own_index, full=True)
    assert caught.value.errno == errno.ENOSPC
    assert "disk full (ENOSPC)" in str(caught.value) and f"generation {before[0]} is still current" in str(caught.value)
    _assert_untouched_and_served(own_index, before)
    assert build_index(own_index).generation == gens.read_current(Path(own_index.index_dir))


def test_enospc_after_the_switch_keeps_the_new_generation(own_index, monkeypatch):
    """Once CURRENT names the new generation, a full disk while writing last-report.json must not undo the build."""
    real = gens.write_json_atomic

    def failing(path, value):
        if Path(path).name == gens.LAST_REPORT:
            raise _no_space(path)
        real(path, value)

    monkeypatch.setattr(gens, "write_json_atomic", failing)
    result = build_index(own_index, full=True)
    assert gens.read_current(Path(own_index.index_dir)) == result.generation
    assert open_index(own_index).generation == result.generation


@pytest.fixture
def tmpfs(tmp_path):
    """A small real filesystem (tmpfs) for the index; skipped where mounting is not permitted."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not permitted'}); "
                    "the injected-ENOSPC tests cover disk-full handling")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    stat = os.statvfs(disk)
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))
    return filler


@pytest.mark.process
def test_real_full_disk_fails_cleanly(own_index, tmpfs):
    config = override(own_index, index_dir=tmpfs / "index")
    build_index(config)
    before = _snapshot(config)
    filler = _fill(tmpfs, LEFT_FREE)
    done = run_build(config)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "disk full (ENOSPC)" in done.stderr and "Traceback" not in done.stderr
    _assert_untouched_and_served(config, before)
    filler.unlink()
    assert run_build(config).returncode == 2  # built; the sample corpus carries bad inputs
    assert gens.read_current(Path(config.index_dir)) not in (None, before[0])
