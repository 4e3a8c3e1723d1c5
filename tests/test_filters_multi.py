"""Several values per filter (any of them matches) in the API, the OpenAPI document and the page; authority aliases."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from service.search.facets import FacetTable
from service.search.filters import DocTable, Filters


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.get_json()
    return {r["id"] for r in response.get_json()["results"]}


def _authorities(client) -> list[str]:
    facets = client.get("/api/search", query_string={"q": "", "per_page": 1}).get_json()["facets"]["authority"]
    return [f["value"] for f in facets]


def test_two_authorities_mean_either(client):
    first, second = _authorities(client)[:2]
    one = _ids(client.get("/api/search", query_string={"q": "information", "mode": "keyword", "per_page": 100,
                                                      "authority": first}))
    other = _ids(client.get("/api/search", query_string={"q": "information", "mode": "keyword", "per_page": 100,
                                                        "authority": second}))
    both = _ids(client.get("/api/search", query_string=[("q", "information"), ("mode", "keyword"), ("per_page", 100),
                                                        ("authority", first), ("authority", second)]))
    assert one and other and not one & other
    assert both == one | other


def test_listing_and_body_take_lists_too(client):
    types = client.get("/api/documents", query_string=[("doc_type", "tribunal_decision"),
                                                       ("doc_type", "decision_notice"), ("per_page", 100)]).get_json()
    assert {d["doc_type"] for d in types["documents"]} == {"tribunal_decision", "decision_notice"}
    body = {"text": "ministerial briefings on immigration detention policy " * 12, "k": 10}
    as_list = client.post("/api/similar", json={**body, "doc_type": ["decision_notice", "tribunal_decision"]})
    as_string = client.post("/api/similar", json={**body, "doc_type": "decision_notice"})
    assert as_list.status_code == as_string.status_code == 200
    assert {r["doc_type"] for r in as_string.get_json()["results"]} == {"decision_notice"}
    assert {r["doc_type"] for r in as_list.get_json()["results"]} <= {"decision_notice", "tribunal_decision"}


def test_a_bad_value_among_several_names_its_parameter(client):
    response = client.get("/api/search", query_string=[("q", "x"), ("doc_type", "tribunal_decision"),
                                                       ("doc_type", "memo")])
    assert response.status_code == 400 and "doc_type" in response.get_json()["error"]["details"]


def test_openapi_declares_repeatable_filters(client):
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["authority"]["schema"]["type"] == "array" and params["authority"]["explode"] is True
    body = spec["components"]["schemas"]["SimilarBody"]["properties"]["authority"]
    assert [variant.get("type") for variant in body["oneOf"]] == ["string", "array"]


def test_facet_link_adds_a_second_value_and_chips_remove_one(client):
    first, second = _authorities(client)[:2]
    html = client.get("/", query_string={"q": "", "authority": first}).get_data(as_text=True)
    links = [unescape(href) for href in re.findall(r'href="([^"]*authority=[^"]*)"', html)]
    adding = [parse_qs(urlsplit(link).query)["authority"] for link in links
              if parse_qs(urlsplit(link).query).get("authority") == [first, second]]
    assert adding, "the facet link of a second authority should keep the first one"
    both = client.get("/", query_string=[("q", ""), ("authority", first), ("authority", second)]).get_data(as_text=True)
    assert f'name="authority" value="{first}"' in unescape(both) and f'name="authority" value="{second}"' in unescape(both)
    assert unescape(both).count("Remove filter Authority") == 2


def test_aliases_of_one_body_filter_and_count_as_one():
    records = {
        "a": {"authority": "Commissioner of Police of the Metropolis"},
        "b": {"authority": "Metropolitan Police Service (MPS)"},
        "c": {"authority": "MPS"},
        "d": {"authority": "Kent Police"},
        "e": {"authority": "Parish Meeting of Nowhere In Particular"},
    }
    table = DocTable(records)
    met = table.mask(Filters(authority=("the Met",)))
    assert [doc_id for doc_id, hit in zip(table.ids, met, strict=True) if hit] == ["a", "b", "c"]
    counts = {f["value"]: f["count"] for f in FacetTable(table.records).counts(range(len(table)))["authority"]}
    assert counts == {"Metropolitan Police Service": 3, "Kent Police": 1, "Parish Meeting of Nowhere In Particular": 1}
