"""OCR result cache in SQLite, keyed by file hash, page, dpi, engine version and language, shared by builds."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

CACHE_FILE = "ocr.sqlite3"


@dataclass(frozen=True)
class PageOcr:
    """What OCR read on one page: its text, the mean word confidence (0-100) and the word count."""

    text: str
    confidence: float
    words: int


class OcrCache:
    """Page results of one engine, language and dpi; WAL mode lets concurrent builds share the file."""

    def __init__(self, cache_dir: Path, engine: str, language: str, dpi: int) -> None:
        self.path = Path(cache_dir) / CACHE_FILE
        self.key = (engine, language, int(dpi))
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        self._connection()

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross fork(); a forked process opens its own.
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=60)
            conn.execute("PRAGMA busy_timeout = 60000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS pages (sha256 TEXT NOT NULL, page INTEGER NOT NULL, engine TEXT NOT NULL,"
                " language TEXT NOT NULL, dpi INTEGER NOT NULL, text TEXT NOT NULL, confidence REAL NOT NULL,"
                " words INTEGER NOT NULL, PRIMARY KEY (sha256, page, engine, language, dpi)) WITHOUT ROWID"
            )
            conn.commit()
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get(self, sha256: str, page: int) -> PageOcr | None:
        row = self._connection().execute(
            "SELECT text, confidence, words FROM pages WHERE sha256 = ? AND page = ? AND engine = ? AND language = ?"
            " AND dpi = ?", (sha256, page, *self.key)).fetchone()
        return None if row is None else PageOcr(row[0], float(row[1]), int(row[2]))

    def put(self, sha256: str, page: int, result: PageOcr) -> None:
        conn = self._connection()
        with conn:
            conn.execute("INSERT OR REPLACE INTO pages (sha256, page, engine, language, dpi, text, confidence, words)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (sha256, page, *self.key, result.text, result.confidence, result.words))

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
