"""Unit tests for the authority field: never the Information Commissioner, not a requester, canonical display form."""
from __future__ import annotations

import pytest

from indexer.metadata import extract_metadata
from indexer.metadata.authority import display_authority, is_commissioner, looks_like_person


def _tribunal(parties: str, body: str = "") -> str:
    return f"""IN THE FIRST-TIER TRIBUNAL
GENERAL REGULATORY CHAMBER
INFORMATION RIGHTS
Appeal Reference: EA/2018/0147

Heard at Field House
On 12 March 2019

Before
JUDGE CHRIS HUGHES

Between

{parties}

Date Promulgated: 2 April 2019

DECISION AND REASONS

1. The appeal is dismissed.
{body}
"""


@pytest.mark.parametrize("spelling", ["INFORMATION COMMISIONER", "INFORMATION COM MISSIONER",
                                      "The Information Commissione r", "Information Commissionner",
                                      "THE INFORMATION COMMISSIONER’S OFFICE", "Informaton Comissioner", "ICO"])
def test_commissioner_spellings_are_recognised(spelling):
    assert is_commissioner(spelling)


@pytest.mark.parametrize("name", ["Commissioner of Police of the Metropolis", "Charity Commission",
                                  "Commissioners for Her Majesty’s Revenue and Customs", "Information Tribunal"])
def test_other_commissioners_and_commissions_are_not_the_information_commissioner(name):
    assert not is_commissioner(name)


@pytest.mark.parametrize("spelling", ["INFORMATION COMMISIONER", "The Information Commissione r",
                                      "Information Commissionner"])
def test_only_respondent_commissioner_is_never_the_authority(spelling):
    text = _tribunal(f"JOHN E BROWN\nAppellant\nand\n\n{spelling}\nRespondent",
                     "2. The Appellant wrote to the Commissioner about his tax affairs.")
    assert extract_metadata(text, "1064.pdf", "pdf")["authority"] is None


def test_authority_found_in_the_body_when_the_commissioner_is_the_only_respondent():
    text = _tribunal("MR DAVID WILSON\nAppellant\nand\n\nINFORMATION COM MISSIONER\nRespondent",
                     "2. On 3 May 2017 the Appellant made a request to the Cabinet Office for the minutes of the "
                     "meeting.\n3. The Cabinet Office refused the request under section 35.")
    assert extract_metadata(text, "x.pdf", "pdf")["authority"] == "Cabinet Office"


def test_public_authority_appellant_wins_over_the_requester_joined_as_party():
    text = _tribunal("THE MINISTRY OF DEFENCE\nAppellant\n- and -\n\nTHE INFORMATION COMMISSIONER\nFirst Respondent\n"
                     "-and-\n\nDR MARTIN HALLIGAN\nSecond Respondent",
                     "2. Dr Halligan asked the Ministry of Defence for the report.")
    assert extract_metadata(text, "262.pdf", "pdf")["authority"] == "Ministry of Defence"


def test_organisation_appellant_is_the_last_resort():
    text = _tribunal("NATURAL ENGLAND\nAppellant\nand\n\nTHE INFORMATION COMMISSIONER\nFirst Respondent\nand\n\n"
                     "TOM LANGTON\nSecond Respondent", "2. Mr Langton asked for the licences.")
    assert extract_metadata(text, "506.pdf", "pdf")["authority"] == "Natural England"


def test_second_party_run_into_the_appellant_name_is_dropped():
    text = _tribunal("Department of Energy and Climate Change (DECC) and Mr Alex Henney\nAppellants\nand\n\n"
                     "Information Commissioner\nRespondent")
    assert extract_metadata(text, "1148.pdf", "pdf")["authority"] == "Department of Energy & Climate Change"


def test_a_person_is_recognised_by_title_or_by_how_the_text_addresses_them():
    assert looks_like_person("DR MARTIN HALLIGAN")
    assert looks_like_person("TOM LANGTON", "2. Mr Langton asked for the licences.")
    assert not looks_like_person("TOM LANGTON", "2. The requester asked for the licences.")
    assert not looks_like_person("Natural England", "Mr England said")


@pytest.mark.parametrize(("raw", "shown"), [
    ("THE MINISTRY OF JUSTICE", "Ministry of Justice"),
    ("The Ministry of Justice", "Ministry of Justice"),
    ("MINISTRY  OF\nJUSTICE", "Ministry of Justice"),
    ("THE SCOTLAND OFFICE (Stage 2)", "Scotland Office"),
    ("THE BRITISH BROADCASTING CORPORATION", "BBC"),
    ("CENTRAL & NORTH WEST LONDON NHS FOUNDATION TRUST", "Central and North West London NHS Foundation Trust"),
    ("THE COMMISSIONERS FOR HER MAJESTY’S REVENUE AND CUSTOMS", "HM Revenue & Customs"),
    ("KING’S COLLEGE, CAMBRIDGE", "King's College, Cambridge"),
    ("DUDLEY MBC", "Dudley Metropolitan Borough Council"),
    ("HM TREASURY", "HM Treasury"),
    ("THE B.B.C", "BBC"),
    ("HOME OFFI CE", "Home Office"),
    ("DEPARTMENT FO R THE ENVIRONMENT, FOOD AND RURAL AFFAIRS (EA/2014/0311)",
     "Department for Environment, Food & Rural Affairs"),
    ("DEPARTMENT FOR BUSINESS, ENTERPRISE AND REGULATORY REFORM (formerly DEPARTMENT OF TRADE AND INDUSTRY)",
     "Department for Business, Enterprise and Regulatory Reform"),
    ("Transport for London (TfL)", "Transport for London"),
    ("TfL", "Transport for London"),
    ("THE COMMISSIONER OF POLICE OF THE METROPOLIS", "Metropolitan Police Service"),
    ("Ministry of Housing, Communities and Local Government", "Ministry of Housing, Communities and Local Government"),
])
def test_display_form(raw, shown):
    """Bodies the gazetteer knows get its one name whatever alias or case they come in; others are tidied."""
    assert display_authority(raw) == shown


def test_names_outside_the_gazetteer_keep_their_tidied_form():
    assert display_authority("THE WIDGETSHIRE BADGER PROTECTION BOARD") == "Widgetshire Badger Protection Board"


@pytest.mark.parametrize("raw", ["and", "INFORMATION COMMISIONER", "The Information Commissione r", "", None])
def test_display_form_rejects_joiners_and_the_commissioner(raw):
    assert display_authority(raw) is None
