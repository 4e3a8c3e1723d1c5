"""OCR result cache in SQLite, keyed by file hash, page, dpi, engine version and language, shared by builds."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.sqlite_cache import SqliteCache

CACHE_FILE = "ocr.sqlite3"


@dataclass(frozen=True)
class PageOcr:
    """What OCR read on one page: its text, the mean word confidence (0-100) and the word count."""

    text: str
    confidence: float
    words: int


class OcrCache(SqliteCache):
    """Page results of one engine, language and dpi."""

    schema = ("CREATE TABLE IF NOT EXISTS pages (sha256 TEXT NOT NULL, page INTEGER NOT NULL, engine TEXT NOT NULL,"
              " language TEXT NOT NULL, dpi INTEGER NOT NULL, text TEXT NOT NULL, confidence REAL NOT NULL,"
              " words INTEGER NOT NULL, PRIMARY KEY (sha256, page, engine, language, dpi)) WITHOUT ROWID")

    def __init__(self, cache_dir: Path, engine: str, language: str, dpi: int) -> None:
        self.key = (engine, language, int(dpi))
        super().__init__(cache_dir, CACHE_FILE)

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
