"""Every format of FOI responses on real files written by the libraries themselves, and their hostile variants."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from config import load_config
from indexer.extract import Caps, ExtractionError, extract, sniff
from indexer.sandbox import Limits
from tests import formatmaker as fm
from tests import hostile_files as hf

CAPS = Limits.from_config(load_config({})).caps
RESPONSE = "withheld under section 43(2) (commercial interests)"


def _extract(path: Path, caps: Caps = CAPS, unpack: bool = True):
    return extract(path, caps, path.parent / f"unpacked-{path.name}" if unpack else None)


def _failure(path: Path, caps: Caps = CAPS) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        _extract(path, caps)
    assert path.name in info.value.message
    return info.value


@pytest.mark.parametrize("make", [fm.docx, fm.odt])
def test_word_processor_files_keep_paragraphs_and_table_rows(tmp_path, make):
    result = _extract(make(tmp_path / f"response.{make.__name__}"))
    assert result.format == make.__name__ and result.warnings == []
    lines = result.text.split("\n")
    assert lines[0] == "Freedom of Information request FOI/2024/117" and RESPONSE in result.text
    assert lines[-3:] == ["Year | Vehicles | Emissions (tonnes CO2)", "2021 | 412 | 1,830.5", "2022 | 398 | 1,702.25"]


def test_docx_title_property_is_the_title_hint(tmp_path):
    assert _extract(fm.docx(tmp_path / "a.docx")).title_hint == "Response to FOI/2024/117"
    assert _extract(fm.docx(tmp_path / "b.docx", title="Document1.docx")).title_hint is None


def test_rtf_text_and_cp1252_escapes(tmp_path):
    result = _extract(fm.rtf(tmp_path / "letter.rtf", [*fm.RESPONSE_LINES, "Fee: £450 – waived"]))
    assert result.format == "rtf" and RESPONSE in result.text and "Fee: £450 – waived" in result.text
    assert "fonttbl" not in result.text and "Times New Roman" not in result.text


def test_xlsx_sheets_are_pages_with_headings_and_rows(tmp_path):
    result = _extract(fm.xlsx(tmp_path / "fleet.xlsx"))
    assert result.format == "xlsx" and [page.number for page in result.pages] == [1, 2]
    assert result.pages[0].text == ("Sheet: Fleet\nYear | Vehicles | Emissions (tonnes CO2)\n2021 | 412 | 1,830.5\n"
                                    "2022 | 398 | 1,702.25")
    assert result.pages[1].text == "Sheet: Notes\nSource | Fleet register, March 2023"


def test_xlsx_rows_and_cells_are_capped_with_warnings(tmp_path):
    wide = [[f"h{n}" for n in range(30)], *([str(n) for n in range(30)] for _ in range(50))]
    result = _extract(fm.xlsx(tmp_path / "wide.xlsx", {"Data": wide}), Caps(max_rows=20, max_cells=5))
    lines = result.pages[0].text.split("\n")
    assert lines[1] == "h0 | h1 | h2 | h3 | h4" and len(lines) == 1 + 20
    assert any("only the first 20 rows" in w for w in result.warnings)
    assert any("cut to their first 5 cells" in w for w in result.warnings)


def test_huge_sheet_is_cut_at_the_row_cap(tmp_path):
    result = _extract(fm.big_xlsx(tmp_path / "payments.xlsx", 30_000), Caps(max_rows=1000, max_chars=1_000_000))
    lines = result.pages[0].text.split("\n")
    assert lines[:2] == ["Sheet: Payments", "Payment id | Supplier | Amount (GBP)"] and len(lines) == 1 + 1000
    assert "only the first 1,000 rows are indexed" in result.warnings[0]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_rows_keep_their_cells(tmp_path, delimiter):
    result = _extract(fm.csv_file(tmp_path / "table.csv", delimiter=delimiter))
    assert result.format == "csv"
    assert result.text == "Year | Vehicles | Emissions (tonnes CO2)\n2021 | 412 | 1,830.5\n2022 | 398 | 1,702.25"


def test_eml_headers_body_and_attachments(tmp_path):
    attachments = {"response.docx": fm.docx(tmp_path / "r.docx").read_bytes(), "image001.png": b"\x89PNG\r\n",
                   "figures.xlsx": fm.xlsx(tmp_path / "f.xlsx").read_bytes()}
    result = _extract(fm.eml(tmp_path / "reply.eml", attachments, html=True))
    assert result.format == "eml" and result.title_hint == "FOI/2024/117: our response"
    assert result.text.startswith("From: Information Governance <foi@council.example.gov.uk>\n"
                                  "To: Jane Doe <jane.doe@example.org>\nDate: 2023-11-14T22:13:20+00:00\n"
                                  "Subject: FOI/2024/117: our response")
    assert RESPONSE in result.text and "tracking" not in result.text
    assert result.fields["email"]["date"] == "2023-11-14T22:13:20+00:00"
    assert [(m.name, m.file.read_bytes() == attachments[m.name]) for m in result.members] == [
        ("response.docx", True), ("figures.xlsx", True)]
    assert result.warnings == ["1 attachment(s) of a type that is not indexed: image001.png"]


def test_eml_with_only_an_html_body_is_read_as_text(tmp_path):
    path = tmp_path / "html.eml"
    path.write_bytes(b"From: a@example.org\r\nSubject: Review\r\nContent-Type: text/html\r\n\r\n"
                     b"<html><body><p>We upheld the refusal under section 12.</p><script>x()</script></body></html>")
    result = _extract(path)
    assert result.text.endswith("We upheld the refusal under section 12.") and "x()" not in result.text


def test_forwarded_email_is_an_attachment(tmp_path):
    inner = fm.eml(tmp_path / "inner.eml", subject="Original request").read_bytes()
    result = _extract(fm.eml(tmp_path / "outer.eml", {"original.eml": inner}))
    assert [m.name for m in result.members] == ["original.eml"]
    assert _extract(result.members[0].file).title_hint == "Original request"


def test_outlook_msg_headers_body_and_attachment(tmp_path):
    docx_bytes = fm.docx(tmp_path / "r.docx").read_bytes()
    result = _extract(fm.msg(tmp_path / "reply.msg", {"response.docx": docx_bytes}))
    assert result.format == "msg" and result.title_hint == "FOI/2024/117: our response"
    assert result.fields["email"] == {"from": "FOI Team <foi@council.example.gov.uk>",
                                      "to": "Jane Doe <jane.doe@example.org>", "date": "2023-11-14T22:13:20+00:00",
                                      "subject": "FOI/2024/117: our response"}
    assert RESPONSE in result.text
    assert [(m.name, m.file.read_bytes() == docx_bytes) for m in result.members] == [("response.docx", True)]


def test_zip_lists_its_files_and_unpacks_supported_members(tmp_path):
    members = {"letters/response.docx": fm.docx(tmp_path / "r.docx").read_bytes(), "letters/": b"",
               "__MACOSX/letters/._response.docx": b"\0\5\26\7", "scan.tif": b"II*\0", "notes.txt": b"Notes",
               "../../outside.txt": b"Escaping name", "Letters/RESPONSE.docx": b"same name, other case"}
    result = _extract(fm.zip_file(tmp_path / "bundle.zip", members))
    assert result.format == "zip" and result.text.startswith("Zip archive bundle.zip: 6 file(s)")
    assert [m.name for m in result.members] == ["letters/response.docx", "notes.txt", "outside.txt",
                                                "Letters/RESPONSE~2.docx"]
    assert all(m.file.is_relative_to(tmp_path / "unpacked-bundle.zip") for m in result.members)
    assert result.warnings == ["1 member(s) of a type that is not indexed: scan.tif"]


def test_zip_listing_without_unpack_folder_writes_nothing(tmp_path):
    result = _extract(fm.zip_file(tmp_path / "b.zip", {"a.txt": b"text"}), unpack=False)
    assert [(m.name, m.size, m.file) for m in result.members] == [("a.txt", 4, None)]
    assert not (tmp_path / "unpacked-b.zip").exists()


def test_member_count_cap_skips_the_rest_with_a_warning(tmp_path):
    result = _extract(fm.zip_file(tmp_path / "many.zip", {f"{n:03}.txt": b"x" for n in range(30)}),
                      Caps(max_members=10, used_members=4))
    assert len(result.members) == 6 and "24 member(s) skipped" in result.warnings[0]


@pytest.mark.parametrize(("name", "make", "fragment"), [
    ("bomb.zip", lambda p: fm.zip_bomb(p, 200), "inflates 1,029 times"),
    ("bomb.docx", lambda p: fm.docx_bomb(p, 200), "member word/document.xml inflates"),
])
def test_ratio_bombs_fail_before_anything_is_inflated(tmp_path, name, make, fragment):
    error = _failure(make(tmp_path / name), Caps(max_inflated=512 << 20, max_ratio=100))
    assert error.reason == "archive_bomb" and fragment in error.message and "archive_max_ratio" in error.message


def test_archive_over_the_inflated_cap_is_a_bomb(tmp_path):
    path = fm.zip_file(tmp_path / "big.zip", {f"{n}.txt": b"0123456789abcdef" * 65536 for n in range(4)},
                       zipfile.ZIP_STORED)
    error = _failure(path, Caps(max_inflated=3 << 20, used_inflated=0))
    assert error.reason == "archive_bomb" and "would inflate to 4.0 MB" in error.message
    nested = _failure(path, Caps(max_inflated=5 << 20, used_inflated=2 << 20))
    assert "with 2.0 MB unpacked around it" in nested.message


def test_zip_too_deep_fails_and_depth_counts_from_the_corpus_file(tmp_path):
    path = fm.zip_file(tmp_path / "inner.zip", {"a.txt": b"text"})
    assert _failure(path, Caps(max_depth=3, depth=3)).reason == "archive_too_deep"
    assert [m.name for m in _extract(path, Caps(max_depth=3, depth=2)).members] == ["a.txt"]


def test_email_too_deep_keeps_its_text_but_not_its_attachments(tmp_path):
    result = _extract(fm.eml(tmp_path / "m.eml", {"a.txt": b"attached"}), Caps(max_depth=2, depth=2))
    assert RESPONSE in result.text and result.members == []
    assert "1 attachment(s) not unpacked: the email is nested 2 levels deep" in result.warnings[0]


def test_encrypted_and_oversized_members_fail_alone(tmp_path):
    result = _extract(fm.encrypted_zip_member(tmp_path / "locked.zip"))
    assert [m.failure[0] for m in result.members] == ["encrypted_archive"]
    big = _extract(fm.zip_file(tmp_path / "big.zip", {"big.txt": b"x" * 5000, "small.txt": b"y"}),
                   Caps(max_member_bytes=4000))
    assert [(m.name, m.failure and m.failure[0]) for m in big.members] == [("big.txt", "too_large"),
                                                                           ("small.txt", None)]


@pytest.mark.parametrize(("name", "make", "reason", "fragment"), [
    ("locked.docx", fm.encrypted_docx, "encrypted_office", "encrypted with a password"),
    ("locked.odt", fm.encrypted_odt, "encrypted_office", "encrypted with a password"),
    ("random.docx", hf.random_bytes, "corrupt_office", "no zip header"),
    ("random.xlsx", hf.random_bytes, "corrupt_office", "no zip header"),
    ("random.odt", hf.random_bytes, "corrupt_office", "no zip header"),
    ("random.rtf", hf.random_bytes, "corrupt_office", "not an RTF file"),
    ("random.msg", hf.random_bytes, "corrupt_email", "no OLE compound file header"),
    ("random.eml", hf.random_bytes, "corrupt_email", "binary content"),
    ("random.zip", hf.random_bytes, "corrupt_archive", "no zip header"),
    ("plain.docx", lambda p: fm.zip_file(p, {"a.txt": b"x"}), "corrupt_office", "without word/document.xml"),
    ("legacy.docx", lambda p: hf.random_bytes(p, header=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "unsupported_type",
     "Office 97-2003"),
])
def test_broken_and_locked_files_fail_precisely(tmp_path, name, make, reason, fragment):
    error = _failure(make(tmp_path / name))
    assert error.reason == reason and fragment in error.message


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("cut.docx", fm.docx, "corrupt_office"), ("cut.xlsx", fm.xlsx, "corrupt_office"),
    ("cut.odt", fm.odt, "corrupt_office"), ("cut.msg", fm.msg, "corrupt_email"), ("cut.zip", None, "corrupt_archive"),
])
def test_truncated_files_fail_precisely(tmp_path, name, make, reason):
    whole = tmp_path / f"whole{Path(name).suffix}"
    make(whole) if make else fm.zip_file(whole, {"a.txt": b"letter " * 1000, "b.txt": b"reply " * 1000})
    data = whole.read_bytes()
    (tmp_path / name).write_bytes(data[: len(data) // 2])
    assert _failure(tmp_path / name).reason == reason


def test_wrong_extension_is_read_as_what_the_content_is(tmp_path):
    pdf_named_docx = tmp_path / "response.docx"
    pdf_named_docx.write_bytes(hf.good_pdf(tmp_path / "g.pdf").read_bytes())
    result = _extract(pdf_named_docx)
    assert result.format == "pdf" and "cost limit" in result.text
    assert result.warnings[0] == "named .docx but the content is a PDF; read as that"
    docx_named_zip = tmp_path / "response.zip"
    docx_named_zip.write_bytes(fm.docx(tmp_path / "r.docx").read_bytes())
    assert _extract(docx_named_zip).format == "docx"


def test_sniff_recognises_packages_by_their_parts(tmp_path):
    assert sniff(fm.docx(tmp_path / "a.docx").read_bytes()) == "docx"
    assert sniff(fm.xlsx(tmp_path / "a.xlsx").read_bytes()) == "xlsx"
    assert sniff(fm.odt(tmp_path / "a.odt").read_bytes()) == "odt"
    assert sniff(fm.msg(tmp_path / "a.msg").read_bytes()) == "msg"
    assert sniff(b"Dear Sir") is None


def test_aes_encrypted_pdf_is_read_with_cryptography(tmp_path):
    good = hf.good_pdf(tmp_path / "good.pdf")
    assert "cost limit" in _extract(hf.encrypted_pdf(tmp_path / "aes.pdf", good, "", "AES-256")).text
    locked = _failure(hf.encrypted_pdf(tmp_path / "aes-locked.pdf", good, "secret", "AES-256"))
    assert locked.reason == "encrypted_pdf" and "password" in locked.message
