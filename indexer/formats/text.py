"""Plain text and HTML: decoding (legacy encodings, stray NUL bytes, binary data) and pages of mended text."""
from __future__ import annotations

from indexer.formats.model import Caps, Extracted, ExtractionError, Page, RawFile
from indexer.html_text import html_to_text
from indexer.textclean import mend_pages

# Control bytes that never occur in text (tab, newlines, vertical tab, form feed and carriage return do).
_CONTROL = bytes([*range(0, 9), *range(14, 32), 127])
_NOT_CONTROL = bytes(sorted(set(range(256)) - set(_CONTROL)))
# More control bytes than this share means binary data; real text files with a few stray NULs (20 of 2,524
# tribunal decisions, where a PDF-to-text tool wrote NUL for a bullet, quote or space) stay far below it.
MAX_CONTROL_SHARE = 0.01
STRAY_CONTROLS = 16  # a short note with a couple of stray NULs is text too, whatever their share
# Files whose first bytes name a binary format; a PDF, RTF, Office or zip file is read as what it is instead.
BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image", b"\x7fELF": "an executable",
                b"MZ": "a Windows executable", b"\x1f\x8b": "gzip data", b"7z\xbc\xaf": "a 7-Zip archive",
                b"Rar!": "a RAR archive", b"\xd0\xcf\x11\xe0": "an OLE compound file (Office 97-2003 or Outlook)"}


def cap_note(cut: int, max_chars: int) -> str:
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


def _check_binary(name: str, data: bytes) -> None:
    """ExtractionError binary_content for data with a binary magic number or too many control bytes."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ExtractionError("binary_content", f"{name}: binary content ({what}), not text")
    controls = len(data.translate(None, _NOT_CONTROL))
    if controls > STRAY_CONTROLS and controls > MAX_CONTROL_SHARE * len(data):
        first = f"; first NUL byte at offset {data.index(0)}" if 0 in data else ""
        raise ExtractionError("binary_content", f"{name}: binary content ({controls:,} control bytes, "
                              f"{controls / len(data):.1%} of the file{first}), not text")


def _without_nuls(data: bytes) -> tuple[bytes, list[str]]:
    """Stray NUL bytes become spaces (they stand for a bullet, quote or space in converted text)."""
    count = data.count(0)
    if not count:
        return data, []
    note = (f"{count} stray NUL byte(s) replaced by spaces (first at offset {data.index(0)}); "
            f"the rest of the file is text")
    return data.replace(b"\x00", b" "), [note]


def decode(name: str, data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: UTF-8 (or UTF-16), else cp1252, else latin-1, with a warning; binary data is refused."""
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
    _check_binary(name, data)
    data, notes = _without_nuls(data)
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as exc:
        where = f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        return data.decode("cp1252"), [*notes, f"not valid UTF-8 ({where}); decoded as cp1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [*notes, f"not valid UTF-8 or cp1252 ({where}); decoded as latin-1"]


def text_result(name: str, fmt: str, text: str, notes: list[str], title: str | None, caps: Caps,
                paged: bool = False) -> Extracted:
    """Text capped at caps.max_chars, split at form feeds when paged, mended, as one or more pages."""
    if caps.max_chars and len(text) > caps.max_chars:
        notes = [*notes, cap_note(len(text) - caps.max_chars, caps.max_chars)]
        text = text[: caps.max_chars]
    raw_pages = text.split("\f") if paged else [text]
    mended = mend_pages(raw_pages, web_text=True)
    if not any(page.strip() for page in mended):
        what = {"html": "HTML page has no readable text", "text": "file holds only whitespace"}.get(
            fmt, f"{fmt} file holds no text")
        raise ExtractionError("empty_file", f"{name}: {what}")
    pages = [Page(number, page) for number, page in enumerate(mended, start=1)]
    return Extracted(format=fmt, pages=pages, warnings=notes, title_hint=title)


def extract_text(raw: RawFile) -> Extracted:
    text, notes = decode(raw.name, raw.data)
    return text_result(raw.name, "text", text, notes, None, raw.caps, paged=True)


def extract_html(raw: RawFile) -> Extracted:
    text, notes = decode(raw.name, raw.data)
    body, title = html_to_text(text)
    return text_result(raw.name, "html", body, notes, title, raw.caps)
