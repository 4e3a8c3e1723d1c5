"""Which party of a tribunal decision is the public authority: heading layouts seen across 2005-2020 decisions."""
from __future__ import annotations

import pytest

from indexer.metadata import extract_metadata
from indexer.metadata.parties import parse_parties

REASONS = "\n\nDECISION\n\n1. The appeal is dismissed.\n\nREASONS\n\n2. The request was refused.\n"


def _authority(heading: str) -> str | None:
    return extract_metadata(heading + REASONS, "t.txt", "text")["authority"]


# Expected names are the gazetteer's: every alias of a body is reported under its one canonical name.
@pytest.mark.parametrize(("heading", "authority"), [
    # The representatives are listed before "Between": the parties still follow.
    ("First-tier Tribunal\n(General Regulatory Chamber)\nInformation Rights\nAppeal Reference: EA/2019/0036\n\n"
     "Heard at the Newcastle upon Tyne Magistrates Court\nOn 10 September 2019\nRepresentation:\n"
     "Appellant: In person\nFirst Respondent: Did not appear\nSecond Respondent: Mr Fortt (Counsel)\n\nBefore\n\n"
     "JUDGE BUCKLEY\n\nBetween\n\nCOLETTE LAND\nAppellant\nand\n\nTHE INFORMATION COMMISSIONER\nFirst Respondent\n\n"
     "DEPARTMENT FOR EDUCATION\nSecond Respondent", "Department for Education"),
    # A numbered list of respondents after one label.
    ("IN THE FIRST-TIER TRIBUNAL Appeal No: EA/2017/0100\n\nAppellant: Christian Herman\n\nRespondent: (1) The "
     "Information Commissioner\n(2) Chief Constable of Kent Police\n\nHeard at: Snaresbrook Crown Court",
     "Kent Police"),  # the gazetteer's name for the force its chief constable answers for
    # The second respondent on the line under the first, without a label of its own.
    ("FIRST-TIER TRIBUNAL\nGENERAL REGULATORY CHAMBER\n\nTribunal Reference: EA/2015/0294\nAppellant: Hassan Sharif\n"
     "Respondent: The Information Commissioner\nMinistry of Justice\n\nJudge: Peter Lane", "Ministry of Justice"),
    # Everything on one line, the second respondent without a colon.
    ("FIRST-TIER TRIBUNAL\n\nTribunal Reference: EA/2013/0154 Appellant: Robert Capewell Respondent: The Information "
     "Commissioner Second Respondent Her Majesty’s Revenue and Customs Judge: NJ Warren",
     "HM Revenue & Customs"),
    # A name broken over two lines after its label.
    ("IN THE FIRST-TIER TRIBUNAL Case No. EA/2014/0203\n\nAppellant: TREVOR FORDY\n\n1ST Respondent: INFORMATION "
     "COMMISSIONER\n\n2ND Respondent: CHIEF CONSTABLE OF\nWEST YORKSHIRE POLICE\n\nOn the papers at: FOX COURT, "
     "LONDON", "West Yorkshire Police"),
    # The label alone on its line, the name on the next.
    ("Appellant: Rhonda Moorhouse First Respondent: The Information Commissioner (“the ICO”) Second Respondent:\n\n"
     "Department of Business Innovation and Skills (“BIS”)\n\nBefore",
     "Department for Business, Innovation & Skills"),
    # Joined appeals: a party line carries the appeal it belongs to; an appellant line carries the appeal number.
    ("Appeal References: EA/2018/0120 & 0121\n\nBetween\n\nCABINET OFFICE\nAppellant 0120\n\nDEPARTMENT FOR DIGITAL "
     "CULTURE MEDIA AND SPORT\nAppellant 0121\nand\n\nINFORMATION COMMISSIONER\nRespondent", "Cabinet Office"),
    ("BETWEEN\n\nMARGOT GIBBS (EA/2017/0258)\nFOREIGN AND COMMONWEALTH OFFICE (EA/2017/0275)\nAppellants\n\nand\n\n"
     "THE INFORMATION COMMISSIONER\nFirst Respondent", "Foreign & Commonwealth Office"),
    # A London borough appealing a decision notice.
    ("Appeal No: EA/2016/0013\nBETWEEN:\n\nLondon Borough of Ealing\nAppellant\nand\n\nInformation Commissioner\n"
     "Respondent", "London Borough of Ealing"),
    ("THE MAYOR AND BURGESSES OF\nTHE LONDON BOROUGH OF HARINGEY\nAppellant\n\n- and -\n\nTHE INFORMATION "
     "COMMISSIONER Respondent", "London Borough of Haringey"),
    # "Additional" and "Party" on separate lines of a two-column heading.
    ("BETWEEN\n\nMr. Gerry Tuckley\n\nAppellant and\n\nThe Information Commissioner\nRespondent\nand\n\n"
     "Birmingham City Council\n\nAdditional\nParty", "Birmingham City Council"),
])
def test_authority_among_the_parties(heading, authority):
    assert _authority(heading) == authority


def test_counsel_listed_for_each_party_are_not_parties():
    heading = ("Appellant: TREVOR FORDY\n\nRespondent: INFORMATION COMMISSIONER\n\nBefore\n\nROBIN CALLENDER SMITH\n"
               "Written submissions:\nFor the Appellant: Mr Trevor Fordy\nFor the 1st Respondent: Mr Adam Sowerbutts")
    assert parse_parties(heading) == [("appellant", "TREVOR FORDY"), ("respondent", "INFORMATION COMMISSIONER")]


@pytest.mark.parametrize(("body", "authority"), [
    ("3. The Tribunal allows the appeal and issues the following substituted decision notice.\n\n"
     "SUBSTITUTED DECISION NOTICE\n\nPublic authority: Bournemouth Borough Council\n\nName of Complainant: "
     "Conor O’Luby", "Bournemouth Borough Council"),
    ("1. This is an appeal against a decision notice of the Information Commissioner in which she determined that "
     "the public authority, Rotherham MBC (“RMBC”), was entitled to refuse the request.", "Rotherham Metropolitan Borough Council"),
])
def test_authority_named_in_the_decision_when_the_commissioner_is_the_only_respondent(body, authority):
    heading = "Appeal Reference: EA/2018/0090\n\nBetween:\n\nLIAM HARRON\nAppellant\nand\n\nTHE INFORMATION COMMISSIONER\nRespondent\n\nDECISION\n\n"
    assert extract_metadata(heading + body, "t.txt", "text")["authority"] == authority
