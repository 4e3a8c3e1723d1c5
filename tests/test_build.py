"""build_index: the report of a full build, incremental rebuilds, generations, locking and ids."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from config import Settings, load_config, override
from indexer import generations as gens
from indexer.build import BuildLocked, build_index
from indexer.reader import open_index
from indexer.sources import assign_ids

pytestmark = pytest.mark.slow

BAD_INPUTS = {
    "broken/truncated.pdf": ("failed", "corrupt_pdf"),
    "broken/empty.txt": ("failed", "empty_file"),
    "broken/spreadsheet.xlsx": ("failed", "corrupt_office"),
    "scans/scanned-decision.pdf": ("needs_ocr", None),
}


def _entries(report: dict) -> dict[str, dict]:
    return {entry["path"]: entry for entry in report["files"]}


@pytest.fixture
def work(tmp_path, sample_corpus, embedding_cache_dir) -> Settings:
    """A private copy of the sample corpus and an empty index, sharing the session embedding cache."""
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    return load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
                        "cache_dir": str(embedding_cache_dir), "progress": False})


def test_full_build_reports_every_bad_input(index_config):
    index_dir = load_config(index_config).index_dir
    last = json.loads((index_dir / "last-report.json").read_text())
    generation = gens.read_current(index_dir)
    assert last["generation"] == generation
    assert json.loads((index_dir / "generations" / generation / "report.json").read_text()) == last
    entries = _entries(last)
    for path, (status, reason) in BAD_INPUTS.items():
        assert entries[path]["status"] == status, entries[path]
        assert entries[path]["reason"] == reason
        assert entries[path]["message"], f"{path} has no message"
    failed = [e for e in last["files"] if e["status"] == "failed"]
    assert last["summary"]["failed"] == len(failed)
    assert sum(last["summary"]["failures_by_reason"].values()) == len(failed)
    assert last["summary"]["files"] == sum(1 for p in Path(index_config["corpus_dir"]).rglob("*") if p.is_file())


def test_build_result_is_readable(reader, index_config):
    manifest = reader.manifest
    assert manifest["generation"] == reader.generation
    assert manifest["documents"] == len(reader.documents)
    assert manifest["passages"] == len(reader.passages) == reader.vectors.shape[0]
    assert manifest["dim"] == reader.vectors.shape[1]
    assert "broken-truncated" not in reader.documents
    scan = reader.document("scans-scanned-decision")
    assert scan is not None and scan["needs_ocr"] is True
    row = 0
    for doc_id, doc in reader.documents.items():
        assert doc["first_passage"] == row
        assert all(p["doc_id"] == doc_id for p in reader.doc_passages(doc_id))
        row += doc["passage_count"]
    assert row == len(reader.passages)
    assert reader.document("tribunal-ea-2019-0154")["path"] == "tribunal/EA-2019-0154.pdf"


def test_failed_files_are_logged_and_build_exits_2(work, caplog):
    with caplog.at_level(logging.WARNING, logger="indexer.build"):
        result = build_index(work)
    assert result.exit_code == 2
    lines = [r.getMessage() for r in caplog.records]
    for path, (status, reason) in BAD_INPUTS.items():
        matching = [line for line in lines if path in line and line.startswith(status)]
        assert len(matching) == 1, (path, lines)
        assert reason is None or reason in matching[0]


def test_non_utf8_and_encrypted_inputs(work, sample_corpus):
    corpus = Path(work.corpus_dir)
    (corpus / "latin.txt").write_bytes("Decision notice: the council’s reply – section 40(2) applies.".encode("cp1252"))
    writer = PdfWriter(clone_from=PdfReader(sample_corpus / "ico-notices" / "fs50712345.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(corpus / "locked.pdf", "wb") as handle:
        writer.write(handle)
    (corpus / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    entries = _entries(build_index(work).report)
    assert not [path for path in entries if path.startswith(".")], "hidden files must be skipped"
    assert entries["latin.txt"]["status"] == "indexed"
    assert any("UTF-8" in w for w in entries["latin.txt"]["warnings"])
    assert (entries["locked.pdf"]["status"], entries["locked.pdf"]["reason"]) == ("failed", "encrypted_pdf")


def test_incremental_rebuilds(work):
    first = build_index(work)
    documents = open_index(work).documents
    again = build_index(work).report["summary"]
    assert again["reused"] == len(documents) and again["extracted"] == 0 and again["embedded"] == 0
    assert open_index(work).documents == documents

    corpus = Path(work.corpus_dir)
    notice = corpus / "ico-notices" / "ic-240101-k3n7.txt"
    notice.write_text(notice.read_text() + "\n\n5. The complainant also asked about quokkas in custody suites.\n")
    changed = build_index(work).report
    assert changed["summary"]["extracted"] == 1 and changed["summary"]["reused"] == len(documents) - 1
    assert _entries(changed)["ico-notices/ic-240101-k3n7.txt"]["status"] == "indexed"
    reader = open_index(work)
    assert "quokkas" in " ".join(p["text"] for p in reader.doc_passages("ico-notices-ic-240101-k3n7"))
    assert reader.generation != first.generation


def test_deleted_and_added_files(work):
    build_index(work)
    corpus = Path(work.corpus_dir)
    (corpus / "whatdotheyknow" / "housing-register-statistics.html").unlink()
    shutil.copy(corpus / "ico-notices" / "ic-240101-k3n7.txt", corpus / "ico-notices" / "copy of notice.txt")
    summary = build_index(work).report["summary"]
    assert summary["removed"] == 1 and summary["extracted"] == 1
    reader = open_index(work)
    assert "whatdotheyknow-housing-register-statistics" not in reader.documents
    added = reader.document("ico-notices-copy-of-notice")
    assert added is not None and added["path"] == "ico-notices/copy of notice.txt"
    with reader.doc_index.searcher() as searcher:
        ids = {fields["id"] for fields in searcher.all_stored_fields()}
    assert ids == set(reader.documents)


def test_old_generations_are_collected_and_leftovers_removed(work):
    work = override(work, keep_generations=2)
    names = [build_index(work).generation for _ in range(3)]
    index_dir = Path(work.index_dir)
    assert gens.finished_generations(index_dir) == names[1:]
    leftover = index_dir / "generations" / f"{names[-1]}.tmp-999999"
    (leftover / "text").mkdir(parents=True)
    latest = build_index(override(work, keep_generations=1)).generation
    assert not leftover.exists()
    assert gens.finished_generations(index_dir) == [latest] and gens.read_current(index_dir) == latest


def test_second_build_is_refused_while_locked(work):
    index_dir = Path(work.index_dir)
    with gens.build_lock(index_dir):
        with pytest.raises(BuildLocked, match=r"another build is running \(pid \d+, started at 20"):
            build_index(work)
    assert gens.read_current(index_dir) is None
    assert build_index(work).exit_code == 2


def test_ids_are_stable_and_unique():
    previous = {"a/b.txt": {"id": "a-b"}}
    records = [{"path": "a/b.pdf"}, {"path": "a/b.txt"}, {"path": "A/B.html"}, {"path": "x/Ünïcode file.txt"}]
    assign_ids(records, previous)
    ids = [r["id"] for r in records]
    assert ids[1] == "a-b"
    assert len(set(ids)) == len(ids)
    assert ids[0] == "a-b-pdf" and ids[2] == "a-b-html"
    assert ids[3] == "x-n-code-file"


def test_generation_names_sort_in_build_order():
    names = [gens.new_generation_name()]
    for _ in range(20):
        names.append(gens.new_generation_name(names[-1]))
    assert names == sorted(names) and len(set(names)) == len(names)
    future = "29991231T235959999Z-abcdef"  # as if the clock stepped back after that build
    assert gens.new_generation_name(future) > future
