"""Data-parallel embedding for builds: worker processes with one model thread each, batches returned in order."""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

import numpy as np

from config import Settings, override

log = logging.getLogger(__name__)
# Seconds an idle worker gets to exit after being told to stop, before it is killed.
STOP_WAIT_S = 5.0


class EmbedWorkerFailed(RuntimeError):
    """An embedding worker died or could not embed; what was embedded before it stays in the cache."""


def embed_worker_count(config: Settings) -> int:
    """Embedding processes for a build: the setting, or one per CPU core when it is 0."""
    return config.embed_workers or os.cpu_count() or 1


def _serve(config: Settings, link: Connection) -> None:
    """Worker process: load the model on one thread, then embed each batch received until told to stop."""
    # Ctrl-C reaches the whole process group; the build process alone decides to stop and then stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from indexer.embedder import load_embedder

        embedder = load_embedder(override(config, torch_threads=1))
        link.send(("ready", embedder.dim))
    except Exception as exc:
        link.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            batch = link.recv()
        except EOFError:  # the build process is gone
            return
        if batch is None:
            return
        try:
            link.send(("vectors", embedder.encode(batch)))
        except Exception as exc:
            link.send(("error", f"{type(exc).__name__}: {exc}"))
            return


class EmbedPool:
    """Worker processes, each with its own copy of the model; encode_batches() yields results in batch order."""

    def __init__(self, config: Settings, workers: int) -> None:
        if config.embedding_backend != "torch":
            from indexer.embedder import model_folder
            from indexer.onnx_export import ensure_exported

            ensure_exported(model_folder(config), config.onnx_dir)  # once here, not raced by every worker
        context = multiprocessing.get_context("spawn")  # a fork would copy the build's threads and locks
        self._processes: dict[Connection, BaseProcess] = {}
        self._busy: dict[Connection, int] = {}
        for _ in range(workers):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(config, theirs), name="foi-embed", daemon=True)
            process.start()
            theirs.close()  # so that a dead worker reads as end of file here instead of a hang
            self._processes[mine] = process
        try:
            self.dim = max(int(self._receive(link, "ready")) for link in list(self._processes))
        except BaseException:
            self.close()
            raise
        log.info("embedding on %d worker processes, one thread each", workers)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self._processes.values()]

    def _died(self, link: Connection) -> EmbedWorkerFailed:
        process = self._processes[link]
        process.join(STOP_WAIT_S)
        return EmbedWorkerFailed(f"embedding worker process {process.pid} died ({_exit(process.exitcode)}); "
                                 "passages embedded before it are cached and a rerun resumes")

    def _send(self, link: Connection, batch: list[str]) -> None:
        try:
            link.send(batch)
        except OSError as exc:
            raise self._died(link) from exc

    def _receive(self, link: Connection, expected: str) -> Any:
        process = self._processes[link]
        try:
            kind, payload = link.recv()
        except (EOFError, OSError) as exc:
            raise self._died(link) from exc
        if kind != expected:
            raise EmbedWorkerFailed(f"embedding worker process {process.pid} failed: {payload}")
        return payload

    def encode_batches(self, batches: list[list[str]]) -> Iterator[np.ndarray]:
        """Vectors of each batch, in order; each idle worker takes the next batch, at most 2 per worker ahead."""
        window = 2 * len(self._processes)
        done: dict[int, np.ndarray] = {}
        sent = 0
        for position in range(len(batches)):
            while position not in done:
                for link in self._processes:
                    if link not in self._busy and sent < min(len(batches), position + window):
                        self._send(link, batches[sent])
                        self._busy[link], sent = sent, sent + 1
                for link in wait(list(self._busy)):
                    done[self._busy[link]] = self._receive(link, "vectors")
                    del self._busy[link]
            yield done.pop(position)

    def close(self) -> None:
        """Stop idle workers; kill those still busy (the build failed or was interrupted mid-batch)."""
        for link, process in self._processes.items():
            if link not in self._busy:
                try:
                    link.send(None)
                except OSError:
                    pass  # already dead
                process.join(STOP_WAIT_S)
            if process.is_alive():
                process.kill()
                process.join()
            link.close()
        self._processes.clear()
        self._busy.clear()


def _exit(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}" + (", perhaps out of memory" if name == "SIGKILL" else "")
    return f"exit code {code}"


class BuildEmbedder:
    """What a build embeds with: nothing loaded until needed, then the model in this process or an EmbedPool."""

    def __init__(self, config: Settings) -> None:
        self.config = config
        self.embedded = 0  # distinct passage texts embedded (not found in the cache)
        self._model: Any = None
        self._pool: EmbedPool | None = None

    @property
    def model(self) -> Any:
        if self._model is None:
            from indexer.embedder import load_embedder, model_identity

            log.info("loading embedding model %s", model_identity(self.config))
            self._model = load_embedder(self.config)
        return self._model

    def encode_batches(self, batches: list[list[str]]) -> Iterator[np.ndarray]:
        workers = min(embed_worker_count(self.config), len(batches))
        if workers > 1 and self._pool is None:
            self._pool = EmbedPool(self.config, workers)
        results = self._pool.encode_batches(batches) if self._pool else (self.model.encode(b) for b in batches)
        for batch, vectors in zip(batches, results, strict=True):
            self.embedded += len(batch)
            yield vectors

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
