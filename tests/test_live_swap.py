"""Rebuild under load: a real gunicorn keeps answering every query, each from one whole generation, with no restart."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from config import Settings
from indexer import generations as gens
from indexer.reader import open_index
from tests.cli import run_build
from tests.server import Server, http_request, running_server

pytestmark = pytest.mark.process

MARKER_NEW = "zephyrlantern"   # a word only the added documents contain
MARKER_EDIT = "quillbrook"     # a word only the edited document's new version contains
EDITED = "wmfs-foi-response-23124.txt"
CLIENTS = 3
NEW_DOCS = {
    "added/dn-zephyr-1.txt": "Decision notice. The council refused a request about the {m} depot under section 43(2) "
                             "of FOIA. The Commissioner finds the council was entitled to withhold the bids.",
    "added/dn-zephyr-2.txt": "Decision notice. A police force relied on section 31(1)(a) of FOIA to refuse a request "
                             "about the {m} operation. The Commissioner upholds the refusal.",
}


def _queries(reference_doc: str, edited_doc: str) -> list[tuple[str, str]]:
    """(kind, path): searches in several modes, the listing, one document, its relations, health."""
    return [
        ("search new", f"/api/search?mode=keyword&q={MARKER_NEW}"),
        ("search hybrid", "/api/search?q=" + quote("police refused social media request section 31")),
        ("listing", "/api/documents?per_page=1"),
        ("document", f"/api/documents/{edited_doc}"),
        ("related", f"/api/documents/{reference_doc}/related"),
        ("search semantic", "/api/search?mode=semantic&q=" + quote("fire service response")),
        ("health", "/api/health"),
    ]


@dataclass
class Seen:
    kind: str
    status: int
    generation: str | None
    body: dict | None
    problem: str | None = None


def _client(base_url: str, queries: list[tuple[str, str]], offset: int, stop: threading.Event,
            seen: list[Seen]) -> None:
    position = offset
    while not stop.is_set():
        kind, path = queries[position % len(queries)]
        position += 1
        try:
            reply = http_request(base_url, "GET", path, timeout=60)
        except OSError as exc:
            seen.append(Seen(kind, 0, None, None, f"{type(exc).__name__}: {exc}"))
            continue
        body = reply.json() if reply.headers.get("content-type", "").startswith("application/json") else None
        seen.append(Seen(kind, reply.status, reply.headers.get("x-index-generation"), body))


def _ids(body: dict, key: str) -> set[str]:
    return {item["id"] for item in body.get(key, [])}


def _check(entry: Seen, docs: dict[str, dict], edited_doc: str, new: bool) -> None:
    """entry's content is what its generation (with documents docs) says, and nothing else."""
    body = entry.body
    if entry.kind == "search new":
        assert body["total"] == (len(NEW_DOCS) if new else 0)
        assert sum(facet["count"] for facet in body["facets"]["doc_type"]) == body["total"]
    if entry.kind.startswith("search"):
        assert _ids(body, "results") <= set(docs)
    elif entry.kind == "listing":
        assert body["total"] == len(docs)
    elif entry.kind == "document":
        assert (MARKER_EDIT in body["text"]) is new and body["chars"] == docs[edited_doc]["chars"]
    elif entry.kind == "related":
        assert {item["id"] for items in body["relations"].values() for item in items} <= set(docs)
    elif entry.kind == "health":
        assert body["generation"] == entry.generation and body["documents"] == len(docs)


def _change_corpus(corpus: Path) -> None:
    for path, text in NEW_DOCS.items():
        (corpus / path).parent.mkdir(parents=True, exist_ok=True)
        (corpus / path).write_text(text.format(m=MARKER_NEW), encoding="utf-8")
    with open(corpus / EDITED, "a", encoding="utf-8") as handle:
        handle.write(f"\n\nUpdate: the service has since published the {MARKER_EDIT} inspection report.\n")


def _maps(pid: int, generation: str) -> bool:
    """True once the worker has opened (memory-mapped the vectors of) that generation."""
    try:
        return f"/generations/{generation}/" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _wait_for_workers(server: Server, generation: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(_maps(pid, generation) for pid in server.worker_pids()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(_maps(pid, generation) for pid in server.worker_pids()), "a worker never opened the new generation"


def _run_swap(server: Server, config: Settings, queries: list[tuple[str, str]]) -> tuple[list[Seen], str]:
    seen: list[Seen] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_client, args=(server.base_url, queries, i * 2, stop, seen))
               for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2.0)
        _change_corpus(Path(config.corpus_dir))
        done = run_build(config)
        assert done.returncode == 2, done.stderr[-2000:]  # built; the sample corpus carries bad inputs
        generation = gens.read_current(Path(config.index_dir))
        _wait_for_workers(server, generation)
        time.sleep(1.5)  # requests answered entirely after every worker switched
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    return seen, generation


def test_rebuild_under_load(own_index, tmp_path):
    old = open_index(own_index)
    reference_doc = "tribunal-ea-2019-0154"
    edited_doc = next(d["id"] for d in old.documents.values() if d["path"] == EDITED)
    with running_server(own_index, workers=2, log_path=tmp_path / "server.log") as server:
        pids = server.worker_pids()
        seen, new_generation = _run_swap(server, own_index, _queries(reference_doc, edited_doc))
        assert server.worker_pids() == pids, "workers were restarted"
        assert server.process.poll() is None
    new = open_index(own_index)
    assert new.generation == new_generation != old.generation
    failed = [s for s in seen if s.status != 200 or s.body is None]
    assert not failed, f"{len(failed)} of {len(seen)} queries failed, e.g. {failed[:3]}"
    by_generation = {old.generation: old.documents, new.generation: new.documents}
    assert {s.generation for s in seen} == set(by_generation), "both generations must have answered, nothing else"
    for entry in seen:
        _check(entry, by_generation[entry.generation], edited_doc, entry.generation == new.generation)
    last = seen[-CLIENTS * 4:]
    assert all(s.generation == new.generation for s in last), "after the switch every worker answers from the new one"
    assert len(seen) >= 50, "too little load to mean anything"
