"""Builds over containers: an email's attachments and a zip's members are documents linked to their container."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from config import Settings, load_config, override
from indexer.build import build_index
from indexer.reader import open_index
from tests import formatmaker as fm

FLEET = "Emissions (tonnes CO2)"


def _corpus(corpus: Path, scratch: Path) -> None:
    scratch.mkdir()
    response = fm.docx(scratch / "response.docx").read_bytes()
    figures = fm.xlsx(scratch / "figures.xlsx").read_bytes()
    reply = fm.eml(scratch / "reply.eml", {"response.docx": response, "figures.xlsx": figures, "logo.png": b"\x89PNG"})
    request = fm.msg(scratch / "request.msg", {"request.rtf": fm.rtf(scratch / "request.rtf").read_bytes()})
    (corpus / "correspondence").mkdir(parents=True)
    fm.zip_file(corpus / "correspondence" / "bundle.zip", {"mail/reply.eml": reply.read_bytes(),
                                                           "mail/request.msg": request.read_bytes(),
                                                           "broken/cut.docx": response[:2000]})
    (corpus / "notice.txt").write_text("Decision notice FS50333333. The council relied on section 43(2).\n")


@pytest.fixture
def built(tmp_path, embedding_cache_dir) -> Settings:
    corpus = tmp_path / "corpus"
    _corpus(corpus, tmp_path / "scratch")
    config = load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
                          "cache_dir": str(embedding_cache_dir), "progress": False, "extract_workers": 2})
    assert build_index(config).exit_code == 2  # the cut .docx inside the zip
    return config


def _report(config: Settings) -> dict:
    return json.loads((Path(config.index_dir) / "last-report.json").read_text())


def test_members_and_attachments_are_documents_linked_to_their_container(built):
    reader = open_index(built)
    by_path = {doc["path"]: doc for doc in reader.documents.values()}
    bundle, reply = "correspondence/bundle.zip", "correspondence/bundle.zip/mail/reply.eml"
    assert sorted(by_path) == sorted([
        "notice.txt", bundle, reply, f"{reply}/response.docx", f"{reply}/figures.xlsx",
        f"{bundle}/mail/request.msg", f"{bundle}/mail/request.msg/request.rtf"])
    zip_doc, reply_doc = by_path[bundle], by_path[reply]
    docx_doc = by_path[f"{reply}/response.docx"]
    assert reply_doc["parent"] == zip_doc["id"] and docx_doc["parent"] == reply_doc["id"]
    assert reply_doc["attachments"] == [docx_doc["id"], by_path[f"{reply}/figures.xlsx"]["id"]]
    assert zip_doc["attachments"] == [reply_doc["id"], by_path[f"{bundle}/mail/request.msg"]["id"]]
    assert {doc["source"] for doc in by_path.values() if doc["path"] != "notice.txt"} == {bundle}
    assert reply_doc["email"]["subject"] == "FOI/2024/117: our response" and reply_doc["format"] == "eml"
    assert docx_doc["format"] == "docx" and docx_doc["title"]
    assert FLEET in " ".join(page["text"] for page in reader.pages(docx_doc["id"]))


def test_report_has_one_line_per_document_and_counts_corpus_files(built):
    report = _report(built)
    entries = {entry["path"]: entry for entry in report["files"]}
    cut = entries["correspondence/bundle.zip/broken/cut.docx"]
    assert (cut["status"], cut["reason"], cut["source"]) == ("failed", "corrupt_office", "correspondence/bundle.zip")
    assert report["summary"]["files"] == 2 and report["summary"]["contained"] == 6
    assert report["summary"]["indexed"] == 7 and report["summary"]["failed"] == 1
    reply = entries["correspondence/bundle.zip/mail/reply.eml"]
    assert "1 attachment(s) of a type that is not indexed: logo.png" in reply["warnings"]


def test_attachment_text_is_searchable_and_points_to_its_document(built):
    from service import create_app

    app = create_app(built)
    body = app.test_client().get("/api/search", query_string={"q": '"fleet vehicle emissions"',
                                                              "mode": "keyword"}).get_json()
    found = {result["id"] for result in body["results"]}
    reader = open_index(built)
    paths = {reader.document(doc_id)["path"].rsplit("/", 1)[-1] for doc_id in found}
    assert {"response.docx", "reply.eml", "request.msg", "request.rtf"} <= paths


def test_unchanged_container_is_reused_whole_and_a_changed_one_extracted_again(built, tmp_path):
    again = build_index(built)
    summary = again.report["summary"]
    assert summary["extracted"] == 0 and summary["reused"] == 7 and summary["failed"] == 1
    assert {e["status"] for e in again.report["files"]} == {"reused", "failed"}
    bundle = Path(built.corpus_dir) / "correspondence" / "bundle.zip"
    fm.zip_file(bundle, {"only.txt": b"A single letter about section 21."})
    third = build_index(built)
    paths = {doc["path"] for doc in open_index(built).documents.values()}
    assert paths == {"notice.txt", "correspondence/bundle.zip", "correspondence/bundle.zip/only.txt"}
    assert third.report["summary"]["removed"] == 5 and third.exit_code == 0


def test_archive_budget_covers_the_whole_corpus_file(built, tmp_path):
    small = override(built, archive_max_members=2, index_dir=str(tmp_path / "small-index"))
    shutil.rmtree(tmp_path / "small-index", ignore_errors=True)
    result = build_index(small)
    paths = sorted(e["path"] for e in result.report["files"])
    assert paths == ["correspondence/bundle.zip", "correspondence/bundle.zip/mail/reply.eml",
                     "correspondence/bundle.zip/mail/request.msg", "notice.txt"]
    zip_entry = next(e for e in result.report["files"] if e["path"] == "correspondence/bundle.zip")
    assert any("1 member(s) skipped" in w for w in zip_entry["warnings"])
    reply = next(e for e in result.report["files"] if e["path"].endswith("reply.eml"))
    assert any("2 attachment(s) skipped" in w for w in reply["warnings"])
