"""The authority gazetteer on realistic strings: letterheads, ICO and tribunal party lines, council and Welsh names."""
from __future__ import annotations

import re

import pytest

from indexer.gazetteer import aliases, by_id, canonical, find, gazetteer, mask
from indexer.gazetteer.distil import distil, write_table
from indexer.gazetteer.kinds import KINDS
from indexer.gazetteer.table import TABLE_PATH, read_table

MET, BBC, HOME_OFFICE = "wdtk:29", "govuk:bbc", "govuk:home-office"

# The 43 territorial forces of England and Wales, Police Scotland, PSNI and BTP, by the names forces use.
FORCES = """Avon and Somerset Constabulary; Bedfordshire Police; Cambridgeshire Constabulary; Cheshire Constabulary;
City of London Police; Cleveland Police; Cumbria Constabulary; Derbyshire Constabulary; Devon and Cornwall Police;
Dorset Police; Durham Constabulary; Dyfed-Powys Police; Essex Police; Gloucestershire Constabulary;
Greater Manchester Police; Gwent Police; Hampshire Constabulary; Hertfordshire Constabulary; Humberside Police;
Kent Police; Lancashire Constabulary; Leicestershire Police; Lincolnshire Police; Merseyside Police;
Metropolitan Police Service; Norfolk Constabulary; North Wales Police; North Yorkshire Police; Northamptonshire Police;
Northumbria Police; Nottinghamshire Police; South Wales Police; South Yorkshire Police; Staffordshire Police;
Suffolk Constabulary; Surrey Police; Sussex Police; Thames Valley Police; Warwickshire Police; West Mercia Police;
West Midlands Police; West Yorkshire Police; Wiltshire Police; Police Scotland; Police Service of Northern Ireland;
British Transport Police"""


def _id(name: str, on: str | None = None) -> str | None:
    authority = canonical(name, on=on)
    return authority.id if authority else None


def test_committed_table_is_compact_credited_and_well_formed():
    text = TABLE_PATH.read_text(encoding="utf-8")
    assert TABLE_PATH.stat().st_size < 1_000_000
    for credit in ("CC BY 4.0", "CC BY-SA 4.0", "Open Government Licence v3.0"):
        assert credit in text
    rows = read_table()
    assert len(rows) > 5000
    assert len({row.id for row in rows}) == len(rows)
    assert {row.kind for row in rows} <= set(KINDS)
    assert all(re.fullmatch(r"(la|wdtk|govuk|hand):[\w-]+", row.id) for row in rows)


@pytest.mark.parametrize("force", [name.strip() for name in FORCES.split(";")])
def test_every_territorial_force_resolves_to_a_police_force(force):
    authority = canonical(force)
    assert authority is not None and authority.kind == "police"
    assert canonical(f"The Chief Constable of {force}") == authority


@pytest.mark.parametrize(("name", "expected"), [
    ("Gloucestershire Constabulary", "wdtk:485"),
    ("Gloucestershire Police", "wdtk:485"),
    ("Cheshire Police", "wdtk:492"),
    ("Cheshire Constabulary", "wdtk:492"),
    ("Metropolitan Police Service (MPS)", MET),
    ("Commissioner of Police of the Metropolis", MET),
    ("Commissioner of Police for the Metropolis", MET),
    ("Public Authority: Commissioner of the Metropolitan Police Service", MET),
    ("the Met", MET),
    ("MPS", MET),
    ("Met Police", MET),
    ("THE CHIEF CONSTABLE OF WEST YORKSHIRE POLICE", "wdtk:1272"),
    ("The Chief Constable of Sussex", "wdtk:495"),
    ("Chief Constable of Thames Valley Police", "wdtk:466"),
    ("Dyfed Powys Police", "wdtk:457"),
    ("Heddlu Dyfed-Powys", "wdtk:457"),
    ("Heddlu De Cymru", "wdtk:460"),
    ("BBC", BBC),
    ("The British Broadcasting Corporation", BBC),
    ("Home Office", HOME_OFFICE),
    ("The Home Office", HOME_OFFICE),
    ("Secretary of State for the Home Department", HOME_OFFICE),
    ("Department For Education (DFE)", "govuk:department-for-education"),
    ("Department for Communities and Local Government", "govuk:ministry-of-housing-communities-local-government"),
    ("DLUHC", "govuk:ministry-of-housing-communities-local-government"),
    ("Independent Police Complaints Commission", "govuk:independent-office-for-police-conduct"),
    ("Welsh Assembly Government", "govuk:welsh-government"),
    ("Llywodraeth Cymru", "govuk:welsh-government"),
    ("West Midlands Fire Service", "wdtk:3394"),
    ("West Midlands Fire and Rescue Service", "wdtk:3394"),
    ("London Fire & Emergency Planning Authority", "wdtk:4503"),
    ("Dartmoor National Park Authority", "govuk:dartmoor-national-park-authority"),
    ("Kings College London", "wdtk:519"),
])
def test_names_in_the_wild_resolve_to_one_body(name, expected):
    assert _id(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Wokingham Council", "la:WOK"),
    ("Wokingham Borough Council", "la:WOK"),
    ("Wokingham UA", "la:WOK"),
    ("Rotherham MBC", "la:ROT"),
    ("London Borough Of Barking and Dagenham Council", "la:BDG"),
    ("Royal Borough\nof Kingston upon Thames", "la:KTT"),
    ("Borough Council of King's Lynn and West Norfolk", "la:KIN"),
    ("Cyngor Caerdydd", "la:CRF"),
    ("Cyngor Sir Ynys Môn", "la:AGY"),
    ("North Yorkshire County Council", "la:NYK"),
    ("North Yorkshire Council", "la:NYE"),
    ("Buckinghamshire County Council", "la:BKM"),
])
def test_council_variants(name, expected):
    assert _id(name) == expected


def test_display_names_are_what_a_caseworker_expects():
    assert canonical("MPS").name == "Metropolitan Police Service"
    assert canonical("The Home Office").name == "Home Office"
    assert canonical("Wokingham Council").name == "Wokingham Borough Council"
    assert canonical("West Midlands Fire and Rescue Service").name == "West Midlands Fire Service"
    assert canonical("Dyfed Powys Police").name == "Dyfed-Powys Police"


def test_a_commissioner_is_the_pcc_not_the_force():
    pcc = canonical("Police and Crime Commissioner for North Yorkshire")
    assert pcc.kind == "pcc" and pcc.place == "North Yorkshire"
    assert canonical("North Yorkshire Police").kind == "police"
    assert canonical("Office of the Police and Crime Commissioner for Kent").id == canonical("Kent PCC").id


def test_a_name_two_councils_share_is_resolved_by_the_document_date_or_left_open():
    assert _id("Somerset District Council") is None
    assert _id("Somerset District Council", on="2020-05-01") == "la:SOM"
    assert _id("Somerset District Council", on="2024-01-01") == "la:SMT"


@pytest.mark.parametrize("name", ["Kent", "Mr Kent", "Office", "Police", "the Council", "Council", "County Council",
                                  "NHS Trust", "Met", "MPs", "mps", "", "   ", "Commission of the European Communities",
                                  "Melbourn Parish Council", "St Mary's Primary School"])
def test_generic_words_people_and_left_out_bodies_do_not_resolve(name):
    assert canonical(name) is None


def test_find_reads_a_letterhead_with_offsets():
    letter = ("Freedom of Information Unit\nGloucestershire Constabulary\nPolice Headquarters, No.1 Waterwells\n\n"
              "Provision of information held by Gloucestershire Constabulary\nDear Requester,")
    mentions = find(letter)
    assert [mention.authority.id for mention in mentions] == ["wdtk:485", "wdtk:485"]
    assert all(letter[mention.start:mention.end] == mention.text for mention in mentions)
    assert find(letter, limit_chars=60)[0].start == mentions[0].start and len(find(letter, limit_chars=60)) == 1


def test_find_in_an_ico_notice_and_a_tribunal_party_line():
    notice = ("Decision notice\nDate: 18 March 2026\nPublic Authority: Commissioner of the Metropolitan Police "
              "Service\nAddress: New Scotland Yard\nVictoria Embankment\nLondon SW1A 2JL")
    assert {mention.authority.id for mention in find(notice)} == {MET}
    parties = "BETWEEN\nJOHN SMITH\nAppellant\nand\nTHE INFORMATION COMMISSIONER\nFirst Respondent\n" \
              "THE CHIEF CONSTABLE OF WEST YORKSHIRE POLICE\nSecond Respondent"
    found = [(mention.text, mention.authority.id) for mention in find(parties)]
    assert ("CHIEF CONSTABLE OF WEST YORKSHIRE POLICE", "wdtk:1272") in found
    assert ("INFORMATION COMMISSIONER", "govuk:information-commissioner-s-office") in found


def test_find_prefers_the_longest_name_and_stops_at_sentence_ends():
    assert [m.authority.kind for m in find("The Kent Police Authority met in 2010.")] == ["police_authority"]
    assert [m.authority.kind for m in find("A request to the Police and Crime Commissioner for Kent")] == ["pcc"]
    assert [m.text for m in find("I wrote to Kent Police. Authority was refused.")] == ["Kent Police"]
    assert [m.text for m in find("He asked St. Helens Council.")] == ["St. Helens Council"]


def test_find_ignores_lookalikes():
    text = ("MPs asked questions. See EA/2010/0012 and PO Box 12. Mr Kent said the Office, the Police and the "
            "Council had the information, the Commissioner said; Met with staff. Our apex was the army.")
    assert find(text) == []
    assert [m.authority.id for m in find("The MPS and the Met and BBC replied.")] == [MET, MET, BBC]
    justice = "govuk:ministry-of-justice"
    assert [m.authority.id for m in find("The MoJ, the MOJ and the Ministry of Justice")] == [justice] * 3
    assert all(m.initials for m in find("The MoJ and the MOJ"))


def test_ambiguous_initials_keep_their_candidates():
    [mention] = find("The FSA replied.")
    assert mention.authority is None and len(mention.candidates) == 2


def test_mask_makes_the_same_question_to_two_forces_equal():
    first = mask("Has Gloucestershire Constabulary deployed live facial recognition?")
    second = mask("Has the Metropolitan Police deployed live facial recognition?")
    assert first == second == "Has AUTHORITY deployed live facial recognition?"
    welsh = mask("Has Heddlu Dyfed-Powys deployed live facial recognition?")
    assert welsh == first


def test_mask_only_the_given_bodies():
    text = "Please tell me how often the Met shared data with the Home Office."
    assert mask(text, [by_id(MET)]) == "Please tell me how often AUTHORITY shared data with the Home Office."
    assert mask(text) == "Please tell me how often AUTHORITY shared data with AUTHORITY."


def test_aliases_list_the_names_a_body_goes_by():
    met = aliases(by_id(MET))
    assert met[0] == "Metropolitan Police Service"
    for name in ("Commissioner of Police of the Metropolis", "MPS", "the Met", "Chief Constable of Metropolitan"):
        assert name in met
    assert "British Broadcasting Corporation" in aliases(by_id(BBC))


def test_find_is_fast_enough_to_call_per_document():
    text = ("The requester asked Kent County Council, the Home Office and Sussex Police for the data. " * 250)[:20_000]
    mentions = find(text)
    assert len(mentions) > 600 and {m.authority.id for m in mentions} == {"la:KEN", HOME_OFFICE, "wdtk:495"}
    assert gazetteer().index


@pytest.mark.realdata
def test_distilling_again_gives_the_committed_bytes(shared_dir, tmp_path):
    out = tmp_path / "authorities.tsv"
    write_table(distil(shared_dir / "labels" / "authorities"), out)
    assert out.read_bytes() == TABLE_PATH.read_bytes()


@pytest.mark.realdata
def test_every_force_in_the_shared_readme_resolves_to_its_wdtk_body(shared_dir):
    readme = (shared_dir / "labels" / "authorities" / "README.md").read_text(encoding="utf-8")
    listed = " ".join(readme.split("with these WDTK IDs:", 1)[1].split("Short names", 1)[0].split())
    forces = [re.match(r"(\d+) (.+)", item.strip().rstrip(".")).groups() for item in listed.split(";")]
    assert len(forces) == 46
    for wdtk_id, names in forces:
        # "29 Metropolitan Police Service (MPS) (the Met)", "457 Dyfed Powys Police / Heddlu Dyfed-Powys"
        variants = [re.sub(r"\s*\([^)]*\)", "", part) for part in names.split(" / ")]
        variants += re.findall(r"\(([^)]+)\)", names)
        for variant in variants:
            assert canonical(variant.strip()) == by_id(f"wdtk:{wdtk_id}"), variant
