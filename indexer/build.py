"""Build an index generation from the corpus: incremental, crash-safe, with one report line per file."""
from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import Settings
from indexer import generations as gens
from indexer import report as rep
from indexer import sandbox, store
from indexer.documents import Doc, Item, Reuse, doc_entry, link_containers
from indexer.embed_pool import BuildEmbedder
from indexer.embedder import manifest_backend, model_identity
from indexer.generations import BuildLocked, Previous, load_previous
from indexer.ocr.tesseract import begin_build
from indexer.pool import extract_in_order, worker_count
from indexer.progress import BuildProgress
from indexer.request_clusters import write_request_clusters
from indexer.request_index import write_request_index
from indexer.sources import Source, assign_ids, scan_corpus

__all__ = ["BuildLocked", "BuildResult", "build_index"]

log = logging.getLogger("indexer.build")


@dataclass
class BuildResult:
    generation: str
    report: dict
    exit_code: int  # 0 all good, 2 built but some files failed


def assemble(docs: list[Doc]) -> tuple[list[dict], list[dict]]:
    """Documents sorted by id and their passages numbered in that order (each document's rows contiguous)."""
    docs.sort(key=lambda d: d.record["id"])
    passages: list[dict] = []
    for doc in docs:
        doc_id = doc.record["id"]
        doc.record["first_passage"] = len(passages)
        doc.record["passage_count"] = len(doc.chunks)
        for ordinal, chunk in enumerate(doc.chunks):
            passages.append({"row": len(passages), "doc_id": doc_id, "ordinal": ordinal,
                             "page_start": chunk["page_start"], "page_end": chunk["page_end"], "text": chunk["text"]})
    return [d.record for d in docs], passages


def embed_passages(passages: list[dict], config: Settings, prev: Previous,
                   progress: bool | Callable[[int], Any]) -> tuple[Any, int]:
    """(vectors row-aligned with passages, number of distinct passage texts actually embedded)."""
    from indexer.embedding_cache import EmbeddingCache, embed_with_cache

    embedder = BuildEmbedder(config)
    same_model = (prev.manifest.get("model") == config.model_name
                  and manifest_backend(prev.manifest) == config.embedding_backend)
    # The dimension of a known model comes from the last manifest, so a fully cached build never loads the model.
    dim = int(prev.manifest["dim"]) if same_model and prev.manifest.get("dim") else embedder.model.dim
    log.info("embedding %d passages with %s (only those missing from the cache %s)", len(passages),
             config.embedding_backend, config.cache_dir)
    cache = EmbeddingCache(Path(config.cache_dir), model_identity(config), dim)
    try:
        vectors = embed_with_cache(embedder, cache, [p["text"] for p in passages], progress=progress)
    finally:
        embedder.close()
        cache.close()
    return vectors, embedder.embedded


class BuildRun:
    """One build: collect documents, embed, write a tmp generation, publish it, switch CURRENT."""

    def __init__(self, config: Settings, progress: bool, prev: Previous) -> None:
        self.config, self.progress, self.prev = config, progress, prev
        self.index_dir = Path(config.index_dir)
        self.name = gens.new_generation_name((gens.finished_generations(self.index_dir) or [None])[-1])
        self.tmp = gens.generations_dir(self.index_dir) / f"{self.name}{gens.TMP_MARK}{os.getpid()}"
        self.started_at, self.start = gens.utc_now(), time.monotonic()
        self._last = self.start
        self.timings: dict[str, float] = {}  # seconds per phase, for benchmarks and slow-build diagnosis
        self.entries: list[dict[str, Any]] = []
        self.counts = rep.Counts()
        self.published: Path | None = None
        self.doing = "scanning the corpus"  # what the build is busy with, for a disk-full message
        self.tracker = BuildProgress(self.index_dir, progress)

    def _lap(self, phase: str, doing_next: str) -> None:
        now = time.monotonic()
        self.timings[phase] = round(now - self._last, 3)
        self._last, self.doing = now, doing_next
        self.tracker.step(doing_next)

    def execute(self) -> BuildResult:
        begin_build(self.config)
        sources = scan_corpus(Path(self.config.corpus_dir))
        self.tmp.mkdir(parents=True)
        self._lap("scan", "extracting documents")
        docs = self._collect(sources)
        records, passages = assemble(docs)
        self._lap("extract", f"embedding passages (embedding cache in {self.config.cache_dir})")
        vectors, self.counts.embedded = embed_passages(
            passages, self.config, self.prev, lambda total: self.tracker.stage("embedding", total, "passage"))
        self.counts.passages = len(passages)
        self.counts.cached_vectors = max(len(passages) - self.counts.embedded, 0)
        self._lap("embed", f"writing the new generation in {self.index_dir}")
        self._write(docs, records, passages, vectors)
        self._lap("write", f"publishing the new generation in {self.index_dir}")
        report = self._publish(records, vectors.shape[1])
        return BuildResult(self.name, report, 2 if report["summary"]["failed"] else 0)

    def _collect(self, sources: list[Source]) -> list[Doc]:
        log.info("%d files in %s; %d documents in the current generation", len(sources),
                 self.config.corpus_dir, len(self.prev.by_path))
        reuse = Reuse(self.prev)
        reused = {src.path: items for src in sources if (items := reuse.items(src)) is not None}
        changed = [src for src in sources if src.path not in reused]
        log.info("extracting %d changed file(s) on %d worker(s)", len(changed), worker_count(self.config))
        stage = self.tracker.stage("extracting", len(changed), "file")
        extracted = extract_in_order(changed, self.config)
        docs: list[Doc] = []
        for src in sources:
            items = reused.get(src.path)
            if items is None:
                items = next(extracted)[1]
                self.counts.extracted += 1
                stage.update()
            self._record(items, docs)
        assign_ids([d.record for d in docs], self.prev.by_path)
        link_containers(docs)
        present = {d.record["path"] for d in docs}
        self.counts.removed = sum(1 for path in self.prev.by_path if path not in present)
        return docs

    def _record(self, items: list[Item], docs: list[Doc]) -> None:
        for item in items:
            if isinstance(item, Doc):
                docs.append(item)
                self.counts.reused += item.reused
            entry = doc_entry(item) if isinstance(item, Doc) else item
            log.debug("%s %s", entry["status"], entry["path"])
            rep.log_entry(entry)
            self.entries.append(entry)

    def _write(self, docs: list[Doc], records: list[dict], passages: list[dict], vectors: Any) -> None:
        from indexer.keyword import write_keyword_index
        from indexer.vectors import write_vectors

        pages_by_doc = {d.record["id"]: d.pages for d in docs}
        store.write_generation_files(self.tmp, records, passages, pages_by_doc)
        write_vectors(self.tmp, vectors, model_identity(self.config), self.config.vector_dtype)
        ids = set(pages_by_doc)
        changed = [d.record["id"] for d in docs if not d.reused]
        removed = [d["id"] for d in self.prev.by_path.values() if d["id"] not in ids]
        log.info("writing keyword index (%d documents changed, %d removed)", len(changed), len(removed))
        write_keyword_index(self.tmp / "keyword", records, passages, pages_by_doc,
                            self.prev.keyword_dir, changed, removed,
                            progress=lambda total: self.tracker.stage("writing keyword index", total, "entry"))
        write_request_index(self.tmp, records, self.prev.gen_dir)
        write_request_clusters(self.tmp, self.config)

    def report(self, generation: str | None, error: str | None = None) -> dict[str, Any]:
        seconds = time.monotonic() - self.start
        report = rep.make_report(generation, self.started_at, gens.utc_now(), self.entries, self.counts, seconds, error)
        report["timings"] = dict(self.timings)
        return report

    def _manifest(self, report: dict[str, Any], dim: int) -> dict[str, Any]:
        summary = report["summary"]
        return {"schema_version": gens.SCHEMA_VERSION, "generation": self.name, "built_at": report["finished_at"],
                "model": self.config.model_name, "embedding_backend": self.config.embedding_backend,
                "dim": int(dim), "dtype": self.config.vector_dtype,
                "documents": summary["indexed"], "passages": summary["passages"], "failed": summary["failed"],
                "needs_ocr": summary["needs_ocr"], "chunk_words": self.config.chunk_words,
                "chunk_max_words": self.config.chunk_max_words, "corpus_dir": str(self.config.corpus_dir),
                "build_seconds": summary["seconds"]}

    def _publish(self, records: list[dict], dim: int) -> dict[str, Any]:
        report = self.report(self.name)
        gens.write_json_atomic(self.tmp / gens.MANIFEST_FILE, self._manifest(report, dim))
        gens.write_json_atomic(self.tmp / gens.REPORT_FILE, report)
        log.info("publishing generation %s", self.name)
        self.published = gens.publish(self.tmp, self.name)
        gens.switch_current(self.index_dir, self.name)
        self._after_switch(report, len(records))
        return report

    def _after_switch(self, report: dict[str, Any], documents: int) -> None:
        """Housekeeping once the new generation serves: a failure here (e.g. a full disk) must not fail the build."""
        try:
            gens.write_json_atomic(self.index_dir / gens.LAST_REPORT, report)
            dropped = gens.collect_garbage(self.index_dir, self.config.keep_generations)
        except OSError as exc:
            log.warning("generation %s is current, but housekeeping failed: %s", self.name, exc)
            return
        log.info("generation %s is current (%d documents); deleted old generations: %s",
                 self.name, documents, ", ".join(dropped) or "none")

    def abandon(self, exc: BaseException) -> None:
        """Remove the unfinished generation and record the failed build in last-report.json."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.published is not None and gens.read_current(self.index_dir) != self.name:
            # Published but never made current (CURRENT could not be written): nobody reads it.
            shutil.rmtree(self.published, ignore_errors=True)
        try:
            report = self.report(None, str(exc) if isinstance(exc, gens.DiskFull) else f"{type(exc).__name__}: {exc}")
            gens.write_json_atomic(self.index_dir / gens.LAST_REPORT, report)
        except OSError:
            log.exception("could not write %s", self.index_dir / gens.LAST_REPORT)


def build_index(config: Settings, progress: bool | None = None, full: bool = False) -> BuildResult:
    """Build a new generation of config's corpus into index_dir and make it current.

    Unchanged files are reused from the current generation (full=True re-extracts everything). Raises
    BuildLocked when another build holds the lock and DiskFull when the disk fills up; any exception leaves
    the current generation as it was and removes the unfinished one.
    """
    progress = config.progress if progress is None else progress
    index_dir = Path(config.index_dir)
    with gens.build_lock(index_dir):
        stale = gens.remove_leftovers(index_dir)
        if stale:
            log.info("removed %d unfinished generation(s) left by killed builds: %s", len(stale), ", ".join(stale))
        run = BuildRun(config, progress, load_previous(index_dir, config, full))
        try:
            return run.execute()
        except BaseException as exc:
            if not gens.is_disk_full(exc):
                run.abandon(exc)
                raise
            error = gens.disk_full_error(exc, index_dir, run.doing)
            run.abandon(error)
            raise error from exc
        finally:
            run.tracker.close()
            sandbox.shutdown()
