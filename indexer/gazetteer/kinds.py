"""The kind of a public body, from its name (WhatDoTheyKnow has no type column) or its GOV.UK format."""
from __future__ import annotations

import re

KINDS = ("police", "police_authority", "pcc", "fire", "council", "national_park", "nhs", "central_government",
         "devolved_government", "legislature", "arms_length_body", "regulator", "court_tribunal", "university",
         "college", "public_corporation", "other")

# Left out of the gazetteer: 22,000 schools, GP and dental practices, and 3,000 parish, town and community
# councils. They are a third of WDTK's list each and would triple the table, while FOI precedents about them
# are rare; their names ("St Mary's Primary School", "Dr Pugh & Partners") also make poor aliases in text.
EXCLUDED = re.compile(
    r"\b(?:schools?|academy|academies|nursery|ysgol|infants?|juniors?|primary(?! care)|sixth form|"
    r"surgery|surgeries|(?:medical|dental|group|family) practice|dental|dentists?|dentistry|mydentist|"
    r"orthodontics?|pharmacy|chemists?|opticians?|optics|medical cent(?:re|er)|health cent(?:re|er)|"
    r"parish|town council|community council|neighbourhood (?:council|forum)|parish meeting|village|"
    r"cyngor (?:cymuned|tref)|care home|& partners|and partners)\b",
    re.IGNORECASE)

_RULES = [
    ("pcc", r"\b(?:police,? (?:fire )?and crime commissioner|police, fire and crime commissioner|mayor's office for "
            r"policing|deputy mayor for policing)\b|\b(?:PCC|OPCC|PFCC)\b"),
    ("police_authority", r"\bpolice authority$|\bpolice authority for\b|\bjoint police board$|\bpolice board$|"
                         r"^police authorities of wales$|^scottish police authority$"),
    ("fire", r"^(?!.*\b(?:ltd|limited|college|inspector|examinations|association|games|trading|solutions|safety|"
             r"risk|control|cic)\b).*\b(?:fire and rescue|fire & rescue|fire brigade|fire service|fire board|"
             r"fire commissioner|fire authority)\b"),
    ("police", r"^(?!.*\b(?:commissioner|panel|federation|association|council|fund|foundation|tribunal|ombudsman|"
               r"complaints|inspector|inspectorate|advisory|remuneration|negotiating|college|conduct|"
               r"investigations|games|"
               r"chiefs|company|ltd|limited|initiatives)\b).*\b(?:police|constabulary)(?: service| force)?"
               r"(?: \([^)]*\))?$|^police (?:scotland|service of northern ireland)\b"),
    ("national_park", r"\bnational park authority\b|^broads authority$"),
    ("regulator", r"\bregulat|^of[a-z]{2,5}$|\bombudsman\b|\binspectorate\b|\binspector of\b|\bcommissioner\b|"
                  r"care quality commission|charity commission|gambling commission|electoral commission|"
                  r"general (?:medical|dental|optical|pharmaceutical|chiropractic|osteopathic|teaching) council|"
                  r"nursing and midwifery council|health and care professions council|financial conduct authority|"
                  r"financial services authority|competition and markets|standards agency|human tissue authority|"
                  r"human fertilisation|security industry authority|health and safety executive|office of rail|"
                  r"royal college of veterinary surgeons|audit office|audit scotland|audit wales|"
                  r"accounts commission|professional standards authority|standards board"),
    ("nhs", r"\bnhs\b|\bhealth board\b|clinical commissioning group|\bccg\b|primary care trust|\bpct\b|"
            r"ambulance service|health and social care|health authority|\bcare trust\b|mental health|"
            r"hospitals? .*\btrust\b|health service|healthcare|integrated care board|public health (?:england|wales)"),
    ("university", r"\buniversit(?:y|ies)\b(?!.*technical college)|, (?:oxford|cambridge)$|"
                   r"^imperial college|^king's college london|school of (?:economics|hygiene|oriental)|"
                   r"^(?:birkbeck|goldsmiths)\b"),
    ("college", r"\bcollege\b(?!.*\b(?:of (?:surgeons|physicians|nursing|policing|veterinary)|royal college))"),
    ("court_tribunal", r"\bcoroner\b|\btribunals?\b|\bcourts? service\b|^the appeals service\b"),
    ("legislature", r"^house of (?:commons|lords)\b|^(?:scottish|welsh) parliament$|^senedd\b|"
                    r"^(?:national|northern ireland) assembly\b"),
    ("devolved_government", r"^(?:scottish|welsh) (?:government|executive|assembly government|ministers)$|"
                            r"^northern ireland (?:executive|office)\b|\(northern ireland\)$|"
                            r"^(?:llywodraeth cymru|welsh ministers)$"),
    ("council", r"\b(?:borough|district|county|city|metropolitan|unitary|islands?) council$|"
                r"^(?:london |royal )?borough of\b|\bcombined authority$|^cyngor (?:sir|bwrdeistref|dinas)\b|"
                r"^comhairle\b|\bcouncil of the isles of scilly$|^greater london authority$"),
    ("central_government", r"^(?:department (?:for|of)|ministry of|home office$|cabinet office$|hm treasury$|"
                           r"office of the (?:prime minister|attorney general|advocate general|secretary of state)|"
                           r"attorney general's office|government (?:legal|actuary)|crown prosecution service|"
                           r"(?:hm|her majesty's|his majesty's) )"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _RULES]

# GOV.UK `format` -> kind, before name rules refine it (regulators, NHS and devolved bodies hide in every format).
_GOVUK_FORMATS = {
    "Ministerial department": "central_government", "Non-ministerial department": "central_government",
    "Executive agency": "central_government", "Executive office": "central_government",
    "Sub organisation": "central_government", "Civil service": "central_government",
    "Executive non-departmental public body": "arms_length_body",
    "Advisory non-departmental public body": "arms_length_body", "Ad-hoc advisory group": "arms_length_body",
    "Independent monitoring body": "regulator", "Public corporation": "public_corporation",
    "Special health authority": "nhs", "Court": "court_tribunal", "Tribunal": "court_tribunal",
    "Devolved government": "devolved_government", "Other": "other",
}
# Which kinds a name may turn a format into: a ministerial department stays one even when its name says
# "Health and Social Care"; non-ministerial departments include the Ofsted/Ofgem/Ofwat regulators.
_REFINABLE = {"Ministerial department": set(), "Non-ministerial department": {"regulator"}}


def kind_from_name(name: str) -> str | None:
    """The kind a name suggests; None for bodies the gazetteer leaves out (schools, practices, parishes)."""
    if EXCLUDED.search(name):
        return None
    for kind, pattern in _COMPILED:
        if pattern.search(name):
            return kind
    return "other"


def kind_from_govuk(govuk_format: str, name: str) -> str:
    """A GOV.UK organisation's kind: its format, unless the name shows a regulator, NHS body, police force
    or devolved body that GOV.UK files as an NDPB or "Other"."""
    kind = _GOVUK_FORMATS.get(govuk_format, "other")
    by_name = kind_from_name(name)
    allowed = _REFINABLE.get(govuk_format)
    if by_name in (None, "other", "college", "council") or (allowed is not None and by_name not in allowed):
        return kind
    if kind in ("central_government", "arms_length_body", "other") or allowed:
        return by_name
    return kind
