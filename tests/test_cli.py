"""`python -m indexer`: help, build with overrides and exit codes, status and show."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from config import load_config
from indexer import generations as gens
from indexer.cli import main, make_parser
from tests.cli import run_build


def _index_args(index_config: dict) -> list[str]:
    return ["--index", str(index_config["index_dir"]), "--corpus", str(index_config["corpus_dir"])]


def test_help_describes_every_command(capsys):
    assert {"build", "status", "show"} <= set(make_parser().format_help().split("{")[1].split("}")[0].split(","))
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--corpus", "--index", "--cache", "--full", "75"):
        assert option in text


@pytest.mark.slow
def test_build_uses_overrides_and_reports(tmp_path, sample_corpus, embedding_cache_dir, capsys):
    index = tmp_path / "index"
    argv = ["build", "--corpus", str(sample_corpus), "--index", str(index), "--cache", str(embedding_cache_dir),
            "--no-progress"]
    assert main(argv) == 2  # built, but the sample corpus has files that fail
    out = capsys.readouterr().out
    report = json.loads((index / "last-report.json").read_text())
    assert f"generation: {gens.read_current(index)}" in out
    for reason, count in report["summary"]["failures_by_reason"].items():
        assert f"{reason}={count}" in out
    assert f"needs_ocr:  {report['summary']['needs_ocr']}" in out
    with gens.build_lock(index):
        assert main(argv) == 75
    assert "another build is running" in capsys.readouterr().err


@pytest.mark.process
def test_locked_build_exits_75_from_the_command_line(tmp_path, sample_corpus):
    index = tmp_path / "index"
    config = load_config({"corpus_dir": sample_corpus, "index_dir": index, "cache_dir": tmp_path / "cache"})
    with gens.build_lock(index):
        done = run_build(config, timeout=120)
    assert done.returncode == 75
    assert f"another build is running (pid {os.getpid()}, started at" in done.stderr
    assert str(index / "build.lock") in done.stderr
    assert gens.read_current(index) is None


def test_status_prints_the_current_generation(index_config, reader, capsys):
    assert main(["status", *_index_args(index_config)]) == 0
    out = capsys.readouterr().out
    assert reader.generation in out
    assert f"documents:   {len(reader.documents)}" in out
    assert reader.manifest["model"] in out and reader.manifest["dtype"] in out
    assert "broken/truncated.pdf: corrupt_pdf" in out

    assert main(["status", "--json", *_index_args(index_config)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["generation"] == reader.generation
    assert data["manifest"]["passages"] == len(reader.passages)
    report = json.loads((reader.path / "report.json").read_text())
    assert {f["path"] for f in data["failures"]} == {f["path"] for f in report["files"] if f["status"] == "failed"}


def test_status_without_index_says_how_to_build(tmp_path, capsys):
    assert main(["status", "--index", str(tmp_path / "nothing")]) == 1
    assert "python -m indexer build" in capsys.readouterr().err


def test_show_by_id_path_and_file(index_config, reader, capsys):
    expected = reader.document("ico-notices-fs50712345")
    corpus = Path(index_config["corpus_dir"])
    for key in ("ico-notices-fs50712345", "ico-notices/fs50712345.pdf", str(corpus / "ico-notices" / "fs50712345.pdf")):
        assert main(["show", key, *_index_args(index_config)]) == 0
        assert json.loads(capsys.readouterr().out) == expected
    assert main(["show", "--json", "ico-notices-fs50712345", *_index_args(index_config)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and json.loads(out) == expected


def test_show_unknown_document_fails(index_config, capsys):
    assert main(["show", "no-such-document", *_index_args(index_config)]) == 1
    assert "no-such-document" in capsys.readouterr().err


def test_fatal_build_exits_1_and_records_the_error(tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["build", "--corpus", str(tmp_path / "missing"), "--index", str(index), "--no-progress"]) == 1
    assert "missing" in capsys.readouterr().err
    last = json.loads((index / "last-report.json").read_text())
    assert last["generation"] is None and "does not exist" in last["error"]
    assert gens.read_current(index) is None and not list((index / "generations").glob("*"))
