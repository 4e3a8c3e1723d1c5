"""Passages follow paragraphs, stay under the word ceiling, keep every word and page, and are deterministic."""
from __future__ import annotations

import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.chunking import chunk_pages

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"


@dataclass
class Page:
    number: int
    text: str


def _seed_pages() -> dict[str, list[Page]]:
    return {p.name: [Page(1, p.read_text(encoding="utf-8"))] for p in sorted(SEED_DIR.glob("*.txt"))}


def _words(pages: list[Page]) -> list[str]:
    return [w for p in pages for w in p.text.split()]


@pytest.mark.parametrize("name", sorted(p.name for p in SEED_DIR.glob("*.txt")))
def test_seed_chunks_keep_every_word_in_order_and_respect_the_ceiling(name):
    pages = _seed_pages()[name]
    chunks = chunk_pages(pages, target_words=180, max_words=230)
    assert chunks
    assert [w for c in chunks for w in c.text.split()] == _words(pages)
    assert all(len(c.text.split()) <= 230 for c in chunks)


def test_short_paragraphs_are_never_cut_and_are_merged_towards_the_target():
    pages = _seed_pages()["ico-decision-notice-mps-false-personas.txt"]
    chunks = chunk_pages(pages, target_words=180, max_words=230)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", pages[0].text) if p.strip()]
    texts = [c.text for c in chunks]
    for paragraph in paragraphs:
        if len(paragraph.split()) <= 230:
            assert any(paragraph in t.split("\n\n") for t in texts), paragraph[:60]
    sizes = [len(c.split()) for c in texts]
    # Merging: far fewer passages than paragraphs, and most of them near the target.
    assert len(chunks) < len(paragraphs) / 2
    assert sum(90 <= s <= 230 for s in sizes) >= len(sizes) - 1


def test_same_text_gives_same_chunks():
    pages = _seed_pages()["wmp-foi-response-social-media-323-18.txt"]
    first = chunk_pages(pages)
    again = chunk_pages([Page(p.number, str(p.text)) for p in pages])
    assert first == again


def test_long_paragraph_is_split_at_sentence_ends():
    seeds = _seed_pages()["ico-decision-notice-mps-false-personas.txt"][0].text
    sentences = [s for s in re.split(r"(?<=\.)\s+", " ".join(seeds.split())) if s.endswith(".")]
    paragraph = " ".join(sentences)
    assert len(paragraph.split()) > 500
    chunks = chunk_pages([Page(1, paragraph)], target_words=180, max_words=230)
    assert len(chunks) >= 3
    assert all(len(c.text.split()) <= 230 for c in chunks)
    assert all(re.search(r"[.!?][\"”’)]*$", c.text) for c in chunks)


def test_run_on_text_without_sentences_is_split_at_words():
    words = [f"word{i}" for i in range(1000)]
    chunks = chunk_pages([Page(1, " ".join(words))], target_words=180, max_words=230)
    assert [w for c in chunks for w in c.text.split()] == words
    assert all(len(c.text.split()) <= 230 for c in chunks)


def test_pages_are_carried_across_merged_paragraphs():
    pages = [
        Page(1, "1. The complainant asked for the register of personas.\n\n2. The MPS refused under section 31(1)(a)."),
        Page(2, "3. The Commissioner considered the prejudice test.\n\n4. He found the exemption engaged."),
        Page(3, " ".join(["The public interest in maintaining the exemption outweighs disclosure."] * 40)),
    ]
    chunks = chunk_pages(pages, target_words=60, max_words=80)
    assert (chunks[0].page_start, chunks[0].page_end) == (1, 2)
    assert all(c.page_start == c.page_end == 3 for c in chunks[1:])
    assert [c.page_start for c in chunks] == sorted(c.page_start for c in chunks)


def test_empty_pages_give_no_chunks_and_bad_sizes_are_refused():
    assert chunk_pages([Page(1, ""), Page(2, "  \n\n ")]) == []
    with pytest.raises(ValueError):
        chunk_pages([Page(1, "text")], target_words=200, max_words=100)


@pytest.mark.realdata
def test_tribunal_passages_mostly_fit_minilm_window(shared_dir):
    from transformers import AutoTokenizer

    from indexer.embedder import bundled_model_path

    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    texts = []
    with tarfile.open(shared_dir / "scale" / "tribunal-2524-text.tar.gz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt") and len(texts) < 20:
                texts.append(tar.extractfile(member).read().decode("utf-8", "replace"))
    chunks = [c for t in texts for c in chunk_pages([Page(1, t)])]
    lengths = [len(tokenizer(c.text)["input_ids"]) for c in chunks]
    truncated = sum(n > 256 for n in lengths) / len(lengths)
    assert max(len(c.text.split()) for c in chunks) <= 230
    assert truncated < 0.15, f"{truncated:.0%} of {len(lengths)} passages exceed 256 tokens"
