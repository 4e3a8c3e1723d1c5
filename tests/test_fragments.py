"""Rejoining words split by stray spaces (indexer.fragments) and picking pdfium's page text (indexer.pdf_pages)."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from indexer.extract import extract
from indexer.fragments import rejoin_split_words
from indexer.pdf_pages import better_page_text, split_share
from indexer.textclean import mend_pages
from tests.pdfmaker import _font

# pypdf's text of a 2007 decision page (EA/2006/0058), with the document's own whole spellings around it.
SPLIT_PAGE = ("The Tribunal has had sight of the di sputed infor mation (the Rem oval of Vehicles Criteria).\n"
              "In an em ail dated 4 th January 2005, the Appella nt wrote to the L ondon Borough asking to know "
              "th e Council’s policy. The Council rece ived the request and sent a substantive reply by e mail on "
              "1 st February 2005, relying on sectio n 31. The dat a were held.")
WHOLE_PAGE = ("The disputed information concerns the removal of vehicles. The Appellant asked London Borough for "
              "the data. The Council received her email and relied on section 31 for the information.")


def test_split_words_are_rejoined_where_the_document_writes_them_whole():
    mended = rejoin_split_words([SPLIT_PAGE, WHOLE_PAGE])[0]
    for word in ("disputed information", "Removal", "Appellant", "London", "the Council’s", "received",
                 "section 31", "The data", "email dated", "4th January", "1st February"):
        assert word in mended, word


def test_real_word_pairs_stay_apart():
    clean = ("He went in to the hearing as set out above. It was a long day, along the river. The assets were set "
             "aside. Mr A Ward made an award. The names D M Smith and DM appear, and B E T W E E N heads it.")
    assert rejoin_split_words([clean]) == [clean]


def test_long_pieces_join_only_in_documents_whose_words_are_split():
    # "a long" and "as set" are pieces only in a document with many split words ("th e", "sectio n").
    clean = "The report was a long one; along the way the asset register was set out as set in policy. " * 3
    assert rejoin_split_words([clean]) == [clean]
    split = "Th e Tribunal rece ived the dat a. " * 8 + "The Tribunal received the data."
    assert rejoin_split_words([split])[0].startswith("The Tribunal received the data.")


def test_ordinals_join_only_with_their_own_suffix():
    assert rejoin_split_words(["on 22 nd May and 13 th June, not 5 st or 11 st"]) == [
        "on 22nd May and 13th June, not 5 st or 11 st"]


def test_mend_pages_rejoins_unless_asked_not_to():
    assert "received" in mend_pages([SPLIT_PAGE, WHOLE_PAGE])[0]
    assert "rece ived" in mend_pages([SPLIT_PAGE, WHOLE_PAGE], rejoin=False)[0]


def test_split_share_marks_pages_pypdf_spaced_badly():
    assert split_share(SPLIT_PAGE * 3) > 0.05
    assert split_share(WHOLE_PAGE * 3) < 0.015


def test_pdfium_text_replaces_a_broken_page_only_when_it_reads_better_and_keeps_the_text():
    fixed = SPLIT_PAGE.replace("di sputed infor mation", "disputed information").replace("th e", "the") \
        .replace("Appella nt", "Appellant").replace("sectio n", "section").replace("dat a", "data")
    assert better_page_text(SPLIT_PAGE, fixed) == fixed
    assert better_page_text(SPLIT_PAGE, fixed[:40]) == SPLIT_PAGE  # pdfium lost most of the page
    assert better_page_text(WHOLE_PAGE, WHOLE_PAGE.upper()) == WHOLE_PAGE  # no clearer, keep pypdf


def _kerned_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose words longer than four letters are set in two pieces with a gap pypdf reads as a space."""
    def shown(word: str) -> str:
        half = len(word) // 2
        return f"[({word[:half]}) -200 ({word[half:]} )] TJ" if len(word) > 4 else f"({word} ) Tj"
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    ops += [" ".join(shown(w) if i % 2 == 0 else f"({w} ) Tj" for w in line.split()) + " T*"
            for i, line in enumerate(lines)]
    writer = PdfWriter()
    font = _font(writer)
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data("\n".join([*ops, "ET"]).encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_extraction_mends_split_words_in_pdfs_and_text_dumps(tmp_path, suffix):
    lines = ["The Tribunal considered the information the Council received about the request"] * 8
    pdf = _kerned_pdf(tmp_path / "decision.pdf", lines)
    if suffix == ".txt":
        from pypdf import PdfReader

        dump = tmp_path / "decision.txt"
        dump.write_text(PdfReader(pdf).pages[0].extract_text())
        assert "Trib unal" in dump.read_text()
        path = dump
    else:
        path = pdf
    text = extract(path).text
    assert "Trib unal" not in text and "infor mation" not in text and "rece ived" not in text
    assert text.count("The Tribunal considered the information the Council received about the request") == 8
