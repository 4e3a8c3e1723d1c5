"""PDF: page texts with pypdf, truncated-file recovery, encryption (RC4 and AES) and bomb limits."""
from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from indexer.formats.model import Caps, Extracted, ExtractionError, Page, RawFile
from indexer.formats.text import cap_note
from indexer.pdf_pages import with_better_pages
from indexer.textclean import mend_pages, truncate_pages

# Below this many letters/digits per page on average, a PDF is taken to be a scan without a text layer.
OCR_MIN_CHARS_PER_PAGE = 25
NEEDS_OCR_NOTE = "scanned document needs OCR"
EOF_WINDOW = 2048
MAX_PYPDF_NOTES = 5
# PDF /Title values that are file names, word-processor defaults, templates, keyboard mash or court headings
# shared by many documents rather than a title of this one.
_JUNK_TITLE = re.compile(
    r"\.(?:docx?|rtf|pdf|odt)$|^Document in |\btemplate\b|[;\\]|\S{25,}|^\[.*\]$"
    r"|^(?:IN THE (?:UPPER|FIRST|MATTER)|Information Tribunal\b|Ruling$|Decision$|Judgment$)",
    re.IGNORECASE,
)


@contextlib.contextmanager
def _captured_pypdf_messages(sink: list[str]) -> Iterator[None]:
    """Collect pypdf's log records and Python warnings instead of letting them reach the console."""

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            sink.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = _Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        sink.extend(str(item.message) for item in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def extract_pdf(raw: RawFile) -> Extracted:
    name, data, caps = raw.name, raw.data, raw.caps
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("corrupt_pdf", f"{name}: not a PDF (no %PDF- header in the first 1024 bytes)")
    truncated = b"%%EOF" not in data[-EOF_WINDOW:]
    # A truncated file may still hold whole pages: close it with an end marker, then with a bogus startxref
    # so pypdf rebuilds the cross-reference table by scanning the objects that survived.
    attempts = [data, data + b"\n%%EOF\n", data + b"\nstartxref\n0\n%%EOF\n"] if truncated else [data]
    failures: list[Exception] = []
    for attempt in attempts:
        log: list[str] = []
        try:
            with _captured_pypdf_messages(log):
                reader = _open_reader(name, attempt)
                texts, notes = _page_texts(reader, caps)
                texts = with_better_pages(attempt, texts)
                title = _pdf_title(reader)
            break
        except (ExtractionError, MemoryError):
            raise
        except LimitReachedError as exc:
            raise ExtractionError("pdf_bomb", f"{name}: PDF exceeds a pypdf safety limit (a decompression or "
                                  f"size bomb): {exc}") from exc
        except DependencyError as exc:
            raise ExtractionError("encrypted_pdf", _dependency_message(name, exc)) from exc
        except Exception as exc:  # pypdf raises many exception types on damaged files; all mean "corrupt"
            failures.append(exc)
    else:
        state = f"truncated (no %%EOF end marker, {len(data)} bytes)" if truncated else "damaged"
        raise ExtractionError("corrupt_pdf", f"{name}: PDF is {state} and cannot be read: "
                              f"{type(failures[0]).__name__}: {failures[0]}") from failures[0]
    if truncated:
        notes.insert(0, f"PDF is truncated (no %%EOF end marker); text recovered from {len(texts)} page(s)")
    messages = list(dict.fromkeys(log))
    notes.extend(f"pypdf: {message}" for message in messages[:MAX_PYPDF_NOTES])
    if len(messages) > MAX_PYPDF_NOTES:
        notes.append(f"pypdf: {len(messages) - MAX_PYPDF_NOTES} more distinct messages")
    return _pdf_result(texts, notes, title, caps)


def _open_reader(name: str, data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        # pypdf signals an unsupported encryption algorithm with a RuntimeError subclass.
        except DependencyError as exc:
            raise ExtractionError("encrypted_pdf", _dependency_message(name, exc)) from exc
        except (FileNotDecryptedError, RuntimeError) as exc:
            raise ExtractionError("encrypted_pdf", f"{name}: PDF is encrypted and cannot be decrypted: {exc}") from exc
        if not opened:
            raise ExtractionError("encrypted_pdf", f"{name}: PDF is encrypted with a password; text not readable")
    if len(reader.pages) == 0:
        raise ExtractionError("corrupt_pdf", f"{name}: PDF has no pages")
    return reader


def _dependency_message(name: str, exc: DependencyError) -> str:
    return (f"{name}: PDF is encrypted with AES, and decrypting it needs the Python package 'cryptography', "
            f"which is not installed (pypdf: {exc})")


def _page_texts(reader: PdfReader, caps: Caps) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    notes: list[str] = []
    count, size = len(reader.pages), 0
    for number, page in enumerate(reader.pages, start=1):
        if (caps.max_pages and number > caps.max_pages) or (caps.max_chars and size >= caps.max_chars):
            notes.append(f"only the first {number - 1} of {count} pages are indexed "
                         f"(settings max_pdf_pages={caps.max_pages}, max_extracted_chars={caps.max_chars})")
            break
        try:
            texts.append(page.extract_text() or "")
            size += len(texts[-1])
        except (LimitReachedError, MemoryError):
            raise
        except Exception as exc:  # one bad page content stream should not lose the rest of the document
            texts.append("")
            notes.append(f"page {number} could not be read ({type(exc).__name__}: {exc})")
    return texts, notes


def _pdf_title(reader: PdfReader) -> str | None:
    try:
        raw = reader.metadata.title if reader.metadata else None
    except Exception:  # unreadable metadata is not worth failing the document for
        return None
    return document_title(raw)


def document_title(raw: object) -> str | None:
    """A document's own title property, or None for file names, template defaults and other junk."""
    title = " ".join(re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", str(raw or "")).split())
    if sum(ch.isalpha() for ch in title) < 4 or _JUNK_TITLE.search(title):
        return None
    return title


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _pdf_result(texts: list[str], notes: list[str], title: str | None, caps: Caps) -> Extracted:
    needs_ocr = sum(_alnum(text) for text in texts) < OCR_MIN_CHARS_PER_PAGE * len(texts)
    if needs_ocr:
        notes.insert(0, f"no text layer on {len(texts)} page(s): {NEEDS_OCR_NOTE}")
    else:
        blank = [str(number) for number, text in enumerate(texts, start=1) if not _alnum(text)]
        if blank:
            notes.append(f"page {', '.join(blank)} {'has' if len(blank) == 1 else 'have'} no text layer")
    texts, cut = truncate_pages(texts, caps.max_chars)
    if cut:
        notes.append(cap_note(cut, caps.max_chars))
    mended = mend_pages(texts)
    pages = [Page(number, text) for number, text in enumerate(mended, start=1)]
    return Extracted(format="pdf", pages=pages, warnings=notes, needs_ocr=needs_ocr, title_hint=title)
