"""Hand-made corrections to the source lists, each with the reason it is needed."""
from __future__ import annotations

# Bodies the sources lack. (id, kind, display name, aliases, start, reason)
BODIES = [
    ("hand:surrey-fire-and-rescue-service", "fire", "Surrey Fire and Rescue Service", ["Surrey FRS"], "",
     "run by Surrey County Council, so WhatDoTheyKnow lists no separate body; FOI responses still carry its name"),
    ("hand:cumbria-fire-and-rescue-service", "fire", "Cumbria Fire and Rescue Service", [], "",
     "run by the county council (since 2023 by Westmorland and Furness Council); absent from WDTK's list"),
    ("hand:northumberland-fire-and-rescue-service", "fire", "Northumberland Fire and Rescue Service", [], "",
     "run by Northumberland County Council; absent from WDTK's list"),
    ("hand:isles-of-scilly-fire-and-rescue-service", "fire", "Isles of Scilly Fire and Rescue Service", [], "",
     "run by the Council of the Isles of Scilly; absent from WDTK's list"),
]

# Display names a caseworker expects, where the source's form is not it.
DISPLAY = {
    "wdtk:457": ("Dyfed-Powys Police", "WDTK drops the force's hyphen"),
    "wdtk:4503": ("London Fire Brigade",
                  "WDTK names the legal body, \"London Fire Commissioner (London Fire Brigade)\""),
    "wdtk:12777": ("Mayor's Office for Policing and Crime", "WDTK's name is longer than the office's own"),
    "govuk:the-scottish-government": ("Scottish Government", "the article is not part of the name in running text"),
}

# Names a body is known by that no source lists.
ALIASES = {
    "wdtk:29": (["Commissioner of Police of the Metropolis", "Commissioner of Police for the Metropolis",
                 "Commissioner of the Police of the Metropolis", "Commissioner of the Metropolitan Police",
                 "Commissioner of the Metropolitan Police Service", "Metropolitan Police Commissioner",
                 "Met Police", "Metropolitan Police", "Metropolitan Police Force", "New Scotland Yard"],
                "the Commissioner is the Met's legal name as a party in ICO notices and tribunal decisions; "
                "\"Met Police\" is how requesters write it; no source file has any of these"),
    "wdtk:457": (["Dyfed-Powys Police", "Heddlu Dyfed-Powys"], "the force's own spelling has a hyphen"),
    "wdtk:4503": (["London Fire Commissioner", "LFB", "London Fire and Emergency Planning Authority", "LFEPA"],
                  "the legal body behind the brigade, and the authority that ran it until 2018"),
    "wdtk:51570": (["Police Service of Scotland"], "its statutory name"),
    "govuk:bbc": (["British Broadcasting Corporation"], "GOV.UK knows the BBC only by its initials"),
    "govuk:home-office": (["Secretary of State for the Home Department", "Home Secretary", "SSHD"],
                          "the Home Office is a party under its Secretary of State's title"),
    "govuk:foreign-commonwealth-office": (["Secretary of State for Foreign and Commonwealth Affairs",
                                           "Foreign and Commonwealth Office"],
                                          "a party under its Secretary of State's title"),
    "govuk:cabinet-office": (["Minister for the Cabinet Office"], "a party under its minister's title"),
    "govuk:department-of-health-and-social-care": (["Department of Health", "DH", "DoH"],
                                                   "renamed in January 2018; GOV.UK has no record of the old name"),
    "govuk:ministry-of-housing-communities-local-government": (
        ["Department for Communities and Local Government", "DCLG", "Office of the Deputy Prime Minister"],
        "its names from 2001 to 2018, which GOV.UK's rename chain does not reach"),
    "govuk:ministry-of-justice": (["MoJ"], "the usual spelling of GOV.UK's \"MOJ\""),
    "govuk:ministry-of-defence": (["MoD"], "the usual spelling of GOV.UK's \"MOD\""),
    "govuk:welsh-government": (["Welsh Assembly Government", "Llywodraeth Cymru"],
                               "its name until 2011, still in tribunal records"),
    "govuk:the-scottish-government": (["Scottish Executive"], "its name until 2007"),
    "govuk:information-commissioner-s-office": (["Information Commissioner", "Data Protection Registrar",
                                                 "Data Protection Commissioner"],
                                                "the Commissioner, not the Office, is the statutory body; the "
                                                "Registrar (to 2000) and the Data Protection Commissioner (2000-1) "
                                                "were its earlier names, parties in early tribunal cases"),
    "govuk:hm-revenue-customs": (["Commissioners for Her Majesty's Revenue and Customs",
                                  "HM Commissioners for Revenue and Customs"],
                                 "HMRC's legal name as a party"),
    "govuk:attorney-generals-office": (["Attorney General"], "the office is a party under its minister's title"),
    "govuk:northern-ireland-council-for-the-curriculum-examinations-and-assessment": (
        ["Council for the Curriculum, Examinations and Assessment"], "how CCEA names itself"),
    "govuk:tate": (["Tate Gallery", "Board of Trustees of the Tate Gallery"], "its legal name as a party"),
    "govuk:local-government-ombudsman": (["Local Government Ombudsman", "LGO",
                                          "Commission for Local Administration in England"],
                                         "its name until 2017, and its statutory name"),
    "wdtk:1279": (["FOS"], "the usual initials of the Financial Ombudsman Service"),
    "la:GLA": (["GLA", "Mayor of London"], "its usual initials; the Mayor's FOI requests are answered by the GLA"),
    "govuk:nhs-england": (["NHS Commissioning Board"], "its legal name until 2023"),
    "govuk:ofsted": (["Office for Standards in Education", "Office for Standards in Education, Children's Services "
                      "and Skills"], "its statutory names"),
}

# Welsh names. mySociety lists none and WDTK only a few, yet Welsh bodies' letterheads and responses are
# bilingual. These are the bodies' own Welsh names.
WELSH = {
    "la:AGY": ["Cyngor Sir Ynys Môn"], "la:BGE": ["Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr"],
    "la:BGW": ["Cyngor Bwrdeistref Sirol Blaenau Gwent"], "la:CAY": ["Cyngor Bwrdeistref Sirol Caerffili"],
    "la:CMN": ["Cyngor Sir Gâr", "Cyngor Sir Caerfyrddin"], "la:CWY": ["Cyngor Bwrdeistref Sirol Conwy"],
    "la:DEN": ["Cyngor Sir Ddinbych"], "la:FLN": ["Cyngor Sir y Fflint"], "la:GWN": ["Cyngor Gwynedd"],
    "la:MTY": ["Cyngor Bwrdeistref Sirol Merthyr Tudful"],
    "la:NTL": ["Cyngor Bwrdeistref Sirol Castell-nedd Port Talbot"], "la:NWP": ["Cyngor Dinas Casnewydd"],
    "la:PEM": ["Cyngor Sir Penfro"], "la:POW": ["Cyngor Sir Powys"],
    "la:RCT": ["Cyngor Bwrdeistref Sirol Rhondda Cynon Taf"], "la:SWA": ["Cyngor Dinas a Sir Abertawe"],
    "la:TOF": ["Cyngor Bwrdeistref Sirol Torfaen"], "la:VGL": ["Cyngor Bro Morgannwg"],
    "la:WRX": ["Cyngor Bwrdeistref Sirol Wrecsam"],
    "wdtk:459": ["Heddlu Gogledd Cymru"], "wdtk:458": ["Heddlu Gwent"],
    "wdtk:3426": ["Gwasanaeth Tân ac Achub Canolbarth a Gorllewin Cymru"],
    "wdtk:5980": ["Gwasanaeth Tân ac Achub Gogledd Cymru"], "wdtk:3427": ["Gwasanaeth Tân ac Achub De Cymru"],
}

# Two source entries that are one body. (absorbed id, kept id, reason)
SAME = [
    ("wdtk:32", "govuk:bbc", "GOV.UK's title is the acronym, so the names share no key but the initials"),
    ("wdtk:683", "govuk:s4c", "GOV.UK's title is the acronym, so the names share no key but the initials"),
    ("wdtk:11979", "govuk:nhs-england", "the NHS Commissioning Board Authority was NHS England's shadow body"),
    ("wdtk:92266", "wdtk:3412", "the Buckinghamshire and Milton Keynes Fire Authority runs Buckinghamshire FRS"),
]

# Source entries left out. id -> reason
DROPPED = {
    "wdtk:1": "WDTK's test body", "wdtk:2": "WDTK's test body",
    "wdtk:88253": "a WDTK joke body", "wdtk:111043": "a WDTK joke body",
}

# Aliases a source gives that mislead. id -> (aliases, reason)
DROP_ALIASES = {
    "wdtk:985": (["MOD"], "the Directorate is part of the MoD; the initials name the Ministry"),
    "govuk:gangmasters-and-labour-abuse-authority": (["GLA"], "its initials before 2017 (now GLAA); in FOI "
                                                              "casework \"GLA\" is the Greater London Authority"),
    "wdtk:4742": (["PCC"], "closed in 2014; in FOI casework \"PCC\" is a police and crime "
                                                   "commissioner"),
    "wdtk:12072": (["APHA"], "in FOI casework APHA is the Animal and Plant Health Agency"),
    "wdtk:92434": (["GLA"], "a company's short name that would shadow the Greater London Authority"),
    "wdtk:88044": (["MET"], "Greater Brighton Metropolitan College's short name would shadow the Met"),
}

# Dates the WDTK list lacks, by kind and name: start is the first day, end the day the body ceased.
# (kind, name pattern, start, end, reason)
DATES = [
    ("police_authority", r"^(?!British Transport|Civil Nuclear|Scottish|Metropolitan).* Police Authority$", "",
     "2012-11-22", "police authorities in England and Wales gave way to PCCs on 22 November 2012"),
    ("police_authority", r"^Metropolitan Police Authority$", "", "2012-01-16", "replaced by MOPAC on 16 January 2012"),
    ("pcc", r"Commissioner$", "2012-11-22", "", "the first PCCs took office on 22 November 2012"),
    ("pcc", r"^Mayor's Office for Policing and Crime$", "2012-01-16", "", "MOPAC replaced the MPA"),
    ("police", r"^(?:Dumfries and Galloway Constabulary|Central Scotland Police|Fife Constabulary|Lothian and "
               r"Borders Police|Northern Constabulary|Strathclyde Police|Tayside Police|Grampian Police)$",
     "", "2013-04-01", "the eight Scottish forces merged into Police Scotland on 1 April 2013"),
    ("police", r"^Police Scotland$", "2013-04-01", "", "created 1 April 2013"),
    ("police_authority", r"Joint Police Board$|Police Board$|^Scottish Police Services Authority$", "",
     "2013-04-01", "abolished with the Scottish forces"),
    ("fire", r"^(?:Dumfries and Galloway Fire Brigade|Fife Fire and Rescue Service|Grampian Fire Board|Highlands "
             r"and Islands Fire and Rescue Service|Lothian and Borders Fire (?:Brigade|and Rescue Board)|"
             r"Strathclyde Fire Board|Central Scotland Fire Board|Tayside Fire and Rescue Board)$", "",
     "2013-04-01", "merged into the Scottish Fire and Rescue Service on 1 April 2013"),
    ("fire", r"^Scottish Fire and Rescue Service$", "2013-04-01", "", "created 1 April 2013"),
    ("fire", r"^(?:Dorset|Wiltshire) Fire and Rescue Service$", "", "2016-04-01", "merged into DWFRS"),
    ("fire", r"^Dorset & Wiltshire Fire and Rescue Service$", "2016-04-01", "", "created 1 April 2016"),
    ("fire", r"^(?:Hampshire|Isle of Wight) Fire and Rescue Service$", "", "2021-04-01", "merged into HIWFRS"),
    ("fire", r"^Hampshire and Isle of Wight Fire and Rescue Service$", "2021-04-01", "", "created 1 April 2021"),
    ("nhs", r"Clinical Commissioning Group$", "", "2022-07-01", "CCGs were abolished on 1 July 2022"),
    ("nhs", r"Integrated Care Board$", "2022-07-01", "", "ICBs were created on 1 July 2022"),
    ("nhs", r"Primary Care Trust$|Strategic Health Authority$", "", "2013-04-01", "abolished 1 April 2013"),
    ("regulator", r"^The Financial Services Authority$", "", "2013-04-01",
     "split into the FCA and PRA on 1 April 2013"),
]

# Integrated care boards (created 2022) exist in WDTK only as URL names, so their names are rebuilt from them.
ICB_URL = r"^nhs_(?P<area>[a-z_]+)_integrated_care_board$"
ICB_SMALL_WORDS = {"and", "of", "the", "on", "upon", "under"}
