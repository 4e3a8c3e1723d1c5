"""Word-processor files: .docx (python-docx), .odt (its content.xml) and .rtf (striprtf), as one page of text."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from indexer.formats.model import Extracted, ExtractionError, RawFile
from indexer.formats.pdf import document_title
from indexer.formats.text import decode, text_result
from indexer.formats.zipcheck import open_zip, verify_members

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_ROW = f"{{{_TABLE_NS}}}table-row"
_ODF_BLOCKS = {f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"}
_ODF_SPACES = {f"{{{_TEXT_NS}}}s": " ", f"{{{_TEXT_NS}}}tab": "\t", f"{{{_TEXT_NS}}}line-break": "\n"}


def refuse_ole(name: str, data: bytes, what: str) -> None:
    """An OLE compound file where a zip package was expected: an encrypted Office file or a legacy binary one."""
    if not data.startswith(OLE_MAGIC):
        return
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
        raise ExtractionError("encrypted_office", f"{name}: {what} is encrypted with a password (an "
                              f"EncryptedPackage inside an OLE file); text not readable")
    raise ExtractionError("unsupported_type", f"{name}: an Office 97-2003 binary file (OLE), not a {what}; "
                          f"save it as .docx or .xlsx to index it")


def _office_zip(raw: RawFile, what: str) -> zipfile.ZipFile:
    refuse_ole(raw.name, raw.data, what)
    archive = open_zip(raw.name, raw.data, "corrupt_office", what)
    verify_members(archive, raw.name, raw.caps, "corrupt_office")
    return archive


def _docx_blocks(document: Any, limit: int) -> Iterator[str]:
    """Paragraphs and table rows (cells joined by " | ") in document order, until limit characters."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    size = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            lines = [Paragraph(element, document).text]
        elif element.tag == f"{_W}tbl":
            lines = [" | ".join(cell.text.strip() for cell in row.cells) for row in Table(element, document).rows]
        else:
            continue
        for line in lines:
            yield line
            size += len(line) + 1
        if limit and size > limit:
            return


def extract_docx(raw: RawFile) -> Extracted:
    import docx

    archive = _office_zip(raw, "Word document (.docx)")
    if "word/document.xml" not in archive.namelist():
        raise ExtractionError("corrupt_office", f"{raw.name}: not a Word document (a zip without word/document.xml)")
    try:
        document = docx.Document(io.BytesIO(raw.data))
        text = "\n".join(_docx_blocks(document, raw.caps.max_chars))
        title = document.core_properties.title
    except Exception as exc:  # python-docx and lxml raise many types on damaged packages
        raise ExtractionError("corrupt_office", f"{raw.name}: Word document is damaged "
                              f"({type(exc).__name__}: {exc})") from exc
    return text_result(raw.name, "docx", text, [], document_title(title), raw.caps)


def _odf_text(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(_ODF_SPACES.get(child.tag, "") or _odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_lines(content: bytes, limit: int) -> list[str]:
    """Headings and paragraphs, and table rows (cells joined by " | "), in document order until limit characters."""
    lines: list[str] = []
    size, stack = 0, [ElementTree.fromstring(content)]
    while stack and not (limit and size > limit):
        element = stack.pop()
        if element.tag in _ODF_BLOCKS:
            line = _odf_text(element)
        elif element.tag == _ODF_ROW:
            line = " | ".join(_odf_text(cell).strip() for cell in element)
        else:
            stack.extend(reversed(list(element)))
            continue
        lines.append(line)
        size += len(line) + 1
    return lines


def extract_odt(raw: RawFile) -> Extracted:
    archive = _office_zip(raw, "OpenDocument text (.odt)")
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise ExtractionError("corrupt_office", f"{raw.name}: not an OpenDocument file (no content.xml)")
    manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        raise ExtractionError("encrypted_office", f"{raw.name}: OpenDocument file is encrypted with a password")
    try:
        text = "\n".join(_odt_lines(archive.read("content.xml"), raw.caps.max_chars))
    except (ElementTree.ParseError, RecursionError) as exc:
        raise ExtractionError("corrupt_office", f"{raw.name}: OpenDocument content.xml is damaged "
                              f"({type(exc).__name__}: {exc})") from exc
    return text_result(raw.name, "odt", text, [], None, raw.caps)


def extract_rtf(raw: RawFile) -> Extracted:
    from striprtf.striprtf import rtf_to_text

    if not raw.data.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("corrupt_office", f"{raw.name}: not an RTF file (no {{\\rtf header)")
    source, notes = decode(raw.name, raw.data)
    try:
        text = rtf_to_text(source, errors="replace")
    except Exception as exc:  # striprtf raises on malformed control words and groups
        raise ExtractionError("corrupt_office", f"{raw.name}: RTF is damaged ({type(exc).__name__}: {exc})") from exc
    return text_result(raw.name, "rtf", text, [n for n in notes if "NUL" in n], None, raw.caps)
