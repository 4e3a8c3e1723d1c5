"""Per-file caps on extraction: a size check, then extract() in a long-lived child with a memory and a time limit.

Each thread that extracts gets a child of its own, so a build can extract on several cores at once.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import resource
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from config import Settings
from indexer.extract import Caps, Extracted, ExtractionError, extract
from indexer.ocr.render import render_pgm_file

log = logging.getLogger("indexer.build")

# The build process may hold torch and a model: a forked child would inherit that address space and make
# RLIMIT_AS meaningless, so the worker comes from a forkserver that only ever imported the extractor.
STARTUP_SECONDS = 60.0
_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The extraction settings of one build."""

    max_file_mb: float
    timeout_s: float
    memory_mb: int
    caps: Caps

    @classmethod
    def from_config(cls, config: Settings) -> Limits:
        caps = Caps(max_chars=config.max_extracted_chars, max_pages=config.max_pdf_pages,
                    max_rows=config.sheet_max_rows, max_cells=config.sheet_max_cells,
                    max_members=config.archive_max_members, max_inflated=int(config.archive_max_inflated_mb * _MB),
                    max_ratio=config.archive_max_ratio, max_member_bytes=int(config.max_file_mb * _MB),
                    max_depth=config.archive_max_depth)
        return cls(config.max_file_mb, config.extract_timeout_s, config.extract_memory_mb, caps)

    @property
    def isolated(self) -> bool:
        return self.timeout_s > 0 or self.memory_mb > 0


class SandboxError(RuntimeError):
    """The extraction worker could not be started: fatal for the build, not one file's fault."""


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _worker_main(conn: Connection, memory_mb: int) -> None:
    """Serve extraction and page-rendering requests until the pipe closes; a MemoryError ends this worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it then stops us.
    if memory_mb:
        limit = _address_space() + memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task, path, *args = conn.recv()
        except EOFError:
            return
        try:
            answer = extract(Path(path), *args) if task == "extract" else render_pgm_file(Path(path), *args)
            conn.send(("ok", answer))
        except ExtractionError as exc:
            conn.send(("error", (exc.reason, exc.message)))
        except MemoryError:
            conn.send(("error", ("memory_limit", None)))
            return  # a fresh worker is cheaper than trusting a heap that just ran out
        except Exception as exc:  # a parser bug on one file; reported as such and the worker carries on
            conn.send(("error", ("internal_error", f"{Path(path).name}: {type(exc).__name__}: {exc}")))


class Worker:
    """One extraction child, started on first use and again after it was killed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.process: Any = None
        self.conn: Connection | None = None
        self.starts = 0

    def _start(self) -> Connection:
        closed = getattr(_thread, "pool_closed", None)
        if closed is not None and closed.is_set():
            raise SandboxError("extraction workers are shutting down (the build was interrupted)")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["indexer.sandbox"])
        parent, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, self.limits.memory_mb),
                                       name="foi-extract", daemon=True)
        self.process.start()
        child.close()
        self.conn, self.starts = parent, self.starts + 1
        if not parent.poll(STARTUP_SECONDS):
            self.stop()
            raise SandboxError(f"extraction worker did not start within {STARTUP_SECONDS:.0f}s")
        try:
            parent.recv()
        except EOFError as exc:
            code = self.stop()
            raise SandboxError(f"extraction worker exited while starting (exit code {code})") from exc
        return parent

    def stop(self) -> int | None:
        """Kill the child (if any) and return its exit code."""
        process, self.process = self.process, None
        # Killed before its pipe is closed: a thread waiting on the pipe then wakes up to EOF.
        if process is not None and process.is_alive():
            process.kill()
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if process is None:
            return None
        process.join(5)
        return process.exitcode

    def run(self, task: tuple, path: Path, what: str) -> Any:
        """The worker's answer to task, or ExtractionError when it fails, runs too long or needs too much memory."""
        conn = self.conn or self._start()
        try:
            conn.send(task)
        except OSError:  # the idle worker was killed from outside (OOM killer, an operator): start another
            self.stop()
            conn = self._start()
            conn.send(task)
        if not conn.poll(self.limits.timeout_s or None):
            self.stop()
            raise ExtractionError("timeout", f"{path.name}: {what} took longer than "
                                  f"{self.limits.timeout_s:g}s and was stopped (setting extract_timeout_s)")
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError) as exc:
            raise self._crashed(path) from exc
        if kind == "ok":
            return payload
        reason, message = payload
        if reason == "memory_limit":
            self.stop()
            message = (f"{path.name}: {what} needed more than {self.limits.memory_mb} MB and was stopped "
                       f"(setting extract_memory_mb)")
        raise ExtractionError(reason, message)

    def _crashed(self, path: Path) -> ExtractionError:
        code = self.stop()
        how = f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        return ExtractionError("worker_crashed", f"{path.name}: the extraction process died ({how})")


_workers: dict[tuple[Limits, int], Worker] = {}
_registry = threading.Lock()
_thread = threading.local()


def bind_pool_thread(closed: threading.Event) -> None:
    """Initializer of an extraction pool's threads: once closed is set, they may start no worker process."""
    _thread.pool_closed = closed


def _check_size(path: Path, limits: Limits) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ExtractionError("vanished", f"{path.name}: file no longer exists (deleted during the build)") from exc
    except OSError as exc:
        raise ExtractionError("read_error", f"{path.name}: cannot read file: {exc.strerror or exc}") from exc
    if limits.max_file_mb and size > limits.max_file_mb * _MB:
        raise ExtractionError("too_large", f"{path.name}: {size / _MB:,.1f} MB is over the {limits.max_file_mb:g} MB "
                              f"limit (setting max_file_mb); not read")


def extract_capped(path: Path, config: Settings, caps: Caps | None = None, unpack_dir: Path | None = None) -> Extracted:
    """extract() under the build's caps: size checked here, memory and time enforced in a worker process.

    caps defaults to the settings' caps; the build passes narrower ones (depth, what is left of the archive
    budgets) for the members of containers.
    """
    path = Path(path)
    limits = Limits.from_config(config)
    _check_size(path, limits)
    caps = caps or limits.caps
    if not limits.isolated:
        return extract(path, caps, unpack_dir)
    return worker_for(limits).run(("extract", str(path), caps, unpack_dir), path, "extraction")


def render_capped(path: Path, number: int, dpi: int, config: Settings) -> tuple[bytes, int]:
    """One PDF page rendered for OCR (render_pgm_file) under the same memory and time caps as extraction.

    Rendering parses the whole page of an untrusted file in pdfium, which cannot be interrupted in-process.
    """
    limits = Limits.from_config(config)
    if not limits.isolated:
        return render_pgm_file(Path(path), number, dpi)
    return worker_for(limits).run(("render", str(path), number, dpi), Path(path), f"rendering page {number} for OCR")


def worker_for(limits: Limits) -> Worker:
    """The calling thread's worker for these limits (created on first use, its process started on first task)."""
    key = (limits, threading.get_ident())
    with _registry:
        worker = _workers.get(key)
        if worker is None:
            worker = _workers[key] = Worker(limits)
    return worker


def shutdown() -> None:
    """Stop every extraction worker; called at the end of each build (and at exit)."""
    with _registry:
        workers = list(_workers.values())
        _workers.clear()
    for worker in workers:
        worker.stop()


atexit.register(shutdown)
