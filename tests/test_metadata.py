"""Unit tests for extract_metadata on realistic snippets and on the seed documents in corpus/."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.metadata import extract_metadata
from indexer.metadata.common import find_sections, parse_date

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KEYS = {"doc_type", "title", "authority", "date", "references", "legislation", "sections", "outcome", "cites",
        "cite_urls", "request_text"}

TRIBUNAL = """First-tier Tribunal (General Regulatory Chamber) Information Rights Appeal Reference: EA/2019/0369

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

1. This is the appeal against the rejection of his complaint that the Council had wrongly relied on
section 31(1)(g) of the Freedom of Information Act 2000 (FOIA). The Commissioner's decision notice
FS50812345 followed Smith v IC (EA/2010/0012) and [2019] UKUT 24 (AAC).
"""

ICO = """Reference: IC-393971-B4K5

Freedom of Information Act 2000 (FOIA) Decision notice

Date: 13 March 2026

Public Authority: East Riding of Yorkshire Council Address: County Hall

Decision (including any steps ordered)

1. The council refused to disclose the requested information citing section 31(1)(a) of FOIA.
2. The Commissioner's decision is that the council has correctly applied section 31(1)(a) of FOIA.
3. The Commissioner does not require further steps.

Request and response

4. On 16 April 2025, the complainant wrote to the council and requested information in the following terms:
"The amount taken by the parking machines for the period 5-12th April this year."
5. On 14 May 2025, the council responded.
"""


def test_tribunal_snippet_fields():
    meta = extract_metadata(TRIBUNAL, "tribunal/6.pdf", "pdf")
    assert set(meta) == KEYS
    assert meta["doc_type"] == "tribunal_decision"
    assert meta["references"] == ["EA/2019/0369"]
    assert meta["date"] == "2020-06-17"
    assert meta["outcome"] == "part allowed"
    assert meta["authority"] == "London Borough of Barnet"
    assert "FS50812345" in meta["cites"] and "EA/2010/0012" in meta["cites"] and "[2019] UKUT 24 (AAC)" in meta["cites"]
    assert "EA/2019/0369" not in meta["cites"]
    assert meta["sections"] == ["FOI 31(1)(g)"]
    assert meta["legislation"] == ["FOIA"]
    assert meta["title"] == "Gabriel Webber v Information Commissioner and London Borough of Barnet (EA/2019/0369)"


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("The appeal is dismissed.", "dismissed"),
    ("The Tribunal upholds the decision notice and dismisses the appeal.", "dismissed"),
    ("The appeal is allowed.", "allowed"),
    ("The Tribunal allows the Appeal in part and substitutes a Decision Notice.", "part allowed"),
    ("The appeal is struck out under rule 8(3)(c).", "struck out"),
    ("The appeal has been withdrawn.", "withdrawn"),
])
def test_tribunal_outcomes(sentence, outcome):
    text = TRIBUNAL.replace("The appeal is allowed in part. The Council must disclose the withheld information.",
                            sentence)
    assert extract_metadata(text, "t.pdf", "pdf")["outcome"] == outcome


def test_ico_notice_snippet_fields():
    meta = extract_metadata(ICO, "ico-notices/ic-393971-b4k5.txt", "text")
    assert meta["doc_type"] == "decision_notice"
    assert meta["references"] == ["IC-393971-B4K5"]
    assert meta["authority"] == "East Riding of Yorkshire Council"
    assert meta["date"] == "2026-03-13"
    assert meta["sections"] == ["FOI 31(1)(a)"]
    assert meta["outcome"] == "not upheld"
    assert meta["request_text"].startswith("The amount taken by the parking machines")


@pytest.mark.parametrize(("decision", "outcome"), [
    ("2. The Commissioner's decision is that the council failed to respond within 20 working days and breached "
     "section 10 of FOIA. The council must issue a response.", "upheld"),
    ("2. The Commissioner's decision is that the council was entitled to rely on section 31(1)(a) but breached "
     "section 17(1).", "partly upheld"),
])
def test_ico_outcome_follows_complaint_convention(decision, outcome):
    text = ICO.replace("2. The Commissioner's decision is that the council has correctly applied section 31(1)(a) of "
                       "FOIA.\n3. The Commissioner does not require further steps.", decision)
    assert extract_metadata(text, "n.txt", "text")["outcome"] == outcome


def test_sections_normalised_and_other_acts_ignored():
    text = ("exempt under sections 36(2)(b)(ii) and 36(2)(c) of FOIA, section 40(5B), regulation 12(5)(e), "
            "section 58 of FOIA and section 40 of the Data Protection Act 2018")
    assert find_sections(text, "FOI") == ["FOI 36(2)(b)(ii)", "FOI 36(2)(c)", "FOI 40(5)(b)", "EIR 12(5)(e)"]


@pytest.mark.parametrize(("text", "iso"), [
    ("17 June 2020", "2020-06-17"), ("22nd. September, 2011", "2011-09-22"), ("June 17, 2020", "2020-06-17"),
    ("17/06/2020", "2020-06-17"), ("31 June 2020", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def _seed(name: str) -> dict:
    return extract_metadata((CORPUS / name).read_text(encoding="utf-8"), name, "text")


def test_seed_ico_notice_cites_linked_notices_by_url():
    meta = _seed("ico-decision-notice-mps-false-personas.txt")
    assert meta["doc_type"] == "decision_notice"
    # The notice names the Met by its legal name; the gazetteer gives one display name per body.
    assert meta["authority"] == "Metropolitan Police Service"
    assert meta["date"] == "2023-08-14"
    assert meta["outcome"] == "not upheld"
    assert "FOI 31(1)(a)" in meta["sections"]
    for ref in ("IC-231130-L9K4", "IC-232842-D9Y1", "IC-230750-S5Y0"):
        assert ref in meta["cites"]
        assert meta["cite_urls"][ref].endswith(ref.lower() + ".pdf")
    assert meta["request_text"].startswith("Please accept the following request")


def test_seed_fire_service_response():
    meta = _seed("wmfs-foi-response-23124.txt")
    assert meta["doc_type"] == "foi_response"
    assert meta["references"] == ["FOI/23124"]
    assert meta["authority"] == "West Midlands Fire Service"
    assert meta["request_text"].startswith("Monitoring of Social Media sites")
    assert "FOI 40" in meta["sections"]


def test_seed_police_response_and_request_thread_and_news():
    police = _seed("wmp-foi-response-social-media-323-18.txt")
    assert police["doc_type"] == "foi_response" and police["authority"] == "West Midlands Police"
    assert "researching the use of social media" in police["request_text"]
    thread = _seed("wdtk-request-cce-social-media-intelligence.txt")
    assert thread["doc_type"] == "request_thread"
    assert thread["authority"] == "Commission for Countering Extremism"
    assert thread["request_text"].startswith("RE: Freedom of Information Request")
    assert _seed("news-met-project-alpha.txt")["doc_type"] == "other"


def test_whatdotheyknow_title_hint_gives_title_and_authority():
    text = "DMS Ltd\n17 June 2017\nDear Department for Communities and Local Government,\nCan you provide a list?\nYours faithfully,\nDMS Ltd"
    hint = "PSL Schemes - a Freedom of Information request to Ministry of Housing, Communities and Local Government - WhatDoTheyKnow"
    meta = extract_metadata(text, "request-1.html", "html", hint)
    assert meta["doc_type"] == "request_thread"
    assert meta["title"] == "PSL Schemes"
    assert meta["authority"] == "Ministry of Housing, Communities and Local Government"
    assert meta["date"] == "2017-06-17"
    assert meta["request_text"] == "Can you provide a list?"


TWO_COLUMN = """Appeal number: EA/2019/0073

FIRST-TIER TRIBUNAL
GENERAL REGULATORY CHAMBER

 PROFESSOR TIM CROOK Appellant

 - and -

 THE INFORMATION COMMISSIONER

- and -

      THE HOME OFFICE
First
Respondent

Second
Respondent

TRIBUNAL: JUDGE ALEXANDRA MARKS CBE

DECISION

The appeal is dismissed.
"""

INLINE_ROLES = """IN THE FIRST TIER TRIBUNAL Appeal No: EA/2015/0273
GENERAL REGULATORY CHAMBER
Date of decision 16 May 2016

APPELLANT: CRUELTY FREE INTERNATIONAL FIRST RESPONDENT: INFORMATION COMMISSIONER SECOND RESPONDENT: IMPERIAL COLLEGE LONDON

Attendances:
For the 2nd respondent Robin Hopkins

DECISION

The Tribunal dismisses the appeal save that the College breached section 10.
"""

UPPER_TRIBUNAL = """Neutral Citation Number: [2026] UKUT 91 (AAC)
Appeal No. UA-2025-000223-GIA

IN THE UPPER TRIBUNAL

Between:

Mr Peter Stead
Appellant
- v -

The Information Commissioner
Respondent

Decision date:\t20 February 2026

Representation:
Respondent:\tHugh Whelan (counsel)

On appeal from:
Tribunal Case No:\tEA/2024/0350
NCN:\t\t\t[2024] UKFTT 01118 (GRC)

DECISION
As the decision of the First-tier Tribunal involved the making of an error of law, it is SET ASIDE.
"""


def test_two_column_heading_with_split_role_lines():
    meta = extract_metadata(TWO_COLUMN, "186.pdf", "pdf")
    assert meta["authority"] == "Home Office"
    assert meta["outcome"] == "dismissed"
    assert meta["references"] == ["EA/2019/0073"]


def test_roles_on_one_line_and_representation_ignored():
    meta = extract_metadata(INLINE_ROLES, "827.pdf", "pdf")
    assert meta["authority"] == "Imperial College London"
    assert meta["date"] == "2016-05-16"
    assert meta["outcome"] == "part allowed"


def test_upper_tribunal_cites_the_first_tier_case_it_came_from():
    meta = extract_metadata(UPPER_TRIBUNAL, "stead.txt", "text")
    assert meta["references"] == ["[2026] UKUT 91 (AAC)", "UA-2025-000223-GIA"]
    assert {"EA/2024/0350", "[2024] UKFTT 1118 (GRC)"} <= set(meta["cites"])
    assert meta["authority"] is None
    assert meta["date"] == "2026-02-20"
    assert meta["outcome"] == "allowed"


def test_consolidated_appeal_numbers_are_all_own_references():
    text = TRIBUNAL.replace("Appeal Reference: EA/2019/0369", "Case Numbers EA/2014/0094, 0160 & 0311")
    assert extract_metadata(text, "947.pdf", "pdf")["references"] == ["EA/2014/0094", "EA/2014/0160", "EA/2014/0311"]


def test_old_heading_takes_the_promulgation_date_not_the_hearing_date():
    text = TRIBUNAL.replace("Date Promulgated: 17 June 2020",
                            "Heard at Procession House Decision Promulgated\nOn 10 August 2007 17 September 2007")
    assert extract_metadata(text, "2375.pdf", "pdf")["date"] == "2007-09-17"

