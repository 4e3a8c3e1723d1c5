"""The scale benchmark's corpora: texts unpacked safely, subsets seeded and nested, corpora holding exactly them."""
from __future__ import annotations

import io
import tarfile

import pytest

from bench.scale.corpus import materialise, nested_subsets, unpack


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "texts.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [(f"tribtxt/{n}.txt", f"decision {n}".encode()) for n in range(1, 31)] + [
                ("../escape.txt", b"outside"), ("tribtxt/notes.md", b"not a text")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_texts_are_unpacked_by_base_name_only(archive, tmp_path):
    texts = unpack(archive, tmp_path / "texts")
    assert [t.stem for t in texts[:3]] == ["1", "2", "3"] and len(texts) == 31
    assert not (tmp_path / "escape.txt").exists() and (tmp_path / "texts" / "escape.txt").read_text() == "outside"
    assert unpack(archive, tmp_path / "texts") == texts


def test_subsets_are_nested_seeded_and_reproducible(archive, tmp_path):
    texts = unpack(archive, tmp_path / "texts")
    subsets = nested_subsets(texts, [20, 5, 10], seed=7)
    assert [len(subsets[n]) for n in (5, 10, 20)] == [5, 10, 20]
    assert set(subsets[5]) < set(subsets[10]) < set(subsets[20])
    assert subsets == nested_subsets(texts, [5, 10, 20], seed=7)
    assert subsets[10] != nested_subsets(texts, [10], seed=8)[10]
    with pytest.raises(ValueError):
        nested_subsets(texts, [40])


def test_a_corpus_holds_exactly_its_subset(archive, tmp_path):
    texts = unpack(archive, tmp_path / "texts")
    corpus = materialise(texts[:10], tmp_path / "corpus")
    materialise(texts[:4], corpus)
    assert sorted(p.name for p in (corpus / "tribunal").iterdir()) == sorted(t.name for t in texts[:4])
