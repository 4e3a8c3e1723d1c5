"""Text mending rules (indexer.textclean): hyphenation, running headers, page numbers, wrapping, furniture."""
from __future__ import annotations

import pytest

from indexer.textclean import (
    dehyphenate,
    mend_pages,
    normalise_whitespace,
    reflow,
    strip_page_numbers,
    strip_running_lines,
    strip_web_furniture,
    word_counts,
)


def test_line_break_hyphens_are_joined_but_real_compounds_kept():
    text = "briefings on immig-\nration detention and the non-\ndisclosure of a well-\nknown report on Covid-\n19"
    mended = dehyphenate(text + "\nIt is a well-known practice.")
    assert "immigration\ndetention" in mended
    assert "non-disclosure" in mended and "well-known\nreport" in mended and "Covid-19" in mended


def test_document_vocabulary_decides_between_joined_and_hyphenated():
    assert dehyphenate("a co-\noperative body", word_counts(["the cooperative society"])).startswith("a cooperative")
    assert dehyphenate("the decision-\nmaking", word_counts(["decision-making matters"])) == "the decision-making\n"


def test_running_headers_are_removed_after_the_first_page():
    pages = [f"Appeal Number: EA/2019/0154\nParagraph {word} of the reasons.\nMore about {word}." for word in
             ("alpha", "beta", "gamma", "delta")]
    pages[2] = "Appeal  Number:   EA/2019/0154\n" + pages[2].split("\n", 1)[1]
    for mended in (strip_running_lines(pages), strip_running_lines(pages + [""] * 5)[:4]):
        assert mended[0].startswith("Appeal Number")
        assert all("Appeal" not in page and "Paragraph" in page for page in mended[1:])


def test_lines_on_only_some_pages_are_not_running_headers():
    pages = ["Introduction\nThe appeal is about costs.", "Background\nThe request was made.",
             "Introduction\nSecond introduction.", "Decision\nThe appeal is dismissed.", "Annex\nList."]
    assert strip_running_lines(pages) == pages
    assert strip_running_lines(["Only page\nText."]) == ["Only page\nText."]


@pytest.mark.parametrize("number_line", ["3", "- 3 -", "Page 3 of 12", "page 3", "3/12", "\u2013 3 \u2013"])
def test_bare_page_numbers_are_removed_at_page_edges(number_line):
    page = f"{number_line}\nThe Tribunal heard evidence.\nIt found that 42\nwitnesses attended.\n{number_line}"
    assert strip_page_numbers([page]) == ["The Tribunal heard evidence.\nIt found that 42\nwitnesses attended."]


def test_numbers_inside_the_page_are_kept():
    page = "Table of costs\nHours\n18\nCost\n450\nTotal hours are given above."
    assert strip_page_numbers([page]) == [page]


def test_whitespace_is_normalised():
    raw = "Dear  Sir,\r\n\tThe\u00a0request  \u00ad\r\n\r\n\r\n\r\nwas   refused.  \rThank you"
    assert normalise_whitespace(raw) == "Dear Sir,\nThe request\n\nwas refused.\nThank you"


def test_wrapped_lines_become_paragraphs_and_breaks_are_kept():
    text = (
        "1. The appellant asked the council for the number of officers who had used\n"
        "social media accounts to monitor residents during the period in question,\n"
        "and for the policy that governed that monitoring.\n"
        "2. The council refused the request under section 31(1)(a) of the Act and the\n"
        "Commissioner upheld that refusal in the decision notice now under appeal.\n\n"
        "Background\n"
        "3. The council maintains a register of such accounts."
    )
    assert reflow(text) == (
        "1. The appellant asked the council for the number of officers who had used social media accounts to "
        "monitor residents during the period in question, and for the policy that governed that monitoring.\n\n"
        "2. The council refused the request under section 31(1)(a) of the Act and the Commissioner upheld that "
        "refusal in the decision notice now under appeal.\n\n"
        "Background\n3. The council maintains a register of such accounts."
    )


def test_short_lines_and_unwrapped_paragraphs_are_not_joined():
    address = "Public Authority: Commissioner of Police of the Metropolis\nAddress: New Scotland Yard\nBroadway\nLondon"
    assert reflow(address) == address
    long_lines = "\n".join(["A paragraph scraped from a web page that was never wrapped at all. " * 4] * 3)
    assert reflow(long_lines) == normalise_whitespace(long_lines)


def test_web_furniture_is_stripped_at_the_edges_only():
    text = ("Skip to main content\nAccept all cookies\nSocial Media (323/18)\nOur privacy policy says we publish "
            "responses.\nThe force holds the information.\nBecome a supporter\nFighting fund\n7 Days remaining\nDonate")
    assert strip_web_furniture(text) == (
        "Social Media (323/18)\nOur privacy policy says we publish responses.\nThe force holds the information.")


def test_mend_pages_keeps_one_entry_per_page():
    pages = ["Header line\nfirst page text", "", "Header line\nthird page text"]
    assert len(mend_pages(pages)) == 3 and mend_pages(pages)[1] == ""


def test_punctuation_debris_at_page_edges_is_removed():
    pages = [f".\n{word} page opening.\nIt continues with {word}.\nAnd ends with {word}.\n*" for word in ("A", "B", "C")]
    assert strip_running_lines(pages)[1:] == ["B page opening.\nIt continues with B.\nAnd ends with B.",
                                              "C page opening.\nIt continues with C.\nAnd ends with C."]


def test_a_copyright_line_under_a_signature_goes_alone():
    ending = ("17. For these reasons, the application is refused.\n(Signed)\nALISON MCKENNA DATE: 8 April 2019\n"
              "PROMULGATED: 11 April 2019\nCHAMBER PRESIDENT\n© Crown Copyright 2019")
    assert strip_web_furniture(ending) == ending.rsplit("\n", 1)[0]
