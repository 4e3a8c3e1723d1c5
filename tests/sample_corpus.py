"""Build a small, realistic FOI corpus for tests: the seed documents plus documents made here."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.pdfmaker import write_pdf
from tests.sample_same_request import write_drone_responses

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = PROJECT_ROOT / "corpus"

SAME_REQUEST = (
    "“Please accept the following request under the Freedom of Information Act. I’m seeking: "
    "1) The number of authorisations granted for the creation of false social media personas by officers "
    "in each calendar year from 2018 to 2022 (inclusive). 2) A list of column headings contained in the "
    "false social media persona register and, if applicable, row headings.”"
)


def _tribunal_pages(appeal: str, authority: str, cites: str, outcome_line: str, date: str) -> list[list[str]]:
    header = f"Appeal Number: {appeal}"
    return [
        [
            header,
            "IN THE FIRST-TIER TRIBUNAL",
            "GENERAL REGULATORY CHAMBER",
            "(INFORMATION RIGHTS)",
            f"Appeal Reference: {appeal}",
            "BETWEEN",
            "JOHN SMITH",
            "Appellant",
            "and",
            "THE INFORMATION COMMISSIONER",
            "First Respondent",
            "and",
            authority.upper(),
            "Second Respondent",
            f"Decision promulgated: {date}",
            "DECISION",
            outcome_line,
            "1",
        ],
        [
            header,
            "REASONS",
            "1. This appeal concerns a request for information about ministerial briefings on immig-",
            "ration detention. The public authority relied on section 35(1)(a) of the Freedom of",
            "Information Act 2000 (FOIA), the exemption for the formulation of government policy.",
            f"2. The Tribunal has considered the reasoning in {cites} on the public interest test.",
            "3. We are satisfied that the public interest in maintaining the exemption outweighs",
            "the public interest in disclosure of the information at the time of the request.",
            "2",
        ],
    ]


def _write_tribunal_decisions(target: Path) -> None:
    write_pdf(
        target / "tribunal" / "EA-2019-0154.pdf",
        _tribunal_pages(
            "EA/2019/0154",
            "Home Office",
            "Department for Education and Skills v Information Commissioner (EA/2006/0006) and decision notice FS50712345",
            "The appeal is dismissed.",
            "12 March 2020",
        ),
    )
    write_pdf(
        target / "tribunal" / "EA-2006-0006.pdf",
        _tribunal_pages(
            "EA/2006/0006",
            "Department for Education and Skills",
            "the general principles on government policy formulation",
            "The appeal is allowed in part.",
            "19 February 2007",
        ),
    )


def _write_ico_notice(target: Path) -> None:
    write_pdf(
        target / "ico-notices" / "fs50712345.pdf",
        [
            [
                "Reference: FS50712345",
                "Freedom of Information Act 2000 (FOIA)",
                "Decision notice",
                "Date: 3 April 2019",
                "Public Authority: Home Office",
                "Address: 2 Marsham Street, London",
                "Decision (including any steps ordered)",
                "1. The complainant requested ministerial briefings on immigration detention.",
                "2. The Home Office relied on section 35(1)(a) of FOIA to withhold the information.",
                "3. The Commissioner's decision is that the Home Office was entitled to rely on section",
                "35(1)(a) of FOIA. The Commissioner does not require any steps.",
            ]
        ],
        title="Decision notice FS50712345",
    )


def _write_same_request_notice(target: Path) -> None:
    text = (
        "Freedom of Information Act 2000 (FOIA)\n\nDecision notice\n\nDate: 2 October 2023\n\n"
        "Public Authority: Chief Constable of Kent Police\nAddress: Sutton Road, Maidstone\n\n"
        "Decision (including any steps ordered)\n\n"
        "1. The complainant requested information about the false social media personas register. "
        "Kent Police refused the request under section 31(1)(a) of FOIA.\n"
        "2. The Commissioner's decision is that Kent Police was entitled to rely on section 31(1)(a) of FOIA.\n\n"
        "Request and response\n\n"
        f"3. On 10 February 2023, the complainant made the following request for information under FOIA:\n\n{SAME_REQUEST}\n\n"
        "4. Kent Police responded on 9 March 2023 and refused the request citing section 31(1)(a).\n\n"
        "Reference: IC-240101-K3N7\n"
    )
    path = target / "ico-notices" / "ic-240101-k3n7.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_request_thread(target: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Housing register statistics - a Freedom of Information request to
Ministry of Housing, Communities and Local Government - WhatDoTheyKnow</title>
<script>var tracking = "do not index me";</script></head><body>
<div id="cookie-banner">We use cookies to make this site work. Accept cookies</div>
<nav class="navigation"><a href="/">Home</a><a href="/list">Browse requests</a></nav>
<div id="left_column"><h1>Housing register statistics</h1>
<div class="correspondence" id="outgoing-1"><p>Dear Ministry of Housing, Communities and Local Government,</p>
<p>Please provide the number of households on local authority housing registers in England for each year
from 2015 to 2018, broken down by local authority.</p><p>Yours faithfully, Jane Doe</p>
<p class="date">12 January 2018</p></div>
<div class="correspondence" id="incoming-1"><p>Dear Ms Doe,</p><p>Thank you for your request. The information
is published in live table 600, so we are applying section 21 of the Freedom of Information Act 2000.</p>
<p>Our reference: 3012345</p><p>FOI Team, MHCLG. 8 February 2018</p></div></div>
<div id="right_column" class="sidebar"><h2>Things to do with this request</h2><p>Follow this request</p></div>
<footer>Built by mySociety. Donate.</footer></body></html>"""
    path = target / "whatdotheyknow" / "housing-register-statistics.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


# Markup a requester pasted into a web form, kept verbatim by the authority's reply: the pages must show it as text.
HOSTILE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "onmouseover=")
HOSTILE_TEXT = """<script>alert(1)</script> Pothole repair records <img src=x onerror=alert(1)>

Freedom of Information request reference: FOI-2024-0917
Date: 5 March 2024

Dear requester,

Thank you for your request to Eastmoor Borough Council under the Freedom of Information Act 2000, received on
6 February 2024. Your request, which was pasted from a web form, read as follows:

"<script>alert(1)</script> Please provide the pothole repair records for every road in the borough for 2022 and
2023, including the date each pothole was reported and repaired. <img src=x onerror=alert(1)>
<a href="#" onmouseover=alert(1)>click</a> <div onmouseover="alert(1)">hover</div>"

Eastmoor Borough Council holds the pothole repair records you asked for. Complying with the request would exceed
the appropriate limit, so we are refusing it under section 12 of the Freedom of Information Act 2000. Locating and
extracting the repair dates for every road would take more than 18 hours of staff time.

If you are unhappy with this response you may ask for an internal review, and then complain to the Information
Commissioner's Office.

Information Governance Team
"""


def _write_hostile_response(target: Path) -> None:
    path = target / "responses" / "eastmoor-pothole-repairs.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HOSTILE_TEXT, encoding="utf-8")


def _write_hostile_sibling(target: Path) -> None:
    """Another council's answer to the same pasted request, quoting its markup too: the hostile text then also
    reaches the same-request panels, tables and cluster page."""
    request = HOSTILE_TEXT[HOSTILE_TEXT.index('"<script>') + 1:HOSTILE_TEXT.index('"\n\nEastmoor')]
    text = (f"Freedom of Information response\nOur reference: WDC-FOI-24-0133\nDate: 12 March 2024\nSubject: Pothole repair records\n\n"
            f"Your request\n\n{request}\n\nOur response\n\nWestbridge District Council holds records of pothole "
            "repairs on the roads it maintains. We are refusing your request under section 12 of the Freedom of "
            "Information Act 2000: the repair dates sit in individual job sheets, and finding and extracting them for "
            "two years would take well over the appropriate limit of 18 hours.\n\nInformation Governance Officer\n")
    path = target / "responses" / "westbridge-pothole-repairs.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_bad_inputs(target: Path) -> None:
    write_pdf(target / "scans" / "scanned-decision.pdf", [[], []])
    corrupt = (target / "tribunal" / "EA-2019-0154.pdf").read_bytes()
    (target / "broken").mkdir(parents=True, exist_ok=True)
    (target / "broken" / "truncated.pdf").write_bytes(corrupt[: len(corrupt) // 3])
    (target / "broken" / "empty.txt").write_bytes(b"")
    (target / "broken" / "spreadsheet.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")


def make_sample_corpus(target: Path, bad_inputs: bool = True) -> Path:
    """Copy the seeds and write the made documents into target; returns target."""
    target.mkdir(parents=True, exist_ok=True)
    for seed in SEED_DIR.iterdir():
        if seed.is_file():
            shutil.copy(seed, target / seed.name)
    _write_tribunal_decisions(target)
    _write_ico_notice(target)
    _write_same_request_notice(target)
    _write_request_thread(target)
    _write_hostile_response(target)
    _write_hostile_sibling(target)
    write_drone_responses(target)
    if bad_inputs:
        _write_bad_inputs(target)
    return target
