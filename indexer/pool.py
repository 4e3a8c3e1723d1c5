"""Extraction of changed corpus files on several threads, each driving its own capped worker process, in order."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from config import Settings
from indexer import sandbox
from indexer.documents import Item, extract_document
from indexer.sources import Source


def worker_count(config: Settings) -> int:
    """Extraction workers for a build: the setting, or one per CPU core when it is 0."""
    return config.extract_workers or os.cpu_count() or 1


def extract_in_order(sources: list[Source], config: Settings) -> Iterator[tuple[Source, list[Item]]]:
    """(source, its documents or failures) for each source, in the order given, extracted worker_count at a time.

    Each thread has its own worker process, so every file keeps its memory and time caps. When the consumer
    stops early (Ctrl-C, an error), every worker is killed and the threads may start no new one: a file
    that was in flight then fails, and no file after it is extracted.
    """
    workers = min(worker_count(config), max(len(sources), 1))
    if workers == 1:
        for src in sources:
            yield src, extract_document(src, config)
        return
    closed = threading.Event()
    executor = ThreadPoolExecutor(workers, thread_name_prefix="foi-extract", initializer=sandbox.bind_pool_thread,
                                  initargs=(closed,))
    try:
        futures = [executor.submit(extract_document, src, config) for src in sources]
        for src, future in zip(sources, futures, strict=True):
            yield src, future.result()
    except BaseException:
        closed.set()
        sandbox.shutdown()
        raise
    finally:
        # Threads still busy (a tesseract run, say) finish on their own; none of them can start a worker.
        executor.shutdown(wait=False, cancel_futures=True)
