"""Mend text damaged by PDF extraction or web scraping: pure functions over lists of page strings."""
from __future__ import annotations

import math
import re
from collections import Counter

from indexer.fragments import rejoin_split_words
from indexer.furniture import is_chrome, strip_acknowledgements, strip_page_chrome

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PAGE_NUMBER = re.compile(
    r"^[-\u2013\u2014\s]*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-\u2013\u2014\s]*$|^page\s+[ivxlc]+$",
    re.IGNORECASE,
)
_HYPHEN_BREAK = re.compile(r"\b(\w+)-\n(\w+)[ \t]?")  # \b: one attempt per word, not per letter
_MARKER = re.compile(r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]\s|\([a-z]{1,4}\)\s|\([ivx]{1,5}\)\s|[\u2022\u25aa\u25cf\u25e6*\u2013-]\s)")
_TERMINAL = re.compile(r"[.!?:;\u201d\"]$")
_FURNITURE = re.compile(
    r"skip to (?:main )?content|privacy (?:policy|notice)|donat(?:e|ion)|become a (?:supporter|member)"
    r"|support (?:us|our work)|subscribe|newsletter|sign (?:up|in)\b|log ?in\b|follow us|all rights reserved|\u00a9",
    re.IGNORECASE,
)
# A copyright line also closes documents ("© Crown Copyright 2019" under a judge's signature): it goes, but does
# not take the short lines above it (the signature, "PROMULGATED: 11 April 2019") with it as site furniture does.
_COPYRIGHT_ONLY = re.compile(r"^(?:\u00a9|\(c\)|copyright|crown|all rights reserved|[\s\d,.])*$", re.IGNORECASE)
# Left halves that usually form a real compound across a line break ("non-disclosure", "well-known").
_COMPOUND_PREFIXES = frozenset(
    "non self well ex cross co anti pre post multi semi quasi part so long short high low half first second third "
    "one two three four five six seven eight nine ten follow set mid pro counter under over all ill sub".split()
)
EDGE_LINES = 6
MIN_RUNNING_LEN = 4
WRAP_MAX_WIDTH = 130
FURNITURE_MAX_LEN = 200
TAIL_SHORT_LINES = 6
WRAP_MIN_WIDTH = 40


def normalise_whitespace(text: str) -> str:
    """Unify line endings, drop invisible characters, collapse space runs and runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _edge_indexes(lines: list[str], count: int = EDGE_LINES) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:count] + filled[-count:]))


def strip_page_numbers(pages: list[str]) -> list[str]:
    """Remove bare page numbers ("3", "- 3 -", "Page 3 of 12") standing as the first or last line of a page."""
    mended = []
    for page in pages:
        lines = page.split("\n")
        drop = {i for i in _edge_indexes(lines, 1) if _PAGE_NUMBER.match(lines[i])}
        mended.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return mended


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.lower()))


def _edge_runs(lines: list[str], is_furniture) -> set[int]:
    """Indexes of the unbroken runs of furniture lines at the top and at the bottom of a page."""
    filled = [i for i, line in enumerate(lines) if line]
    drop: set[int] = set()
    for order in (filled, filled[::-1]):
        for i in order:
            if not is_furniture(lines[i]):
                break
            drop.add(i)
    return drop


def strip_running_lines(pages: list[str]) -> list[str]:
    """Remove headers/footers found at the edges of most pages, except on the first page.

    The first page keeps its copy because it is the title page and often the only statement of the appeal number.
    Only unbroken runs from the top or bottom of a page go (page numbers may sit inside a run).
    """
    if len(pages) < 2:
        return list(pages)
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_running_key(lines[i]) for i in _edge_indexes(lines)})
    # Pages without text (scanned annexes) cannot carry a header, so they do not count towards "most".
    threshold = max(2, math.ceil(sum(1 for page in pages if page.strip()) * 0.5))
    running = {key for key, n in counts.items() if n >= threshold and len(key) >= MIN_RUNNING_LEN}

    def is_furniture(line: str) -> bool:
        # Lines of bare punctuation at a page edge are layout debris (e.g. a lone "." above every page).
        return _running_key(line) in running or bool(_PAGE_NUMBER.match(line)) or not any(map(str.isalnum, line))

    mended = [pages[0]]
    for lines in split[1:]:
        drop = _edge_runs(lines, is_furniture)
        # Pages made mostly of "running" lines are repeated content (e.g. a form), not headers around text.
        if 2 * len(drop) >= sum(1 for line in lines if line):
            drop = set()
        mended.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return mended


def word_counts(pages: list[str]) -> Counter[str]:
    """Lowercase word frequencies (hyphenated words kept whole) used to judge line-break hyphens."""
    return Counter(re.findall(r"\w+(?:-\w+)*", "\n".join(pages).lower()))


def _join_hyphen(left: str, right: str, vocabulary: Counter[str]) -> str:
    joined, compound = f"{left}{right}", f"{left}-{right}"
    if not right[0].islower() or vocabulary[compound.lower()] > vocabulary[joined.lower()]:
        return compound
    if vocabulary[joined.lower()] or left.lower() not in _COMPOUND_PREFIXES:
        return joined
    return compound


def dehyphenate(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Join words split across lines: "immig-\\nration" -> "immigration", "non-\\ndisclosure" stays hyphenated."""
    vocabulary = vocabulary if vocabulary is not None else word_counts([text])
    # The mended word stays on the upper line so line lengths still show the wrap width to reflow().
    mended = _HYPHEN_BREAK.sub(lambda m: _join_hyphen(m.group(1), m.group(2), vocabulary) + "\n", text)
    return re.sub(r"\n[ \t]+", "\n", mended)


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))]


def _separator(prev: str, nxt: str, width: int, wrapped: bool) -> str:
    if nxt[0].islower() and not prev.endswith(":"):
        return " "
    if not wrapped or len(prev) < 0.6 * width:
        return "\n\n" if wrapped and _TERMINAL.search(prev) else "\n"
    return " "


def _looks_wrapped(lines: list[str], width: int) -> bool:
    """In hard-wrapped text most lines of a paragraph, bar its last, come close to the wrap width."""
    full = sum(len(line) >= 0.7 * width for line in lines[:-1])
    return full >= 0.5 * (len(lines) - 1)


def _segments(lines: list[str]) -> list[list[str]]:
    """Split a block before each numbered paragraph or list item."""
    segments: list[list[str]] = [[]]
    for line in lines:
        if _MARKER.match(line) and segments[-1]:
            segments.append([])
        segments[-1].append(line)
    return segments


def _reflow_block(lines: list[str], width: int) -> str:
    block_width = _wrap_width(lines) if len(lines) >= 3 else width
    if not WRAP_MIN_WIDTH <= block_width <= WRAP_MAX_WIDTH:
        return "\n".join(lines)
    out: list[str] = []
    for segment in _segments(lines):
        if out:
            out.append("\n\n" if _TERMINAL.search(out[-1]) else "\n")
        wrapped = _looks_wrapped(segment, block_width)
        out.append(segment[0])
        for prev, nxt in zip(segment, segment[1:], strict=False):
            out.append(_separator(prev, nxt, block_width, wrapped))
            out.append(nxt)
    return "".join(out)


def reflow(text: str) -> str:
    """Join lines hard-wrapped mid-paragraph; blank lines stay paragraph breaks."""
    text = normalise_whitespace(text)
    blocks = [[line for line in block.split("\n") if line] for block in text.split("\n\n") if block.strip()]
    filled = [line for block in blocks for line in block]
    if not filled:
        return ""
    width = _wrap_width(filled)
    return "\n\n".join(_reflow_block(block, width) for block in blocks)


def _furniture_run(lines: list[str], short_budget: int) -> int:
    """Number of leading lines that are site furniture; short lines next to a furniture match count too."""
    cut, budget = 0, 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if len(line) <= FURNITURE_MAX_LEN and (_FURNITURE.search(line) or is_chrome(line)):
            cut, budget = i + 1, budget if _COPYRIGHT_ONLY.match(line) else short_budget
        elif len(line) <= 40 and budget > 0 and not line.endswith("."):
            budget -= 1
            cut = i + 1
        else:
            break
    return cut


def strip_web_furniture(text: str) -> str:
    """Drop page furniture: "Skip to main content", privacy/cookie lines and donate appeals at the text's edges,
    interface labels ("See notes", "Show mobile menu") anywhere, and banners and form help above the first
    paragraph (indexer.furniture).

    At the end, short lines around a furniture match go too ("Fighting fund", "7 Days remaining"); at the start
    they are kept, because the document's own short title usually follows "Skip to content".
    """
    lines = text.split("\n")
    lines = lines[_furniture_run(lines, 0):]
    tail = _furniture_run(lines[::-1], TAIL_SHORT_LINES)
    return "\n".join(strip_page_chrome(lines[: len(lines) - tail]))


def mend_pages(pages: list[str], web_text: bool = False, rejoin: bool = True) -> list[str]:
    """Apply every mending rule to a document's pages; returns the same number of pages. rejoin=False leaves
    words split by stray spaces as they are (only to measure what rejoining them changes)."""
    pages = [normalise_whitespace(page) for page in pages]
    if web_text:
        pages = [strip_web_furniture(page) for page in pages]
    # Page numbers again after header removal: "- 2 -" often sits just below a running header.
    pages = strip_page_numbers(strip_running_lines(strip_page_numbers(pages)))
    vocabulary = word_counts(pages)
    pages = [normalise_whitespace(reflow(dehyphenate(page, vocabulary))) for page in pages]
    pages = rejoin_split_words(pages) if rejoin else pages
    return [strip_acknowledgements(page) for page in pages] if web_text else pages


def truncate_pages(texts: list[str], max_chars: int) -> tuple[list[str], int]:
    """(pages holding at most max_chars characters in all, how many characters were cut off)."""
    total = sum(len(text) for text in texts)
    if not max_chars or total <= max_chars:
        return texts, 0
    kept, room = [], max_chars
    for text in texts:
        if room <= 0:
            break
        kept.append(text[:room])
        room -= len(kept[-1])
    return kept, total - max_chars
