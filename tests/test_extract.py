"""Extraction of PDF, HTML and text files, and every bad-input case, on files made here."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from indexer.extract import SUPPORTED_EXTENSIONS, Extracted, ExtractionError, Page, extract
from indexer.formats import pdf as extract_module
from tests.pdfmaker import write_pdf

HEADER = "Appeal Number: EA/2019/0154"
BODY = [
    "1. This appeal concerns a request for information about ministerial briefings on immig-",
    "ration detention. The public authority relied on section 35(1)(a) of the Freedom of",
    "Information Act 2000 (FOIA), the exemption for the formulation of government policy.",
]
TOPICS = ["records management", "the briefing process", "public interest", "security", "costs"]

THREAD = """<!DOCTYPE html><html><head><title>Housing register statistics - a Freedom of Information request to
Ministry of Housing - WhatDoTheyKnow</title><style>.x { color: red }</style>
<script>var tracking = "analytics beacon";</script></head><body>
<div id="cookie-banner">We use cookies to make this site work. Accept cookies</div>
<div class="banner"><h1><a id="logo" href="/">WhatDoTheyKnow</a></h1>
<ul id="navigation" class="navigation"><li><a href="/list">Browse requests</a></li></ul></div>
<div id="content"><div class="request-header"><h1>Housing register statistics</h1>
<p class="request-header__subtitle">Jane Doe made this Freedom of Information request to Ministry of Housing</p>
<div class="action-menu"><a href="/report">Report this request</a></div></div>
<div id="left_column">
<div class="outgoing correspondence" id="outgoing-1">
<div class="correspondence__header correspondence__header--with-delivery-status">
<span class="correspondence__header__author">Jane Doe</span>
<a class="correspondence__header__date"><time datetime="2018-01-12">12 January 2018</time></a>
<div class="correspondence__header__delivery-status"><a>Delivered</a></div></div>
<div class="correspondence_text"><p>Dear Ministry of Housing,</p><p>Please provide the number of households on
housing registers for each year from 2015 to 2018.</p><p>Yours faithfully, Jane Doe</p></div>
<div class="correspondence__footer"><button>Link to this</button><a>Report</a></div></div>
<div class="incoming correspondence" id="incoming-2"><div class="correspondence__header">
<span class="correspondence__header__author">FOI Team,</span><a><time>8 February 2018</time></a></div>
<div class="correspondence_text"><p>Dear Ms Doe,<br/> The information is published in live table 600,<br/>
so we are applying section 21 of the Freedom of Information Act 2000.</p></div></div>
</div>
<div id="right_column" class="sidebar"><h2>Things to do with this request</h2><p>Follow this request</p></div></div>
<footer>Built by mySociety. Donate.</footer></body></html>"""


def _tribunal_pdf(path: Path, pages: int = 3, title: str | None = None) -> Path:
    content = []
    for number in range(1, pages + 1):
        own = [f"{number * 10 + n}. Witness {chr(64 + number * 5 + n)} gave evidence on {TOPICS[n]}." for n in range(5)]
        content.append([HEADER, *own[:2], *BODY, *own[2:], f"Page {number} of {pages}"])
    return write_pdf(path, content, title=title)


def _encrypted(source: Path, target: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


def _reason(path: Path) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert info.value.message == str(info.value)
    assert path.name in info.value.message
    return info.value


def test_pdf_pages_are_numbered_and_mended(tmp_path):
    result = extract(_tribunal_pdf(tmp_path / "decision.pdf", title="Smith v Information Commissioner"))
    assert result.format == "pdf" and not result.needs_ocr
    assert [page.number for page in result.pages] == [1, 2, 3]
    assert result.title_hint == "Smith v Information Commissioner"
    assert result.pages[0].text.startswith(HEADER)
    assert all(HEADER not in page.text for page in result.pages[1:])
    assert all("Page" not in page.text for page in result.pages)
    assert "immigration detention" in result.pages[1].text
    assert result.chars == len(result.text) and result.text.count("immigration") == 3


def test_pdf_word_processor_file_name_is_not_a_title(tmp_path):
    assert extract(_tribunal_pdf(tmp_path / "a.pdf", title="Microsoft Word - decision final.docx")).title_hint is None
    assert extract(_tribunal_pdf(tmp_path / "b.pdf")).title_hint is None


def test_scanned_pdf_needs_ocr_with_a_warning(tmp_path):
    result = extract(write_pdf(tmp_path / "scan.pdf", [[], [], []]))
    assert result.needs_ocr and result.chars == 0
    assert len(result.pages) == 3
    assert any("OCR" in warning for warning in result.warnings)


def test_pdf_with_one_blank_page_warns_about_that_page(tmp_path):
    result = extract(write_pdf(tmp_path / "mixed.pdf", [BODY, [], BODY]))
    assert not result.needs_ocr
    assert "page 2 has no text layer" in result.warnings


def _truncated(tmp_path: Path) -> Path:
    data = _tribunal_pdf(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 3])
    return tmp_path / "truncated.pdf"


def _garbage(tmp_path: Path) -> Path:
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(1, 256)) * 20 + b"\n%%EOF\n")
    return tmp_path / "garbage.pdf"


def _letter(tmp_path: Path) -> Path:
    (tmp_path / "letter.pdf").write_text("Dear Sir, this is not a PDF at all.", encoding="utf-8")
    return tmp_path / "letter.pdf"


def _locked(tmp_path: Path) -> Path:
    return _encrypted(_tribunal_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf", "secret")


@pytest.mark.parametrize(("make", "reason", "fragment"), [
    (_truncated, "corrupt_pdf", "truncated (no %%EOF"), (_garbage, "corrupt_pdf", "damaged"),
    (_letter, "corrupt_pdf", "not a PDF"), (_locked, "encrypted_pdf", "password"),
])
def test_bad_pdfs_raise_a_precise_extraction_error(tmp_path, make, reason, fragment):
    error = _reason(make(tmp_path))
    assert error.reason == reason and fragment in error.message


def test_pdf_missing_only_its_end_marker_is_recovered_with_a_warning(tmp_path, caplog):
    data = _tribunal_pdf(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "no-eof.pdf"
    cut.write_bytes(data[: data.rindex(b"%%EOF")])
    with caplog.at_level(logging.DEBUG):
        result = extract(cut)
    assert "immigration" in result.text
    assert any("truncated" in warning for warning in result.warnings)
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path):
    path = _encrypted(_tribunal_pdf(tmp_path / "plain.pdf"), tmp_path / "owner-only.pdf", "")
    assert "immigration" in extract(path).text


def test_pdf_needing_a_missing_crypto_library_is_encrypted_pdf(tmp_path, monkeypatch):
    path = _encrypted(_tribunal_pdf(tmp_path / "plain.pdf"), tmp_path / "aes.pdf", "")

    def no_aes(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    error = _reason(path)
    assert error.reason == "encrypted_pdf" and "cryptography" in error.message


def test_unexpected_pypdf_exception_becomes_extraction_error(tmp_path, monkeypatch):
    path = _tribunal_pdf(tmp_path / "plain.pdf")

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract_module, "PdfReader", explode)
    error = _reason(path)
    assert error.reason == "corrupt_pdf" and "RecursionError" in error.message


def test_unreadable_page_is_a_warning_not_a_failure(tmp_path, monkeypatch):
    path = write_pdf(tmp_path / "two.pdf", [BODY, BODY])
    original = extract_module.PdfReader

    class OnePageBroken(original):
        @property
        def pages(self):
            pages = list(super().pages)
            pages[1].extract_text = lambda: (_ for _ in ()).throw(KeyError("/Font"))
            return pages

    monkeypatch.setattr(extract_module, "PdfReader", OnePageBroken)
    result = extract(path)
    assert "immigration" in result.pages[0].text and result.pages[1].text == ""
    assert any(warning.startswith("page 2 could not be read") for warning in result.warnings)


def test_request_thread_keeps_messages_and_drops_furniture(tmp_path):
    path = tmp_path / "request.html"
    path.write_text(THREAD, encoding="utf-8")
    result = extract(path)
    assert result.format == "html" and len(result.pages) == 1
    assert result.title_hint == "Housing register statistics"
    text = result.text
    for kept in ("Housing register statistics", "Jane Doe", "12 January 2018", "FOI Team", "8 February 2018",
                 "households on housing registers", "live table 600, so we are applying section 21"):
        assert kept in text
    for dropped in ("analytics beacon", "color: red", "cookies", "Browse requests", "Things to do",
                    "Follow this request", "mySociety", "Link to this", "Report", "Delivered", "WhatDoTheyKnow"):
        assert dropped not in text
    assert text.index("12 January 2018") < text.index("8 February 2018")


def test_plain_html_keeps_main_content_and_cleans_title(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><head><title>FOI disclosure log - WhatDoTheyKnow</title></head><body>"
        "<header><a>Skip to main content</a></header><nav>Home | News</nav>"
        "<main><h2>Disclosure 2023/14</h2><p>We hold the requested information.</p></main>"
        "<aside>Related links</aside><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    result = extract(path)
    assert result.title_hint == "FOI disclosure log"
    assert result.text == "Disclosure 2023/14\n\nWe hold the requested information."


def test_html_without_text_is_empty_file(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>")
    assert _reason(path).reason == "empty_file"


def test_utf8_text_with_web_furniture(tmp_path):
    path = tmp_path / "response.txt"
    path.write_text(
        "\ufeffSkip to main content\nPlease read our privacy policy.\n\nSocial Media (323/18)\n\n"
        "We can confirm that relevant information is held.\n\nDonate today\n", encoding="utf-8")
    result = extract(path)
    assert result.format == "text" and result.warnings == [] and result.title_hint is None
    assert result.text == "Social Media (323/18)\n\nWe can confirm that relevant information is held."


def test_form_feeds_split_text_into_pages(tmp_path):
    path = tmp_path / "paged.txt"
    path.write_text("First page text.\fSecond page text.", encoding="utf-8")
    assert [(page.number, page.text) for page in extract(path).pages] == [
        (1, "First page text."), (2, "Second page text.")]


@pytest.mark.parametrize(("raw", "expected", "warning"), [
    ("The council\u2019s \u201cresponse\u201d \u2013 s.40(2)".encode("cp1252"),
     "The council\u2019s \u201cresponse\u201d \u2013 s.40(2)", "decoded as cp1252"),
    (b"Reference \x81 FS50123456", "Reference \x81 FS50123456", "decoded as latin-1"),
    ("Decision notice FS50123456".encode("utf-16"), "Decision notice FS50123456", "decoded as UTF-16"),
])
def test_legacy_encodings_are_decoded_with_a_warning(tmp_path, raw, expected, warning):
    path = tmp_path / "legacy.txt"
    path.write_bytes(raw)
    result = extract(path)
    assert result.text == expected and len(result.warnings) == 1 and warning in result.warnings[0]


def test_binary_magic_is_binary_content(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"GIF89a\x00\x01\x00\x01\x00")
    error = _reason(path)
    assert error.reason == "binary_content" and "a GIF image" in error.message


def test_many_control_bytes_are_binary_content(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(b"Decision notice " + bytes(range(32)) * 50 + b" section 40")
    error = _reason(path)
    assert error.reason == "binary_content" and "control bytes" in error.message and "NUL byte at offset 16" in \
        error.message


def test_stray_nul_bytes_in_text_become_spaces_with_a_warning(tmp_path):
    # As in real converted tribunal decisions: NUL where a bullet, an apostrophe or a space was.
    lines = ["The requester asked: can you tell me if there is\x00any specification?",
             "Cheshire Constabulary (\"Cheshire\x00Constabulary\") replied.", "\x00 The protocol requires it."]
    path = tmp_path / "decision.txt"
    path.write_bytes(("\n\n".join(lines) + "\n" + "Further reasons. " * 200).encode())
    result = extract(path)
    assert "\x00" not in result.text and "there is any specification" in result.text
    assert "(\"Cheshire Constabulary\")" in result.text
    assert result.warnings == ["3 stray NUL byte(s) replaced by spaces (first at offset 48); the rest of the file is "
                               "text"]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty_file"), ("blank.txt", b"  \n\t\r\n  ", "empty_file"),
    ("sheet.xlsx", b"PK\x03\x04 cells", "corrupt_office"), ("README", b"text", "unsupported_type"),
    ("scan.PNG", b"\x89PNG", "unsupported_type"), ("gone.txt", None, "vanished"),
])
def test_empty_unknown_and_missing_files(tmp_path, name, content, reason):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    assert _reason(tmp_path / name).reason == reason


def test_extensions_are_case_insensitive(tmp_path):
    path = write_pdf(tmp_path / "UPPER.PDF", [BODY])
    assert extract(path).format == "pdf"
    assert SUPPORTED_EXTENSIONS == frozenset({".pdf", ".html", ".htm", ".txt", ".docx", ".odt", ".rtf", ".xlsx",
                                              ".csv", ".eml", ".msg", ".zip"})


def test_extraction_error_rejects_unknown_reasons():
    with pytest.raises(ValueError):
        ExtractionError("bad_vibes", "nothing specific")


def test_text_joins_non_empty_pages():
    result = Extracted(format="pdf", pages=[Page(1, "one"), Page(2, ""), Page(3, "three")])
    assert result.text == "one\n\nthree" and result.chars == len("one\n\nthree")
