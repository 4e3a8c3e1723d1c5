"""OCR on the shared corpus: scan detection on the eight short tribunal PDFs, and one real scanned page read."""
from __future__ import annotations

import shutil

import pytest

from indexer.extract import extract
from indexer.ocr.render import render_pgm
from indexer.ocr.tesseract import recognise

pytestmark = pytest.mark.realdata

SCANS = ("652", "758", "893", "1104", "1448", "2096")
# One-page consent orders with a real text layer of about 40 words: short, but not scans.
SHORT_TEXT = ("1243", "1676")


@pytest.mark.parametrize("name", SCANS + SHORT_TEXT)
def test_only_the_scans_are_flagged_for_ocr(shared_dir, name):
    extracted = extract(shared_dir / "corpus" / "tribunal" / f"{name}.pdf")
    assert extracted.needs_ocr is (name in SCANS)
    if name in SCANS:
        assert extracted.chars == 0
    else:
        assert len(extracted.text.split()) >= 35


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (Debian: tesseract-ocr)")
def test_first_page_of_a_real_scan_reads_as_a_tribunal_decision(shared_dir):
    import pypdfium2

    document = pypdfium2.PdfDocument(str(shared_dir / "corpus" / "tribunal" / "652.pdf"))
    try:
        image, dpi = render_pgm(document, 1, 300)
    finally:
        document.close()
    page = recognise("tesseract", "eng", image, dpi, timeout=120)
    assert dpi == 300 and page.words > 100 and page.confidence > 80
    assert "FIRST TIER TRIBUNAL" in page.text and "FREEDOM OF INFORMATION ACT 2000" in page.text
