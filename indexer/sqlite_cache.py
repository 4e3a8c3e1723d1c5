"""A per-process SQLite connection for the caches that builds and services share (embeddings, OCR)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class SqliteCache:
    """One cache file with one table; WAL mode and a busy timeout let concurrent processes share it."""

    schema = ""  # the CREATE TABLE IF NOT EXISTS statement of the subclass

    def __init__(self, cache_dir: Path, file_name: str) -> None:
        self.path = Path(cache_dir) / file_name
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        self._connection()

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross fork(); a forked process opens its own.
        if self._conn is None or self._pid != os.getpid():
            # Build threads may share it (OCR in extraction threads); callers serialise their use with a lock.
            conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 60000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(self.schema)
            conn.commit()
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
