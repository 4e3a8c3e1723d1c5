"""Real Word, OpenDocument, RTF, Excel, CSV, email and zip files for tests, written with the libraries themselves."""
from __future__ import annotations

import csv
import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

from tests.hostile_files import encrypted_pdf, random_bytes
from tests.msgmaker import Attachment, Message, write_msg

RESPONSE_LINES = ["Freedom of Information request FOI/2024/117", "Dear Ms Doe,",
                  "We hold the information you requested about fleet vehicle emissions.",
                  "Some of it is withheld under section 43(2) (commercial interests) of the Freedom of Information "
                  "Act 2000.", "Yours sincerely, Information Governance Team"]
TABLE = [["Year", "Vehicles", "Emissions (tonnes CO2)"], ["2021", "412", "1,830.5"], ["2022", "398", "1,702.25"]]


def docx(path: Path, lines: list[str] = RESPONSE_LINES, table: list[list[str]] | None = TABLE,
         title: str = "Response to FOI/2024/117") -> Path:
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.title = title
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.save(str(path))
    return path


def odt(path: Path, lines: list[str] = RESPONSE_LINES, table: list[list[str]] | None = TABLE) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=lines[0]))
    for line in lines[1:]:
        document.text.addElement(P(text=line))
    if table:
        grid = Table(name="Figures")
        grid.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
        for values in table:
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            grid.addElement(row)
        document.text.addElement(grid)
    document.save(str(path))
    return path


def rtf(path: Path, lines: list[str] = RESPONSE_LINES) -> Path:
    """RTF as Word writes it: a font table, paragraphs ending in \\par, non-ASCII as \\'xx cp1252 escapes."""
    def escape(text: str) -> str:
        return "".join(f"\\'{ord(ch.encode('cp1252')):02x}" if ord(ch) > 127 else ch for ch in text)

    body = "".join(f"\\pard\\plain\\f0\\fs24 {escape(line)}\\par\n" for line in lines)
    path.write_text("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}"
                    "{\\info{\\title FOI response}}\n" + body + "}", encoding="ascii")
    return path


def xlsx(path: Path, sheets: dict[str, list[list[object]]] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in (sheets or {"Fleet": TABLE, "Notes": [["Source", "Fleet register, March 2023"]]}).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(str(path))
    return path


def big_xlsx(path: Path, rows: int) -> Path:
    """One sheet of `rows` distinct rows, written in openpyxl's streaming (write-only) mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Payments")
    sheet.append(["Payment id", "Supplier", "Amount (GBP)"])
    for number in range(rows):
        sheet.append([number, f"Supplier {number % 977}", round(number * 1.37, 2)])
    workbook.save(str(path))
    return path


def csv_file(path: Path, rows: list[list[str]] = TABLE, delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def eml(path: Path, attachments: dict[str, bytes] | None = None, html: bool = False,
        subject: str = "FOI/2024/117: our response") -> Path:
    message = EmailMessage()
    message["From"] = "Information Governance <foi@council.example.gov.uk>"
    message["To"] = "Jane Doe <jane.doe@example.org>"
    message["Date"] = "Tue, 14 Nov 2023 22:13:20 +0000"
    message["Subject"] = subject
    message.set_content("\n\n".join(RESPONSE_LINES[1:]))
    if html:
        message.add_alternative("<html><body><p>Dear Ms Doe,</p><p>Our <b>response</b> is attached.</p>"
                                "<script>tracking()</script></body></html>", subtype="html")
    for name, data in (attachments or {}).items():
        maintype, subtype = ("message", "rfc822") if name.endswith(".eml") else ("application", "octet-stream")
        if maintype == "message":
            from email import message_from_bytes, policy

            message.add_attachment(message_from_bytes(data, policy=policy.default), filename=name)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(message))
    return path


def msg(path: Path, attachments: dict[str, bytes] | None = None) -> Path:
    return write_msg(path, Message("FOI/2024/117: our response", "\n".join(RESPONSE_LINES[1:]),
                                   attachments=[Attachment(n, d) for n, d in (attachments or {}).items()]))


def zip_file(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def nested_zip(path: Path, depth: int, leaf: dict[str, bytes]) -> Path:
    """A zip holding a zip ... `depth` levels of zips, the innermost holding leaf."""
    data = _zip_bytes(leaf)
    for level in range(depth - 1, 0, -1):
        data = _zip_bytes({f"level-{level}.zip": data})
    path.write_bytes(data)
    return path


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(path: Path, inflated_mb: int, name: str = "letters/reply.txt") -> Path:
    """One member of `inflated_mb` MB of one repeated byte: it deflates about 1000 times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w", force_zip64=True) as out:
        block = b"A" * (1 << 20)
        for _ in range(inflated_mb):
            out.write(block)
    return path


def docx_bomb(path: Path, inflated_mb: int) -> Path:
    """A real .docx whose word/document.xml is replaced by `inflated_mb` MB of one repeated paragraph."""
    source = zipfile.ZipFile(io.BytesIO(docx(Path(path).with_suffix(".src.docx")).read_bytes()))
    paragraph = b"<w:p><w:r><w:t>withheld under section 43</w:t></w:r></w:p>"
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head)
            block = paragraph * ((1 << 20) // len(paragraph))
            for _ in range(inflated_mb):
                out.write(block)
            out.write(b"</w:body></w:document>")
    Path(path).with_suffix(".src.docx").unlink()
    return path


def encrypted_zip_member(path: Path) -> Path:
    """A zip whose one member has the "encrypted" flag set, as a password-protecting archiver leaves it."""
    data = bytearray(_zip_bytes({"secret/response.txt": b"Protected response text."}))
    data[6] |= 0x1  # local file header: general purpose flag bit 0
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x1  # central directory entry: the same flag
    path.write_bytes(bytes(data))
    return path


def encrypted_docx(path: Path, password: str = "secret") -> Path:
    """A .docx encrypted with a password (ECMA-376 agile encryption), as Word writes it, via msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = docx(path.with_suffix(".plain.docx"))
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt(password, target)
    plain.unlink()
    return path


def encrypted_odt(path: Path) -> Path:
    """An .odt whose manifest declares content.xml encrypted (as LibreOffice writes a password-protected file)."""
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                b'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                b'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
                b'manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", bytes(range(256)) * 8)
    return path


def hostile_formats(folder: Path, good_pdf: Path) -> None:
    """The broken, locked, bomb and misnamed files of the new formats for the hostile-input build."""
    encrypted_pdf(folder / "aes-no-password.pdf", good_pdf, "", "AES-256")
    (folder / "stray-nuls.txt").write_bytes(b"Decision notice FS50222222: the council\x00s reply relied on section "
                                            b"41.\x00 The complaint is upheld.\n")
    whole_docx = docx(folder / "whole.docx").read_bytes()
    (folder / "whole.docx").unlink()
    (folder / "truncated.docx").write_bytes(whole_docx[: len(whole_docx) // 2])
    (folder / "pdf-named.docx").write_bytes(good_pdf.read_bytes())
    random_bytes(folder / "random.docx")
    encrypted_docx(folder / "locked.docx")
    docx_bomb(folder / "bomb-document-xml.docx", 200)
    big_xlsx(folder / "huge-sheet.xlsx", 3000)
    whole_xlsx = xlsx(folder / "whole.xlsx").read_bytes()
    (folder / "whole.xlsx").unlink()
    (folder / "truncated.xlsx").write_bytes(whole_xlsx[: len(whole_xlsx) // 2])
    random_bytes(folder / "random.msg")
    random_bytes(folder / "binary.eml")
    zip_bomb(folder / "bomb.zip", 200)
    nested_zip(folder / "nested-6.zip", 6, {"deep.txt": b"text six levels down"})
    encrypted_zip_member(folder / "locked-member.zip")
    archive = zip_file(folder / "whole.zip", {"a.txt": b"letter " * 1000, "b.txt": b"reply " * 1000}).read_bytes()
    (folder / "whole.zip").unlink()
    (folder / "truncated.zip").write_bytes(archive[: len(archive) // 2])
