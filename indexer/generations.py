"""Index generations on disk: names, the CURRENT pointer, the build lock, durable writes and garbage collection."""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from config import Settings
from indexer import store

SCHEMA_VERSION = 1
GENERATIONS = "generations"
CURRENT = "CURRENT"
LOCK = "build.lock"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.json"
LAST_REPORT = "last-report.json"
TMP_MARK = ".tmp-"
log = logging.getLogger("indexer.build")


class BuildLocked(Exception):
    """Another build holds index_dir/build.lock."""


class DiskFull(OSError):
    """A build ran out of disk space (ENOSPC/EDQUOT); its unfinished generation has been removed."""


_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_SQLITE_FULL = 13  # SQLITE_FULL: the embedding cache's database could not grow


def is_disk_full(exc: BaseException) -> bool:
    """True for an out-of-space error from a file write or from the embedding cache's SQLite database."""
    if isinstance(exc, OSError):
        return exc.errno in _FULL_ERRNOS
    return isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL


def disk_full_error(exc: BaseException, index_dir: Path, doing: str) -> DiskFull:
    """A DiskFull whose message says what the build was doing, what was kept and what to do."""
    code = errno.errorcode.get(exc.errno, "ENOSPC") if isinstance(exc, OSError) else "SQLITE_FULL"
    where = getattr(exc, "filename", None)
    current = read_current(index_dir)
    kept = f"generation {current} is still current and untouched" if current else "there is no previous generation"
    message = (f"disk full ({code}) while {doing}{f' ({where})' if where else ''}: the build stopped, its "
               f"unfinished generation was removed and {kept}; free space on that disk and build again")
    return DiskFull(errno.ENOSPC, message)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _after(name: str) -> datetime | None:
    try:
        return datetime.strptime(name[:18], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        return None


def new_generation_name(after: str | None = None) -> str:
    """Sortable by build start (to the millisecond) and unique, e.g. 20261127T041500123Z-3fa9c1.

    The name sorts after `after` (the newest existing generation) even if the clock stepped back, because
    garbage collection keeps the last names in sort order as the newest.
    """
    now = datetime.now(UTC)
    moment = now.replace(microsecond=now.microsecond // 1000 * 1000)
    newest = _after(after) if after else None
    if newest is not None and moment <= newest:
        moment = newest + timedelta(milliseconds=1)
    return f"{moment:%Y%m%dT%H%M%S}{moment.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def generations_dir(index_dir: Path) -> Path:
    return Path(index_dir) / GENERATIONS


def read_current(index_dir: Path) -> str | None:
    """Name of the current generation, or None before the first successful build."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_path(index_dir: Path) -> Path | None:
    name = read_current(index_dir)
    return generations_dir(index_dir) / name if name else None


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """fsync every file and directory below root, so a rename of root publishes complete contents."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for filename in filenames:
            with open(os.path.join(dirpath, filename), "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(Path(dirpath))


def write_atomic(path: Path, data: str) -> None:
    """Replace path with data so readers see either the old or the new content, never a torn file."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # A full disk must not leave a stray half-written file beside CURRENT or the report.
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_json_atomic(path: Path, value: Any) -> None:
    write_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def publish(tmp_dir: Path, name: str) -> Path:
    """Make a finished tmp generation durable and give it its final name (not yet current)."""
    fsync_tree(tmp_dir)
    final = tmp_dir.parent / name
    os.rename(tmp_dir, final)
    fsync_dir(tmp_dir.parent)
    return final


def switch_current(index_dir: Path, name: str) -> None:
    write_atomic(Path(index_dir) / CURRENT, name + "\n")


def finished_generations(index_dir: Path) -> list[str]:
    """Names of complete generations, oldest first (names sort by build time)."""
    root = generations_dir(index_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and TMP_MARK not in p.name)


def remove_leftovers(index_dir: Path) -> list[str]:
    """Delete tmp generations of killed builds; only called while holding the build lock, so none is live."""
    root = generations_dir(index_dir)
    removed = []
    for path in sorted(root.glob(f"*{TMP_MARK}*")) if root.is_dir() else []:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in Path(index_dir).glob(f"*{TMP_MARK}*"):
        if path.is_file():
            path.unlink(missing_ok=True)
    return removed


def collect_garbage(index_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` finished generations, never the current one."""
    current = read_current(index_dir)
    names = finished_generations(index_dir)
    # Readers that opened an older generation keep it until the next build deletes it; the newest
    # ones are the only ones a just-started reader can still be using.
    doomed = [n for n in names[: max(len(names) - max(keep, 1), 0)] if n != current]
    for name in doomed:
        shutil.rmtree(generations_dir(index_dir) / name, ignore_errors=True)
    return doomed


def _lock_message(lock_path: Path) -> str:
    try:
        holder = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    pid = holder.get("pid", "unknown")
    started = holder.get("started_at", "unknown time")
    return f"another build is running (pid {pid}, started at {started}); wait for it or remove {lock_path} if stale"


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold index_dir/build.lock (non-blocking flock) for the duration; raise BuildLocked if taken."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir / LOCK
    handle = open(lock_path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(_lock_message(lock_path)) from None
        # The flock dies with the process, so a killed build never leaves the lock held.
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started_at": utc_now()}))
        handle.flush()
        yield
    finally:
        handle.close()


@dataclass
class Previous:
    """What a build reuses from the current generation; empty when there is none or it cannot be reused."""

    gen_dir: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    by_path: dict[str, dict[str, Any]] = field(default_factory=dict)  # corpus path -> document record
    passages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # doc id -> its passages
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # corpus path -> failed report entry

    def pages(self, doc_id: str) -> list[dict[str, Any]] | None:
        return store.read_pages(self.gen_dir, doc_id) if self.gen_dir else None

    @property
    def keyword_dir(self) -> Path | None:
        path = self.gen_dir / "keyword" if self.gen_dir else None
        return path if path and path.is_dir() else None


def _reusable(manifest: Mapping[str, Any], config: Settings) -> bool:
    # Passages of unchanged files are only valid if they were cut the same way.
    return (
        manifest.get("schema_version") == SCHEMA_VERSION
        and manifest.get("chunk_words") == config.chunk_words
        and manifest.get("chunk_max_words") == config.chunk_max_words
    )


def _read_failures(gen_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        files = json.loads((gen_dir / REPORT_FILE).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return {}
    # internal_error means a bug, which may be fixed by now: only real extraction failures are carried over.
    return {f["path"]: f for f in files if f.get("status") == "failed" and f.get("reason") != "internal_error"}


def load_previous(index_dir: Path, config: Settings, full: bool = False) -> Previous:
    """The current generation's records, for an incremental build; Previous() when full or unusable."""
    gen_dir = current_path(index_dir)
    if gen_dir is None or not gen_dir.is_dir():
        return Previous()
    try:
        manifest = json.loads((gen_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if full:
            # Only the model and dimension are kept: a fully cached rebuild then never loads the model.
            return Previous(manifest={k: manifest.get(k) for k in ("model", "dim")})
        documents = store.read_jsonl(gen_dir / store.DOCUMENTS_FILE)
        passages = store.read_jsonl(gen_dir / store.PASSAGES_FILE)
    except (OSError, ValueError) as exc:
        log.warning("current generation %s is unreadable (%s); extracting every file again", gen_dir.name, exc)
        return Previous()
    if not _reusable(manifest, config):
        log.info("schema or chunking changed since generation %s; extracting every file again", gen_dir.name)
        return Previous()
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for passage in passages:
        by_doc.setdefault(passage["doc_id"], []).append(
            {k: passage[k] for k in ("ordinal", "page_start", "page_end", "text")}
        )
    return Previous(gen_dir, manifest, {d["path"]: d for d in documents}, by_doc, _read_failures(gen_dir))
