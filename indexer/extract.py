"""Extract one file: read it, recognise its real format, and hand it to that format's module in indexer.formats."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.formats import CONTAINERS, FORMAT_BY_SUFFIX
from indexer.formats.archive import extract_zip
from indexer.formats.mail import extract_eml, extract_msg
from indexer.formats.model import ERROR_REASONS, Caps, Extracted, ExtractionError, Member, Page, RawFile
from indexer.formats.office import OLE_MAGIC, extract_docx, extract_odt, extract_rtf
from indexer.formats.pdf import NEEDS_OCR_NOTE, OCR_MIN_CHARS_PER_PAGE, extract_pdf
from indexer.formats.sheets import extract_csv, extract_xlsx
from indexer.formats.text import extract_html, extract_text

__all__ = ["CONTAINERS", "ERROR_REASONS", "NEEDS_OCR_NOTE", "OCR_MIN_CHARS_PER_PAGE", "SUPPORTED_EXTENSIONS", "Caps",
           "Extracted", "ExtractionError", "Member", "Page", "extract", "sniff"]

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(FORMAT_BY_SUFFIX)
NO_CAPS = Caps()
EXTRACTORS: dict[str, Callable[[RawFile], Extracted]] = {
    "pdf": extract_pdf, "html": extract_html, "text": extract_text, "docx": extract_docx, "odt": extract_odt,
    "rtf": extract_rtf, "xlsx": extract_xlsx, "csv": extract_csv, "eml": extract_eml, "msg": extract_msg,
    "zip": extract_zip,
}
FORMAT_NAMES = {"pdf": "a PDF", "rtf": "an RTF document", "docx": "a Word document (.docx)",
                "xlsx": "an Excel workbook (.xlsx)", "odt": "an OpenDocument text (.odt)", "zip": "a zip archive",
                "msg": "an Outlook message (.msg)"}
_ZIP_PACKAGES = (("docx", b"word/document.xml"), ("xlsx", b"xl/workbook.xml"),
                 ("odt", b"application/vnd.oasis.opendocument.text"))
_CENTRAL_DIRECTORY_WINDOW = 1 << 20
_ZIP_FAMILY = frozenset({"docx", "xlsx", "odt", "zip"})


def sniff(data: bytes) -> str | None:
    """The format the content itself declares (magic numbers, package part names), or None for plain text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        # Part names are stored uncompressed in the central directory at the end (and an ODF mimetype first).
        ends = data[:1024] + data[-_CENTRAL_DIRECTORY_WINDOW:]
        return next((fmt for fmt, marker in _ZIP_PACKAGES if marker in ends), "zip")
    if data.startswith(OLE_MAGIC) and b"_\x00_\x00s\x00u\x00b\x00s\x00t\x00g\x001\x00" in data:
        return "msg"
    return None


def _real_format(suffix_format: str, data: bytes) -> str:
    """The format to read the file as: what its content says where that is clear and differs from its name.

    A generic zip named .docx/.xlsx/.odt stays with its named format, whose reader then says what is missing.
    """
    found = sniff(data)
    if found is None or found == suffix_format or (found == "zip" and suffix_format in _ZIP_FAMILY):
        return suffix_format
    return found


def extract(path: Path, caps: Caps = NO_CAPS, unpack_dir: Path | None = None) -> Extracted:
    """Extract a supported file; raises ExtractionError (and nothing else) for unreadable or bad input.

    Text past caps.max_chars and PDF pages past caps.max_pages are dropped with a warning, so one huge
    file cannot flood the index with passages. A container (email, zip) lists its members in
    Extracted.members; their bytes are written below unpack_dir when one is given, for their own extraction.
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
    named = FORMAT_BY_SUFFIX[suffix]
    real = _real_format(named, data)
    result = EXTRACTORS[real](RawFile(path.name, data, caps, unpack_dir))
    if real != named:
        result.warnings.insert(0, f"named {suffix} but the content is {FORMAT_NAMES[real]}; read as that")
    return result
