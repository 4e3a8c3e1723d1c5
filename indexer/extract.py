"""Extract mended page text from PDF, HTML and plain-text files, reporting bad input as ExtractionError."""
from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from indexer.html_text import html_to_text
from indexer.pdf_pages import with_better_pages
from indexer.report import FAILURE_REASONS
from indexer.textclean import mend_pages, truncate_pages

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset({".pdf", ".html", ".htm", ".txt"})
ERROR_REASONS = frozenset(FAILURE_REASONS)
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


class ExtractionError(Exception):
    """A file that cannot be extracted; reason is one of ERROR_REASONS, message names the problem."""

    def __init__(self, reason: str, message: str) -> None:
        if reason not in ERROR_REASONS:
            raise ValueError(f"unknown extraction failure reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Page:
    number: int
    text: str


@dataclass
class Extracted:
    format: str
    pages: list[Page]
    warnings: list[str] = field(default_factory=list)
    needs_ocr: bool = False
    title_hint: str | None = None
    ocr: dict[str, Any] | None = None  # set by indexer.ocr: engine, mean and per-page confidence

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class Caps:
    """Bounds on what one file may yield; 0 means unbounded."""

    max_chars: int = 0
    max_pages: int = 0


def extract(path: Path, caps: Caps = Caps()) -> Extracted:
    """Extract a supported file; raises ExtractionError (and nothing else) for unreadable or bad input.

    Text past caps.max_chars and PDF pages past caps.max_pages are dropped with a warning, so one huge
    file cannot flood the index with passages.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        shown = suffix or "no extension"
        raise ExtractionError("unsupported_type", f"{path.name}: unsupported file type ({shown}); "
                              f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError("vanished", f"{path.name}: file no longer exists (deleted during the build)") from exc
    except OSError as exc:
        raise ExtractionError("read_error", f"{path.name}: cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ExtractionError("empty_file", f"{path.name}: file is empty ({len(data)} bytes, no text)")
    if suffix == ".pdf":
        return _extract_pdf(path.name, data, caps)
    text, notes = _decode(path.name, data)
    del data
    if suffix == ".txt":
        return _text_result(path.name, "text", text, notes, None, caps)
    body, title = html_to_text(text)
    return _text_result(path.name, "html", body, notes, title, caps)


def _cap_note(cut: int, max_chars: int) -> str:
    return (f"text truncated: only the first {max_chars:,} characters are indexed, "
            f"{cut:,} more were dropped (setting max_extracted_chars)")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when NUL bytes sit at every other offset as in UTF-16 Latin text without a BOM."""
    half = len(data) // 2
    if half < 2 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    codec = "utf-16-le" if odd > half * 0.3 > even else "utf-16-be" if even > half * 0.3 > odd else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch.isspace() for ch in text)
    return (text, codec) if printable >= 0.95 * len(text) else None


def _decode(name: str, data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: UTF-8 (or BOM-marked UTF-16), else cp1252, else latin-1, with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["UTF-16 text (byte-order mark); decoded as UTF-16"]
        except UnicodeDecodeError as exc:
            raise ExtractionError("binary_content", f"{name}: claims UTF-16 but does not decode: {exc}") from exc
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            text, codec = utf16
            return text, [f"{codec.upper()} text without a byte-order mark (NUL bytes at every other offset); "
                          f"decoded as {codec.upper()}"]
        offset = data.index(b"\x00")
        raise ExtractionError("binary_content", f"{name}: binary content (NUL byte at offset {offset}), not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        where = f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        return data.decode("cp1252"), [f"not valid UTF-8 ({where}); decoded as cp1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [f"not valid UTF-8 or cp1252 ({where}); decoded as latin-1"]


def _text_result(name: str, fmt: str, text: str, notes: list[str], title: str | None, caps: Caps) -> Extracted:
    if caps.max_chars and len(text) > caps.max_chars:
        notes = [*notes, _cap_note(len(text) - caps.max_chars, caps.max_chars)]
        text = text[: caps.max_chars]
    raw_pages = text.split("\f") if fmt == "text" else [text]
    mended = mend_pages(raw_pages, web_text=True)
    if not any(page.strip() for page in mended):
        what = "HTML page has no readable text" if fmt == "html" else "file holds only whitespace"
        raise ExtractionError("empty_file", f"{name}: {what}")
    pages = [Page(number, page) for number, page in enumerate(mended, start=1)]
    return Extracted(format=fmt, pages=pages, warnings=notes, title_hint=title)


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


def _extract_pdf(name: str, data: bytes, caps: Caps) -> Extracted:
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
        notes.append(_cap_note(cut, caps.max_chars))
    mended = mend_pages(texts)
    pages = [Page(number, text) for number, text in enumerate(mended, start=1)]
    return Extracted(format="pdf", pages=pages, warnings=notes, needs_ocr=needs_ocr, title_hint=title)
