"""open_index over a generation written with the INDEXCORE writers, and its failure modes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from config import load_config
from indexer.chunking import chunk_pages
from indexer.embedder import load_embedder
from indexer.embedding_cache import EmbeddingCache, embed_with_cache
from indexer.keyword import write_keyword_index
from indexer.reader import IndexUnavailable, open_index
from indexer.store import write_generation_files, write_json_atomic
from indexer.vectors import write_vectors

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"


def _records(corpus: Path) -> tuple[list[dict], list[dict], dict[str, list[dict]]]:
    documents, passages, pages_by_doc = [], [], {}
    for path in sorted(corpus.glob("*.txt")):
        doc_id = path.stem
        text = path.read_text(encoding="utf-8")
        # Triple newlines stand in for page breaks so that multi-page documents are covered too.
        pages = [{"number": n, "text": t} for n, t in enumerate(text.split("\n\n\n"), start=1)]
        chunks = chunk_pages([SimpleNamespace(**p) for p in pages])
        documents.append({"id": doc_id, "path": path.name, "doc_type": "other", "title": doc_id, "references": [],
                          "sections": [], "legislation": [], "first_passage": len(passages),
                          "passage_count": len(chunks)})
        passages += [{"row": len(passages) + i, "doc_id": doc_id, "ordinal": i, "page_start": c.page_start,
                      "page_end": c.page_end, "text": c.text} for i, c in enumerate(chunks)]
        pages_by_doc[doc_id] = pages
    return documents, passages, pages_by_doc


def _build(index_dir: Path, corpus: Path, cache_dir: Path, dtype: str = "float32") -> None:
    documents, passages, pages = _records(corpus)
    embedder = load_embedder(load_config({"torch_threads": 1}))
    vectors = embed_with_cache(embedder, EmbeddingCache(cache_dir, embedder.model_name, embedder.dim),
                               [p["text"] for p in passages])
    gen = index_dir / "generations" / "g1"
    write_generation_files(gen, documents, passages, pages)
    write_vectors(gen, vectors, embedder.model_name, dtype)
    write_keyword_index(gen / "keyword", documents, passages, pages)
    write_json_atomic(gen / "manifest.json", {
        "schema_version": 1, "generation": "g1", "model": embedder.model_name, "dim": embedder.dim, "dtype": dtype,
        "documents": len(documents), "passages": len(passages), "corpus_dir": str(corpus)})
    (index_dir / "CURRENT").write_text("g1\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    corpus = tmp_path_factory.mktemp("corpus")
    for path in SEED_DIR.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    index_dir = tmp_path_factory.mktemp("index")
    _build(index_dir, corpus, tmp_path_factory.mktemp("cache"))
    return load_config({"index_dir": index_dir, "corpus_dir": corpus})


def test_open_index_loads_every_part(built):
    reader = open_index(built)
    assert reader.generation == "g1" and reader.manifest["schema_version"] == 1
    assert list(reader.documents) == sorted(p.stem for p in SEED_DIR.glob("*.txt"))
    assert isinstance(reader.vectors, np.memmap) and reader.vectors.shape == (len(reader.passages), 384)
    assert reader.doc_index.doc_count() == len(reader.documents)
    assert reader.passage_index.doc_count() == len(reader.passages)
    for doc_id, doc in reader.documents.items():
        rows = [p["row"] for p in reader.doc_passages(doc_id)]
        assert rows == list(range(doc["first_passage"], doc["first_passage"] + doc["passage_count"]))
        text = (built.corpus_dir / doc["path"]).read_text(encoding="utf-8")
        assert "\n\n\n".join(p["text"] for p in reader.pages(doc_id)) == text
    assert reader.document("no-such-doc") is None and reader.pages("../etc/passwd") == []


def test_vector_search_finds_a_passage_from_its_own_text(built):
    reader = open_index(built)
    embedder = load_embedder(load_config({"torch_threads": 1}))
    target = reader.passages[len(reader.passages) // 2]
    query = embedder.encode([target["text"]])[0]
    assert reader.vector_search(query, 3)[0][0] == target["row"]
    own = np.array([p["row"] for p in reader.doc_passages(target["doc_id"])])
    assert {r for r, _ in reader.vector_search(query, 50, rows=own)} == set(own.tolist())


def test_file_path_only_for_known_documents_inside_the_corpus(built, tmp_path):
    reader = open_index(built)
    doc_id = next(iter(reader.documents))
    assert reader.file_path(doc_id) == (built.corpus_dir / reader.documents[doc_id]["path"]).resolve()
    assert reader.file_path("unknown") is None
    reader.documents["evil"] = {"id": "evil", "path": "../" * 6 + "etc/passwd"}
    assert reader.file_path("evil") is None


def test_missing_or_damaged_index_raises_index_unavailable_with_a_hint(built, tmp_path):
    with pytest.raises(IndexUnavailable, match="make index"):
        open_index(load_config({"index_dir": tmp_path / "empty", "corpus_dir": built.corpus_dir}))
    broken = tmp_path / "broken"
    shutil.copytree(built.index_dir, broken)
    (broken / "CURRENT").write_text("g2")
    with pytest.raises(IndexUnavailable, match="g2"):
        open_index(load_config({"index_dir": broken}))
    (broken / "CURRENT").write_text("g1")
    manifest = broken / "generations" / "g1" / "manifest.json"
    manifest.write_text(manifest.read_text()[:20])
    with pytest.raises(IndexUnavailable, match="unreadable"):
        open_index(load_config({"index_dir": broken}))
    manifest.write_text(json.dumps({"schema_version": 1}))
    (broken / "generations" / "g1" / "passages.jsonl").write_text("")
    with pytest.raises(IndexUnavailable, match="passages"):
        open_index(load_config({"index_dir": broken}))
