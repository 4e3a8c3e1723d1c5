"""Metadata of FOI responses, disclosure-log pages, request threads and request emails, on snippets written in
the genre (paraphrased, not copied from ../shared)."""
from __future__ import annotations

import pytest

from indexer.extract import extract
from indexer.metadata import extract_metadata

FORCE_PAGE = """Skip to content
Quickly exit this site by pressing the Escape key Leave this site
We use some essential cookies to make our website work. We'd like to set additional cookies too.
Your cookie preferences have been saved. You can update your cookie settings at any time on the cookies page.
Sorry, there was a technical problem. Please try again.
Body Worn Video (902A/24)
Request
1. How many body worn video cameras does your force currently issue to response officers?
2. How many incidents of cameras failing to record were reported in 2023?
Response
Our data are not organised in such a way as to allow us to provide this information within the appropriate (cost)
limit within the Freedom of Information (FOI) Act. Researching each individual case would exceed the appropriate
limit (FOIA, s.12), so this letter acts as a Refusal Notice for the whole request."""

COUNCIL_RELEASE = """FOI release
Allotment waiting lists
Case reference FOI2024/00877
Received 3 June 2024
Published 21 June 2024
Request
Please provide the number of people on the council's allotment waiting list at 1 April in each of the last three
years, and the average waiting time.
Response
1. 2022: 312, 2023: 355, 2024: 402
2. Information not held. We do not record how long applicants wait.
Please see the attached table for the number of plots by site."""

NORTHERN_FORCE = """Date Responded 14 March 2024
Provision of information held by Cleveland Police made under the Freedom of Information Act 2000 (the 'Act')
You asked:
1. How many drones does the force operate?
2. How many hours were drones flown in 2023?
In Response:
Following receipt of your request, searches were conducted with the Air Support Unit of Cleveland Police.
I can confirm that the information you have requested is held by Cleveland Police.
Cleveland Police can neither confirm nor deny whether it holds information about covert deployments, by virtue
of section 23(5) and section 24(2). I am able to disclose the located information about overt flights.
1. Six."""

THREAD = """Planning enforcement against holiday lets
The request was partially successful.
Dear Lancashire County Council,
Please could you provide the number of planning enforcement notices issued about holiday lets in each financial
year from 2019/20 to 2023/24.
Yours faithfully,
Sam Example
Information Governance, Lancashire County Council
Dear Sam,
Our ref: LCC/FOI/5521
Some of the requested information has been withheld under section 40(2). The remaining figures are attached."""

WDTK_EMAIL = """Dear Commissioner of Police of the Metropolis,
Under the Freedom of Information Act 2000 I request the number of stop and search encounters recorded in 2023.
Yours faithfully,
A Requester"""


def _meta(text: str, name: str = "page.txt") -> dict:
    return extract_metadata(text, name, "text")


def _page(tmp_path, text: str, name: str = "page.txt") -> dict:
    """Through extraction, as the build does: furniture goes before metadata."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    extracted = extract(path)
    return extract_metadata(extracted.text, name, extracted.format, extracted.title_hint)


def test_force_disclosure_log_page(tmp_path):
    meta = _page(tmp_path, FORCE_PAGE)
    assert meta["doc_type"] == "foi_response"
    assert meta["title"] == "Body Worn Video (902A/24)"
    assert meta["references"] == ["902A/24"]
    assert meta["request_text"].startswith("1. How many body worn video cameras")
    assert "Refusal Notice" not in meta["request_text"]
    assert meta["outcome"] == "refused" and meta["sections"] == ["FOI 12"]


def test_council_release_with_labels():
    meta = _meta(COUNCIL_RELEASE)
    assert meta["doc_type"] == "foi_response"
    assert meta["title"] == "Allotment waiting lists (FOI2024/00877)"
    assert meta["date"] == "2024-06-21"
    assert meta["request_text"].startswith("Please provide the number of people on the council's allotment")
    assert meta["outcome"] == "partly disclosed"


def test_force_letter_names_itself_and_answers_ncnd_in_part():
    meta = _meta(NORTHERN_FORCE)
    assert meta["authority"] == "Cleveland Police"
    assert meta["date"] == "2024-03-14"
    assert meta["request_text"].startswith("1. How many drones")
    assert meta["outcome"] == "partly disclosed"
    assert meta["sections"] == ["FOI 23(5)", "FOI 24(2)"]


def test_request_thread_status_authority_and_reference():
    meta = _meta(THREAD)
    assert meta["doc_type"] == "request_thread"
    assert meta["title"] == "Planning enforcement against holiday lets"
    assert meta["authority"] == "Lancashire County Council"
    assert meta["request_text"].startswith("Please could you provide the number of planning enforcement notices")
    assert meta["outcome"] == "partly disclosed"
    assert meta["references"] == ["LCC/FOI/5521"]


def test_request_email_to_a_body_by_its_legal_name_gets_its_one_display_name():
    meta = _meta(WDTK_EMAIL)
    assert meta["doc_type"] == "request_thread"
    assert meta["authority"] == "Metropolitan Police Service"


@pytest.mark.parametrize(("answer", "outcome"), [
    ("We can neither confirm nor deny that we hold this information, by virtue of section 31(3).",
     "neither confirm nor deny"),
    ("The council does not hold this information: we do not keep records of complaints by type.", "not held"),
    ("Please find the requested figures in the attached spreadsheet.", "disclosed"),
    ("The information is exempt by virtue of section 22 (information intended for future publication).", "refused"),
])
def test_outcomes(answer, outcome):
    text = ("Request\nPlease provide the number of complaints about noise received in 2023, broken down by month.\n"
            f"Response\n{answer}")
    assert _meta(text)["outcome"] == outcome


def test_subject_phrase_and_reference_label_make_the_title():
    text = ("Where applicable, we publish responses to requests. This one, Drone flights over the estuary, is "
            "detailed below.\nRef: FOI/31270\nRequest\nHow many drone flights did the service make over the estuary "
            "in 2023?\nResponse\nThe service made 14 flights; the log is attached.")
    meta = _meta(text)
    assert meta["title"] == "Drone flights over the estuary (FOI/31270)"
    assert meta["references"] == ["FOI/31270"]


def test_title_from_the_request_when_the_page_has_no_subject_line():
    text = ("Reference\n4411903\nResponse date\n2 May 2024\nRequest\nUnder the Freedom of Information Act 2000, "
            "please provide the following information about pest control contracts held by the council.\n"
            "1. The name of each contractor.\nResponse\nThe contractor is attached.")
    meta = _meta(text)
    assert meta["title"] == "Pest control contracts held by the council (4411903)"
    assert meta["date"] == "2024-05-02"


def test_questions_answered_in_turn_are_all_in_the_request():
    text = ("I would like the following information for the last three years.\n"
            "1. The number of pothole claims received.\nCompliance with this request would exceed the appropriate "
            "cost limit under section 12 of the Freedom of Information Act 2000.\n"
            "2. The number of pothole claims paid.\n2021: 40\n3. The total amount paid in compensation.\n2021: £9,000")
    request = _meta(text)["request_text"]
    assert "2. The number of pothole claims paid." in request and "3. The total amount paid" in request
    assert "£9,000" not in request and "Compliance" not in request


def test_a_news_story_about_an_foi_request_is_not_a_response():
    text = ("Council spent £2m on consultants, figures show\n\nThe figures, obtained through a freedom of information "
            "request by this newspaper, show that spending rose sharply.\n\nA council spokesperson said the work was "
            "necessary.")
    assert _meta(text)["doc_type"] == "other"
