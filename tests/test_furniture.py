"""Page furniture of scraped disclosure-log and request pages (indexer.furniture, via textclean)."""
from __future__ import annotations

import pytest

from indexer.extract import extract
from indexer.furniture import is_acknowledgement, is_chrome, is_interface_label, strip_acknowledgements
from indexer.textclean import mend_pages, strip_web_furniture

POLICE_PAGE = """Quickly exit this site by pressing the Escape key Leave this site
We use some essential cookies to make our website work. We'd like to set additional cookies to understand how you use our site.
You can manage your preferences and cookie settings at any time by clicking on "Customise Cookies" below.
Your cookie preferences have been saved. You can update your cookie settings at any time on the cookies page.
Sorry, there was a technical problem. Please try again.
This site is a beta, which means it's a work in progress. Your feedback helps us make things better.
FREEDOM OF INFORMATION REQUEST REFERENCE NO: 512-2024
I write in connection with your request for information which was received on 4th March 2024 as follows:
Please provide the number of reports of catalytic converter theft in each of the last three years."""

COUNCIL_PAGE = """Last updated:
12th May 2024
See answers to previous information requests
How to search
- Select a year and/or a month from the drop down list
- Click 'Search' button
Alternatively click 'View' to browse through all received requests.
This search is for our information requests from January 2021 onward.
Street lighting energy costs
See notes
+ All Categories
Please provide the annual energy cost of street lighting for the last five financial years.
Top
-"""


def test_police_site_banners_go_and_the_response_stays():
    text = strip_web_furniture(POLICE_PAGE)
    assert text.startswith("FREEDOM OF INFORMATION REQUEST REFERENCE NO: 512-2024")
    for gone in ("cookie", "technical problem", "beta", "Leave this site"):
        assert gone not in text


def test_council_search_help_and_links_go_but_title_and_date_stay():
    text = strip_web_furniture(COUNCIL_PAGE)
    assert text.split("\n") == ["Last updated:", "12th May 2024", "Street lighting energy costs",
                                "Please provide the annual energy cost of street lighting for the last five financial years."]


def test_a_request_about_cookies_keeps_its_words():
    text = ("Cookies on council websites\n" + "Please tell me how many cookies the council website sets without "
            "consent, which third parties receive data from them, and what the council pays for its consent tool. " * 2)
    assert strip_web_furniture(text) == text


@pytest.mark.parametrize("line", ["See notes", "+ All Categories", "Show mobile menu", "Search Site", "Content",
                                  "Back to top", "3 Atodiad", "-", "\u2022"])
def test_interface_labels(line):
    assert is_interface_label(line)


@pytest.mark.parametrize("line", ["Request", "Response", "Public toilet closures", "Date", "Police Dogs (803A/21)"])
def test_headings_and_titles_are_not_interface_labels(line):
    assert not is_interface_label(line)


@pytest.mark.parametrize("line", ["In an emergency call 999", "For general enquiries call 0300 123 4567",
                                  "Monday - Friday 9am - 5pm", "Type a subject into the 'Subject keyword(s):' search"])
def test_contact_and_form_lines_are_chrome(line):
    assert is_chrome(line)


ACKNOWLEDGED = """Dear Fen District Council,

Please provide the number of dog fouling fines issued in 2023.

Yours faithfully,

A Requester

Dear Requester,

I write to confirm receipt of your request for information, which was received on 2nd May 2024 and is now being
processed under the Freedom of Information Act 2000. You should receive our response within 20 working days.

This request has been closed to new correspondence from the public body. Contact us if you think it ought be re-opened.

Dear Requester,

Thank you for your request. We issued 41 fines for dog fouling in 2023; the table is attached."""


def test_acknowledgements_go_and_the_answer_stays():
    text = mend_pages([ACKNOWLEDGED], web_text=True)[0]
    assert "confirm receipt" not in text and "closed to new correspondence" not in text
    assert "We issued 41 fines" in text and "dog fouling fines issued in 2023" in text


def test_an_answer_opening_with_thanks_is_not_an_acknowledgement():
    assert not is_acknowledgement("Thank you for your request received on 2 May. We hold the information and it "
                                  "is attached.")
    assert is_acknowledgement("Your request has been passed to the relevant officer and a response will be sent by "
                              "23 May 2019.")
    assert strip_acknowledgements("No acknowledgement here.") == "No acknowledgement here."


def test_a_short_request_about_cookies_is_not_a_banner():
    assert not is_chrome("Please tell me how many cookies the council website sets without consent.")
    assert is_chrome("We use some essential cookies to make our website work.")
    assert is_chrome("Accept all cookies")


def test_quick_exit_buttons_phase_banners_and_feedback_prompts_are_dropped_from_html(tmp_path):
    path = tmp_path / "log.html"
    path.write_text(
        "<html><body><div class='exit-this-page'><a>Leave this site</a></div>"
        "<div class='govuk-phase-banner'>BETA This is a new service</div>"
        "<main><h1>Taser use (771A/24)</h1><p>Request</p><p>How many times was a Taser drawn in 2023?</p></main>"
        "<div class='page-feedback'>Is this page useful? Yes No</div></body></html>", encoding="utf-8")
    assert extract(path).text == "Taser use (771A/24)\n\nRequest\n\nHow many times was a Taser drawn in 2023?"
