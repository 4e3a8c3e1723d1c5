"""Split document pages into passages on paragraph boundaries, sized for MiniLM's 256-token window."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n")
# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by space; abbreviations such as
# "s. 31" may also split here, which is harmless because pieces are packed back together up to the target.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


class PageLike(Protocol):
    number: int
    text: str


@dataclass
class Chunk:
    text: str
    page_start: int
    page_end: int


@dataclass
class _Unit:
    text: str
    words: int
    page: int


def _paragraphs(pages: Iterable[PageLike]) -> list[tuple[str, int]]:
    out = []
    for page in pages:
        for raw in _PARAGRAPH_BREAK.split(page.text or ""):
            # Line wraps inside a paragraph carry no meaning once extracted, so whitespace is collapsed.
            text = " ".join(raw.split())
            if text:
                out.append((text, page.number))
    return out


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start : match.end()].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _word_windows(words: Sequence[str], size: int) -> list[str]:
    count = math.ceil(len(words) / size)
    step = math.ceil(len(words) / count)
    return [" ".join(words[i : i + step]) for i in range(0, len(words), step)]


def _split_long(text: str, target: int, max_words: int) -> list[str]:
    """Pieces of at most max_words, cut at sentence ends where possible, roughly equal in length."""
    total = len(text.split())
    budget = math.ceil(total / math.ceil(total / target))
    sentences: list[str] = []
    for sentence in _sentences(text):
        words = sentence.split()
        if len(words) > max_words:
            sentences.extend(_word_windows(words, budget))
        elif words:
            sentences.append(sentence.strip())
    pieces: list[list[str]] = [[]]
    count = 0
    for sentence in sentences:
        n = len(sentence.split())
        if pieces[-1] and count + n > budget:
            pieces.append([])
            count = 0
        pieces[-1].append(sentence)
        count += n
    return [" ".join(piece) for piece in pieces if piece]


def _units(pages: Iterable[PageLike], target: int, max_words: int) -> list[_Unit]:
    units = []
    for text, page in _paragraphs(pages):
        n = len(text.split())
        pieces = [text] if n <= max_words else _split_long(text, target, max_words)
        units.extend(_Unit(piece, len(piece.split()), page) for piece in pieces)
    return units


def _chunk(group: list[_Unit]) -> Chunk:
    return Chunk("\n\n".join(u.text for u in group), group[0].page, group[-1].page)


def chunk_pages(pages: list[PageLike], target_words: int = 180, max_words: int = 230) -> list[Chunk]:
    """Passages of whole paragraphs merged up to target_words; no passage exceeds max_words.

    A paragraph joins the current passage when the sum stays within the target, or, when the current passage is
    still under half the target, within max_words; so short headings do not become passages of their own.
    The result depends only on the text, which keeps embedding-cache keys stable across builds.
    """
    if target_words < 1 or max_words < target_words:
        raise ValueError(f"need 1 <= target_words <= max_words, got {target_words} and {max_words}")
    groups: list[list[_Unit]] = []
    count = 0
    for unit in _units(pages, target_words, max_words):
        fits = count + unit.words <= target_words
        small = count < target_words // 2 and count + unit.words <= max_words
        if groups and (fits or small):
            groups[-1].append(unit)
            count += unit.words
        else:
            groups.append([unit])
            count = unit.words
    _merge_tail(groups, target_words, max_words)
    return [_chunk(group) for group in groups]


def _merge_tail(groups: list[list[_Unit]], target: int, max_words: int) -> None:
    # A few trailing words (signature, date) carry little on their own; fold them into the previous passage.
    if len(groups) < 2:
        return
    tail = sum(u.words for u in groups[-1])
    before = sum(u.words for u in groups[-2])
    if tail < target // 4 and tail + before <= max_words:
        groups[-2].extend(groups.pop())
