"""Three police forces' disclosure-log pages answering one FOI request about drones: a same-request cluster."""
from __future__ import annotations

from pathlib import Path

DRONE_REQUEST = (
    "Please provide the following information about the use of drones (unmanned aerial vehicles) by your force.\n"
    "1. How many drones did the force own on 1 January 2024?\n"
    "2. How many times were drones deployed in each of the calendar years 2021, 2022 and 2023?\n"
    "3. What was the total amount spent on purchasing and maintaining drones in each of those years?\n"
    "4. How many officers held a current remote pilot qualification on 1 January 2024?"
)

_RESPONSES = {
    "lancashire-constabulary-drones.txt": """Freedom of Information Request
Reference No: LC-2024-0412
Date of response: 14 March 2024

Request

{request}

Response

Lancashire Constabulary can confirm that it holds information relevant to your request.

1. The force owned 9 drones on 1 January 2024.
2. Drones were deployed 612 times in 2021, 784 times in 2022 and 901 times in 2023.
3. Total spend was £48,200 in 2021, £61,750 in 2022 and £39,400 in 2023.
4. 27 officers held a current remote pilot qualification on 1 January 2024.

The information is provided in full. If you are dissatisfied with this response you may request an internal review.
Freedom of Information Unit, Lancashire Constabulary
""",
    "devon-cornwall-police-drones.txt": """FREEDOM OF INFORMATION ACT 2000
Our reference: DCP-FOI-2024-01177
Date: 22 March 2024

Your request for information dated 26 February 2024 is copied below:

{request}

Our response

Devon and Cornwall Police hold some of the information you asked for.

Questions 1, 2 and 4: the force owned 12 drones on 1 January 2024 and they were deployed 1,104 times in 2021,
1,256 times in 2022 and 1,390 times in 2023. 31 officers held a current remote pilot qualification.

Question 3: the spending on drones is withheld under section 43(2) of the Freedom of Information Act 2000, as its
release would be likely to prejudice the commercial interests of the force and its suppliers. The public interest
in maintaining the exemption outweighs the public interest in disclosure.

This is therefore a partial disclosure. You may ask for an internal review within 40 working days.
Information Rights Team, Devon and Cornwall Police
""",
    "merseyside-police-drones.txt": """Merseyside Police - Freedom of Information disclosure log
Reference: MP-FOI-24-0388
Date responded: 4 April 2024

Request:
{request}

Response:
Merseyside Police neither confirms nor denies that it holds information relevant to questions 1 and 4, by virtue
of sections 24(2) and 31(3) of the Freedom of Information Act 2000: confirming the size of the drone fleet and
the number of pilots would reveal operational capability to those intent on crime.

Questions 2 and 3 are refused under section 12(1) of the Act: the deployment records and invoices are held in
several systems and extracting them would exceed the appropriate limit of 18 hours.

The request is therefore refused.
Information Access Unit, Merseyside Police
""",
}


def write_drone_responses(target: Path) -> list[Path]:
    """Write the three responses under target/responses/ and return their paths."""
    folder = target / "responses"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in _RESPONSES.items():
        path = folder / name
        path.write_text(text.format(request=DRONE_REQUEST), encoding="utf-8")
        paths.append(path)
    return paths
