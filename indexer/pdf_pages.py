"""A second text extractor (pdfium) for PDF pages where pypdf split words with stray spaces ("rece ived")."""
from __future__ import annotations

import logging
import re

from indexer.fragments import SHORT_WORDS

log = logging.getLogger("indexer.extract")

_WORD = re.compile(r"(?<![\w’'.-])[A-Za-z]+(?![\w’'.-])")
# pypdf's text of a page that reads well has about 1% of its words as one- or two-letter non-words ("e" of
# "(e)", initials); a page set in a font it spaces badly has 2-20% ("th e", "Appella nt", "rece ived").
BROKEN_SHARE = 0.015
MIN_WORDS = 40
# pdfium must keep nearly all the page's letters and digits, and split clearly fewer words, to replace pypdf.
MIN_KEPT = 0.9
MAX_SHARE_RATIO = 0.7
# pdfium marks a hyphen at a line end with U+FFFE and drops the line break after it.
_PDFIUM_HYPHEN = "\ufffe"


def split_share(text: str) -> float:
    """Share of a page's words that are one- or two-letter non-words, the mark of words split by stray spaces."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return 0.0
    return sum(len(w) <= 2 and w.lower() not in SHORT_WORDS for w in words) / len(words)


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def better_page_text(pypdf_text: str, pdfium_text: str) -> str:
    """pdfium's text of a page when it keeps the page's letters and splits fewer words than pypdf's."""
    if _alnum(pdfium_text) < MIN_KEPT * _alnum(pypdf_text):
        return pypdf_text
    return pdfium_text if split_share(pdfium_text) < MAX_SHARE_RATIO * split_share(pypdf_text) else pypdf_text


def pdfium_page_texts(data: bytes, numbers: list[int]) -> dict[int, str]:
    """pdfium's text of the given 0-based pages; {} when pdfium cannot read the file (pypdf's text then stands)."""
    import pypdfium2

    texts: dict[int, str] = {}
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            for number in numbers:
                raw = document[number].get_textpage().get_text_range()
                texts[number] = raw.replace("\r\n", "\n").replace(_PDFIUM_HYPHEN, "-\n")
        finally:
            document.close()
    except Exception as exc:  # pdfium raises its own error types on damaged files; pypdf's text is kept
        log.debug("pdfium could not read the PDF: %s", exc)
        return {}
    return texts


def with_better_pages(data: bytes, texts: list[str]) -> list[str]:
    """pypdf's page texts, each page whose words look split replaced by pdfium's text where that reads better."""
    broken = [number for number, text in enumerate(texts) if split_share(text) >= BROKEN_SHARE]
    if not broken:
        return texts
    others = pdfium_page_texts(data, broken)
    return [better_page_text(text, others[n]) if n in others else text for n, text in enumerate(texts)]
