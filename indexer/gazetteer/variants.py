"""Name variants derived from a body's kind and place, so the table need not list every form writers use."""
from __future__ import annotations

import re

from indexer.gazetteer.table import Authority

# How forces, commissioners, fire services and councils are written around their place name ("{}").
_PLACE_FORMS = {
    "police": ["{} Police", "{} Police Service", "{} Police Force", "Chief Constable of {}",
               "Chief Constable of {} Police", "Chief Constable of {} Police Service", "Chief Officer of {} Police"],
    "pcc": ["{} PCC", "{} OPCC", "{} PFCC", "{} Police and Crime Commissioner",
            "{} Police, Fire and Crime Commissioner",
            "Police and Crime Commissioner for {}", "Police, Fire and Crime Commissioner for {}",
            "Office of the Police and Crime Commissioner for {}", "Office of the {} Police and Crime Commissioner",
            "Office of the Police, Fire and Crime Commissioner for {}", "OPCC for {}", "PCC for {}",
            "Office of the Police and Crime Commissioner {}", "{} Office of the Police and Crime Commissioner"],
    "police_authority": ["{} Police Authority"],
    "fire": ["{} Fire and Rescue Service", "{} Fire and Rescue Authority", "{} Fire and Rescue", "{} Fire Service",
             "{} Fire Brigade", "{} Fire Authority", "{} FRS"],
    "council": ["{} Council", "{} City Council", "{} Borough Council", "{} District Council", "{} County Council",
                "{} Metropolitan Borough Council", "{} Metropolitan District Council", "{} County Borough Council",
                "{} MBC", "{} Metropolitan Council", "Borough Council of {}", "{} London Borough Council",
                "London Borough of {}", "London Borough of {} Council",
                "Royal Borough of {}", "Borough of {}", "City of {} Council", "City and County of {}",
                "{} Unitary Authority"],
}
# Rewrites of any alias of a kind: (kind or "" for all, pattern, replacement).
_REWRITES = [
    ("", r"^HM (.+)$", r"Her Majesty's \1"),
    ("", r"^HM (.+)$", r"His Majesty's \1"),
    ("", r"^(?:Her|His) Majesty's (.+)$", r"HM \1"),
    ("", r"^(.*\w)['’]s\b(.*)$", r"\1s\2"),
    ("central_government", r"^(?:Department (?:for|of)|Ministry of) (?:the )?(.+)$", r"Secretary of State for \1"),
    ("central_government", r"^Department for (.+)$", r"Department of \1"),
    ("central_government", r"^Department of (.+)$", r"Department for \1"),
    ("university", r"^University of ([\w' -]+)$", r"\1 University"),
    ("university", r"^([\w' -]+) University$", r"University of \1"),
    ("university", r"^(.+), (?:Oxford|Cambridge)$", r"\1"),
    ("national_park", r"^(.+) National Park Authority$", r"\1 National Park"),
    ("national_park", r"^(.+) National Park Authority$", r"\1 NPA"),
    ("nhs", r"^(.+) NHS Foundation Trust$", r"\1 NHS Trust"),
    ("nhs", r"^(.+) NHS Trust$", r"\1 NHS Foundation Trust"),
    ("nhs", r"^(.+) NHS (Foundation )?Trust$", r"\1 \2Trust"),
    ("nhs", r"^NHS (.+) Clinical Commissioning Group$", r"\1 CCG"),
    ("nhs", r"^NHS (.+) Clinical Commissioning Group$", r"NHS \1 CCG"),
    ("nhs", r"^NHS (.+) Clinical Commissioning Group$", r"\1 Clinical Commissioning Group"),
    ("nhs", r"^NHS (.+) Integrated Care Board$", r"\1 Integrated Care Board"),
    ("police", r"^(.*\b(?:Police|Constabulary)\b.*)$", r"Chief Constable of \1"),
]
_COMPILED = [(kind, re.compile(pattern), replacement) for kind, pattern, replacement in _REWRITES]


def variants(authority: Authority) -> list[str]:
    """Forms of the body's name the sources do not list: "Chief Constable of Kent", "Police and Crime
    Commissioner for Essex", "Wokingham Council", "Secretary of State for Education", "Her Majesty's Treasury"."""
    found = [form.format(authority.place) for form in _PLACE_FORMS.get(authority.kind, ()) if authority.place]
    for name in (authority.name, *authority.aliases):
        for kind, pattern, replacement in _COMPILED:
            if kind in ("", authority.kind) and pattern.match(name):
                found.append(pattern.sub(replacement, name))
    return found
