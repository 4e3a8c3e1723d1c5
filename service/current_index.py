"""The index generation this process serves: opened on first use, reopened when CURRENT names a new one."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from config import Settings, override
from indexer.embedder import TextEmbedder, load_embedder
from indexer.reader import IndexReader, IndexUnavailable, current_generation, open_index
from service.search.citations import CitationGraph
from service.search.engine import SearchEngine

log = logging.getLogger(__name__)

# How often a worker looks at index_dir/CURRENT for a newer generation; reading one tiny file per second is free.
RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Snapshot:
    """Everything built from one index generation; a request uses one snapshot from start to end."""

    reader: IndexReader
    engine: SearchEngine
    citations: CitationGraph


class CurrentIndex:
    """Lives in app.extensions["foi"]; opens the index on first use and again only when CURRENT changes."""

    def __init__(self, config: Settings) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0

    def embedder(self) -> TextEmbedder:
        """The process-wide embedder for the current index (load_embedder caches it)."""
        return self._query_embedder(self.snapshot().reader)

    def _query_embedder(self, reader: IndexReader) -> TextEmbedder:
        # Queries must be embedded as the passages were: the index's backend wins over the setting.
        return load_embedder(override(self.config, embedding_backend=reader.embedding_backend))

    def _open(self) -> Snapshot:
        reader = open_index(self.config)
        if reader.embedding_backend != self.config.embedding_backend:
            log.warning("index generation %s was embedded with %s (setting embedding_backend: %s); queries use %s",
                        reader.generation, reader.embedding_backend, self.config.embedding_backend,
                        reader.embedding_backend)
        engine = SearchEngine(reader, lambda: self._query_embedder(reader), self.config)
        log.info("opened index generation %s (%d documents)", reader.generation, len(reader.documents))
        # The engine already builds the graph for its prior; sharing it halves the work per generation.
        return Snapshot(reader, engine, engine.citations)

    def _stale(self, loaded: Snapshot) -> bool:
        now = time.monotonic()
        if now - self._checked_at < RECHECK_SECONDS:
            return False
        self._checked_at = now
        try:
            generation = current_generation(Path(self.config.index_dir))
        except IndexUnavailable:
            return False
        return generation != loaded.reader.generation

    def snapshot(self) -> Snapshot:
        """The current snapshot; raises IndexUnavailable (-> 503) when no index can be opened."""
        with self._lock:
            if self._snapshot is None:
                self._snapshot = self._open()
            elif self._stale(self._snapshot):
                try:
                    self._snapshot = self._open()
                except IndexUnavailable:
                    # A half-written or pruned generation must not take a working worker down.
                    log.exception("could not open the new index generation; still serving %s",
                                  self._snapshot.reader.generation)
            return self._snapshot

    @property
    def reader(self) -> IndexReader:
        return self.snapshot().reader

    @property
    def engine(self) -> SearchEngine:
        return self.snapshot().engine

    def warm(self, embedder: bool = True) -> bool:
        """Load index (and model) now, e.g. in gunicorn's master before forking; False when no index yet."""
        try:
            self.snapshot()
        except IndexUnavailable as exc:
            log.warning("index not available yet: %s", exc)
            return False
        if embedder:
            self.embedder()
        return True
