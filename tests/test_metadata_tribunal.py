"""Unit tests for the tribunal rules of extract_metadata: date choice, own references and outcome wordings."""
from __future__ import annotations

import pytest

from indexer.metadata import extract_metadata

TRIBUNAL = """IN THE FIRST-TIER TRIBUNAL
GENERAL REGULATORY CHAMBER
INFORMATION RIGHTS
Appeal Reference: EA/2019/0369

Decided without a hearing

BEFORE

JUDGE DAVID THOMAS

BETWEEN

GABRIEL WEBBER Appellant and

THE INFORMATION COMMISSIONER
Respondent

and

LONDON BOROUGH OF BARNET
Second Respondent

Date Promulgated: 17 June 2020

DECISION AND REASONS

The appeal is allowed in part. The Council must disclose the withheld information.

1. This is the appeal against the Council's reliance on section 31(1)(g) of the Freedom of Information Act 2000.
The Commissioner's decision notice FS50812345 followed Smith v IC (EA/2010/0012).
"""


def _with_dates(dates: str, closing: str = "") -> str:
    return TRIBUNAL.replace("Date Promulgated: 17 June 2020", dates) + "\n2. Our decision is unanimous.\n" + closing


@pytest.mark.parametrize(("dates", "closing", "iso"), [
    # The promulgation date wins over a "Date of decision" label and over the signature.
    ("Date of decision: 2 June 2020\nDate Promulgated: 17 June 2020", "\nJudge David Thomas\n10 June 2020", "2020-06-17"),
    # Without promulgation, a "Date of decision" label at line start wins over the signature date...
    ("Date of decision: 2 June 2020", "\nSigned\nTribunal Judge\n10 June 2020", "2020-06-02"),
    # ... but prose mentioning a decision date is not a label.
    ("Heard on 1 May 2020", "\nThe formal records of date of decision 11 June 2019 were disclosed.\n"
     "Tribunal Judge\n10 June 2020", "2020-06-10"),
    # A signature later than the "promulgated" reading means that reading was a hearing date in a blank box.
    ("Decision Promulgated\nHeard 6 July 2011", "\nDavid Thomas\nTribunal Judge\n9 August 2011", "2011-08-09"),
    # Old decisions: "Dated this 9th day of December 2011".
    ("Decided on the papers", "\nSigned\nChristopher Hughes\nJudge\n\nDated this 9th day of December 2011", "2011-12-09"),
    # "Promulgated:" and "Promulgation:" labels after the signing date on the same line.
    ("Decided on the papers", "\nSigned:\nDate: 10 March 2020 – Promulgated: 11 March 2020", "2020-03-11"),
    ("Decided on the papers", "\nSigned\nDate: 12 November 2019\nPromulgation: 13 November 2019", "2019-11-13"),
])
def test_tribunal_date_choice(dates, closing, iso):
    assert extract_metadata(_with_dates(dates, closing), "t.pdf", "pdf")["date"] == iso


@pytest.mark.parametrize(("label", "refs"), [
    ("Appeal No: EA/20100113", ["EA/2010/0113"]),
    ("Appeal Numbers: EA/2011/0265/0266/0280", ["EA/2011/0265", "EA/2011/0266", "EA/2011/0280"]),
    ("Appeal Number: 2007/0106", ["EA/2007/0106"]),
    # Old headings as extracted: a page number run in, a year split by a space, a fifth digit.
    ("Appeal No: 2EA/2016/0114", ["EA/2016/0114"]),
    ("Case No. EA/201 2/0005", ["EA/2012/0005"]),
    ("THE FIRST TIER TRIBUNAL EA/2016/00148", ["EA/2016/0148"]),
])
def test_tribunal_own_reference_forms(label, refs):
    text = TRIBUNAL.replace("Appeal Reference: EA/2019/0369", label)
    assert extract_metadata(text, "t.pdf", "pdf")["references"] == refs


def test_an_authority_cited_under_a_short_heading_is_not_own():
    text = ("EA/2017/0053\nBetween:\nGUY PIGGOTT\nAppellant\nand\nTHE INFORMATION COMMISSIONER\nRespondent\n\nJUDGMENT\n\n"
            "Hearing: 15 August 2017\n\nAuthorities cited: Linda Bromley and Information Commissioner v Environment "
            "Agency EA/2006/0072\n\nResult: Appeal refused.\n\nREASONS\n[1] This decision relates to an appeal.\n")
    assert extract_metadata(text, "t.txt", "text")["references"] == ["EA/2017/0053"]


def test_appeals_after_an_authorities_list_are_cited_not_own():
    text = TRIBUNAL.replace(
        "Decided without a hearing",
        "Authorities cited:\nBellamy v Information Commissioner EA/2005/0023\nRigby v Information Commissioner "
        "EA/2009/0103\n\nDecided without a hearing").replace("Appeal Reference: EA/2019/0369", "Information Rights")
    meta = extract_metadata(text, "t.pdf", "pdf")
    assert meta["references"] == []
    assert {"EA/2005/0023", "EA/2009/0103"} <= set(meta["cites"])


@pytest.mark.parametrize(("decision", "outcome"), [
    ("The Tribunal rejects the appeal for the reasons stated.", "dismissed"),
    ("The Tribunal upholds the appeal for the reasons stated.", "allowed"),
    ("The Tribunal is satisfied the Commissioner erred and finds in favour of the Appellant.", "allowed"),
    ("The Tribunal decided to strike out the appeal.", "struck out"),
    ("The appeal has no realistic prospect of success. The Tribunal strikes this appeal out.", "struck out"),
    ("I have no alternative but to strike out his appeal for want of jurisdiction.", "struck out"),
    ("The appeal is therefore allowed to this extent.", "allowed"),
    ("The Decision Notice dated 7th June 2006 is hereby substituted with the Decision Notice below.", "allowed"),
    ("The Tribunal allows the appeal in par t and amends the Decision Notice.", "part allowed"),
    ("Accordingly we allow the appeal, with the exception of the communications with councillors.",
     "part allowed"),
    ("The decision notice is upheld save that in relation to columns 4-8 the information must be disclosed.",
     "part allowed"),
    ("The Tribunal allows the Appeal by the Foreign Office and upholds the decision of the Commissioner in "
     "relation to the names of junior staff.", "part allowed"),
    ("The Tribunal dismisses the appeal and upholds the Decision Notice in relation to the names.\n\n"
     "The Council must disclose the list of payments by 1 July 2020, which it has not yet done, and it must "
     "do so in the form set out in the Decision Notice, with the redactions agreed between the parties at the "
     "hearing, and with an explanation of any further redactions that it considers are needed; the parties "
     "may apply for directions.\n\nThe Tribunal allows the appeal in relation to the payments.", "part allowed"),
    ("The Tribunal upholds t he decision notice dated 24 th. May, 2010 and dismisses the appeal.", "dismissed"),
    # Withdrawal notices and consent to a withdrawal.
    ("The Tribunal acknowledges and accepts receipt of a notice of withdrawal from the Appellant in this appeal "
     "under Rule 17.\n\nThe Tribunal has consented to the matter being withdrawn.", "withdrawn"),
    ("4. I interpret Mr Hevera’s email as a withdrawal of his appeal. I consent to that withdrawal.", "withdrawn"),
    # Strike-outs in the registrar's and judges' words.
    ("4. This appeal is, accordingly, struck out.", "struck out"),
    ("3. The Tribunal can see no reason for prolonging these proceedings. They are accordingly struck out "
     "pursuant to rule 8(3)(a).", "struck out"),
    ("6. The case is therefore struck out as this Tribunal does not have jurisdiction.", "struck out"),
    ("I therefore strike out Mr Beaman’s appeal as having no reasonable prospect of success.", "struck out"),
    ("It is right for me to strike it out now on the ground that it has no reasonable prospect of success.",
     "struck out"),
    ("I therefore bring them to an end now by striking them out.", "struck out"),
    ("The appeal must fail because the information falls outside FOIA. It is right for me to strike it out now.",
     "struck out"),
    ("2. Consent is given for the Appellant ’s withdrawal of his appeal under rule 17.", "withdrawn"),
    # Dismissals that do not say "the appeal is dismissed".
    ("1. The application is refused.", "dismissed"),
    ("The appeal is, accordingly, dismissed.", "dismissed"),
    ("As such the Tribunal rejects this appeal.", "dismissed"),
    ("In the circumstances we refuse to allow the appeal relating to the remaining withheld information.",
     "dismissed"),
    ("The appeal is wholly lacking in merit and is dismissed.", "dismissed"),
    ("28. The tribunal is satisfied that this appeal is without merit and it is dismissed.", "dismissed"),
    ("For these reasons the appeal must fail.", "dismissed"),
    ("It is the Decision of the Tribunal that the Decision Notice dated 30 August 2017 that the PSNI was entitled "
     "to rely upon s.23(1) of the FOIA to refuse the Appellant's request for disclosure of the Walker Report is "
     "upheld.", "dismissed"),
    # Allowed as the tribunal's decision, with an honorific before the possessive.
    ("Our decision therefore is to allow the appeal.", "allowed"),
    ("For the reasons set out below the Tribunal allows Mr Illingworth’s appeal and substitutes a notice.",
     "allowed"),
    # Limited allowances and dismissals.
    ("For the reasons set out below the Tribunal allows the appeal to a limited extent.", "part allowed"),
    ("The Tribunal dismisses the majority of the appeal. The appeal is partially allowed in that the Commissioner "
     "should have found a breach of section 10.", "part allowed"),
    ("27. The tribunal therefore allows both appeals in part.", "part allowed"),
    ("The Tribunal allows in part Mr Montague’s appeal against Decision Notice FS50493467.", "part allowed"),
    ("1. The Tribunal issues a substituted Decision Notice by consent.\n\n2. The remaining part of the appeal is "
     "dismissed.", "part allowed"),
    ("73. We dismiss the appeal in so far as it relates to the remaining information.", "part allowed"),
    # Two appeals decided in one heading sentence each: one allowed, one dismissed.
    ("Appeal EA/2013/0040 is dismissed. Appeal EA/2013/0047 is allowed.", "part allowed"),
])
def test_tribunal_outcome_wordings(decision, outcome):
    text = TRIBUNAL.replace("The appeal is allowed in part. The Council must disclose the withheld information.",
                            decision)
    assert extract_metadata(text, "t.pdf", "pdf")["outcome"] == outcome


_STATUTE = ("If the Tribunal considers that the decision notice is not in accordance with the law, the Tribunal "
            "shall allow the appeal or substitute such other notice as could have been served by the Commissioner; "
            "and in any other case the Tribunal shall dismiss the appeal.\n\n")


@pytest.mark.parametrize(("conclusion", "outcome"), [
    ("20. We dismiss this appeal. Our decision is unanimous.", "dismissed"),
    ("Decision\n59. We allow the appeal in respect of Request 1.\n\n60. We dismiss the appeal in respect of "
     "Request 2.", "part allowed"),
    ("30. The Tribunal refuses the appeal under section 36.\n\nConclusion:\n\n31. In light of the foregoing, "
     "the Tribunal allows this appeal.", "allowed"),
    ("20. Permission to appeal is also refused.", None),
    # A chronology row tells of an earlier decision; the conclusion decides this one.
    ("Chronology:\n6 June 2016 FTT allows the appeal and orders disclosure\n\n40. The appeal is therefore refused.",
     "dismissed"),
    # "allowed to proceed" is about the appeal going on, not its outcome.
    ("12. The Notice of Appeal was too late fairly to be allowed to proceed. The appeal is dismissed.",
     "dismissed"),
    # An explicit word on the appeal outweighs the substituted notice that follows it.
    ("28. The Tribunal dismisses the appeal, finds that no further information was held, and the Commissioner’s "
     "decision notice is substituted by this decision accordingly.", "dismissed"),
])
def test_statutory_powers_and_earlier_findings_are_not_the_outcome(conclusion, outcome):
    text = TRIBUNAL.replace("The appeal is allowed in part. The Council must disclose the withheld information.",
                            "Background\n\n1. The Council refused the request.")
    text += _STATUTE + "The Council searched its records again. " * 100 + "\n\n" + conclusion + "\n"
    assert extract_metadata(text, "t.pdf", "pdf")["outcome"] == outcome


def test_an_open_schedule_takes_the_date_of_its_decision():
    text = ("1\nAppeal numbers: EA/2016/0069 & 0073\nFIRST-TIER TRIBUNAL\nGENERAL REGULATORY CHAMBER\n"
            "INFORMATION RIGHTS\nKATHERINE BERGEN\nAppellant\n- and -\nTHE INFORMATION COMMISSIONER\nFirst Respondent"
            "\nOpen Schedule to the Tribunal’s Decision dated 29 August 2017\nPage Paragraph Decision\n2 Withhold\n")
    assert extract_metadata(text, "t.txt", "text")["date"] == "2017-08-29"


def test_legislation_lists_the_main_regime_first():
    eir = ("The request was handled under the Environmental Information Regulations 2004 (EIR). Regulation 12(4)(b) "
           "EIR applies. The appeal is brought under section 57 of the Freedom of Information Act 2000 as applied by "
           "the EIR. The EIR exception is engaged.")
    foi_personal = ("The Council relied on section 40(2) FOIA. Disclosure would breach the Data Protection Act 1998; "
                    "the Data Protection Act principles and the DPA schedules apply. FOIA section 40 is absolute.")
    assert extract_metadata(TRIBUNAL + eir, "t.pdf", "pdf")["legislation"][0] == "EIR"
    assert extract_metadata(TRIBUNAL + foi_personal, "t.pdf", "pdf")["legislation"] == ["FOIA", "DPA"]


def test_a_decision_citing_whatdotheyknow_near_its_end_is_still_a_decision():
    text = TRIBUNAL + ("\n30. The request was made using the whatdotheyknow.com website:\n"
                       "https://www.whatdotheyknow.com/request/common_purpose#outgoing\n")
    assert extract_metadata(text, "t.txt", "text")["doc_type"] == "tribunal_decision"


def test_a_court_judgment_outside_the_tribunal_is_dated_by_its_heading():
    text = ("JUDGMENT OF THE COURT OF FIRST INSTANCE (Fourth Chamber, Extended Composition)\n11 December 2001 (1)\n"
            "(Transparency - Public access to documents)\nIn Case T-191/99, David Petrie, applicants, v Commission "
            "of the European Communities, defendant, concerning access to documents of 2 March 1999,\n")
    meta = extract_metadata(text, "j.txt", "text")
    assert (meta["doc_type"], meta["date"]) == ("other", "2001-12-11")


@pytest.mark.parametrize(("head", "iso"), [
    # A browser's print stamp comes first; the judgment's own date is written in words.
    ("8/6/2020 DOCI - 61999A0020 - bas-cen\nJudgment of the Court of First Instance (First Chamber) of 13 "
     "September 2000. Denkavit Nederland BV v Commission of the European Communities.", "2000-09-13"),
    # A labelled date with a two-digit year of the last century.
    ("Case No: CO/4553/98\nIN THE HIGH COURT OF JUSTICE\nQUEEN'S BENCH DIVISION\nDate: 29.07.97\nBefore: THE HON MR "
     "JUSTICE SULLIVAN\nconcerning a road order of 28 February 1992", "1997-07-29"),
])
def test_court_judgments_are_dated_by_their_own_date(head, iso):
    assert extract_metadata(head + "\n\nThe application is refused.\n", "j.txt", "text")["date"] == iso
