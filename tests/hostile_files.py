"""Generators of hostile and broken corpus files, written at test time (never committed as binaries)."""
from __future__ import annotations

import random
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from tests.pdfmaker import write_pdf

GOOD_LINES = ["Decision notice FS50999999", "The council was entitled to rely on section 12 (cost limit).",
              "The Commissioner requires no steps to be taken."]


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A well-formed PDF file around numbered object bodies (1-based), with a correct xref table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"


def good_pdf(path: Path, lines: list[str] = GOOD_LINES) -> Path:
    return write_pdf(path, [lines])


def truncated_pdf(path: Path, source: Path) -> Path:
    """A real PDF cut in the middle of its objects (as an interrupted download leaves it)."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(path: Path, source: Path, user_password: str, algorithm: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def aes_encrypted_pdf(path: Path) -> Path:
    """An AES-256 (/V 5 /R 6) encrypted PDF, written by hand because pypdf needs `cryptography` to write one."""
    encrypt = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1 /O <" + b"00" * 48 + b"> /U <" + b"00" * 48
               + b"> /OE <" + b"00" * 32 + b"> /UE <" + b"00" * 32 + b"> /Perms <" + b"00" * 16
               + b"> /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>")
    data = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", _FONT,
                 _stream(b"\x00" * 32), _PAGE, encrypt])
    data = data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt 6 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] >>")
    path.write_bytes(data)
    return path


def page_count_bomb(path: Path, claimed: int = 1_000_000) -> Path:
    """One real page under a /Pages node that claims a million."""
    text = _stream(b"BT /F1 12 Tf 50 800 Td (A page count bomb claiming many pages) Tj ET")
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [5 0 R] /Count %d >>" % claimed, _FONT, text, _PAGE]))
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """Many real (tiny, identical) pages sharing one content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               _FONT, _stream(b"BT /F1 12 Tf 50 800 Td (Page of a very long document about retention schedules) Tj ET")]
    path.write_bytes(_pdf(objects + [_PAGE] * pages))
    return path


def slow_pdf(path: Path, operators: int = 300_000) -> Path:
    """One page of one long word, drawn a letter per operator: 300,000 (4.2 MB) take pypdf ~6 s to read."""
    ops = b"BT /F1 12 Tf 50 800 Td " + b"(w) Tj 1 0 Td " * operators + b"ET"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                           _FONT, _stream(ops), _PAGE]))
    return path


def nested_pdf(path: Path, depth: int = 100_000) -> Path:
    """A page whose resources hold an array nested `depth` levels deep."""
    page = _PAGE.replace(b"/Resources <<", b"/Deep " + b"[" * depth + b"]" * depth + b" /Resources <<")
    text = _stream(b"BT /F1 12 Tf 50 800 Td (Deeply nested) Tj ET")
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                           _FONT, text, page]))
    return path


def flate_bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """A content stream of a few hundred KB that inflates to `inflated_mb` MB of spaces."""
    compressor, chunk = zlib.compressobj(9), b" " * (1 << 20)
    payload = b"".join(compressor.compress(chunk) for _ in range(inflated_mb)) + compressor.flush()
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                           _FONT, _stream(payload, b"/Filter /FlateDecode"), _PAGE]))
    return path


def random_bytes(path: Path, size: int = 64 * 1024, header: bytes = b"") -> Path:
    path.write_bytes(header + random.Random(5).randbytes(size))
    return path


def hostile_html(path: Path, attribute_mb: int = 20, depth: int = 50_000) -> Path:
    """Scripts that mimic markup, an enormous attribute value, and tags nested very deeply."""
    huge = "x" * (attribute_mb << 20)
    markup = (
        "<!DOCTYPE html><html><head><title>Hostile page</title>"
        "<script>document.write('<p>script text must not be indexed</p>'); var s = '</div><div>';</script></head>"
        f'<body><div class="{huge}" data-blob="{huge[:1000]}"><p>Readable paragraph about section 40 personal data.</p>'
        f"</div>{'<div>' * depth}deep text{'</div>' * depth}"
        "<script>for (;;) {}</script></body></html>"
    )
    path.write_text(markup, encoding="utf-8")
    return path


LATIN1_TEXT = "Décision: the café owner’s request for £250 — naïve à la carte. Ærø section 40(2)."


def latin1_text(path: Path) -> Path:
    path.write_bytes(LATIN1_TEXT.replace("’", "'").replace("—", "-").encode("latin-1"))
    return path


UTF16_TEXT = "Décision notice: the authority’s reply — section 41 confidentiality. 東京 citations."


def utf16_text(path: Path, bom: bool, big_endian: bool = False) -> Path:
    codec = "utf-16-be" if big_endian else "utf-16-le"
    mark = (b"\xfe\xff" if big_endian else b"\xff\xfe") if bom else b""
    path.write_bytes(mark + UTF16_TEXT.encode(codec))
    return path


def big_text(path: Path, megabytes: int = 50) -> Path:
    """A plain-text file of `megabytes` MB of varied English-like sentences."""
    words = "the council request information section exemption public interest tribunal appeal decision".split()
    rng = random.Random(7)
    line = " ".join(rng.choice(words) for _ in range(2000)) + ".\n"
    block = line.encode() * ((1 << 20) // len(line) + 1)
    with open(path, "wb") as handle:
        for _ in range(megabytes):
            handle.write(block[: 1 << 20])
    return path


def sparse_file(path: Path, megabytes: int) -> Path:
    """A file of `megabytes` MB that takes no disk space (for the size cap)."""
    with open(path, "wb") as handle:
        handle.truncate(megabytes << 20)
    return path
