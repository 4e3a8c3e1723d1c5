"""Same-request clusters computed by the build (request_clusters.json) against the matcher's walk on demand."""
from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

from config import load_config
from indexer.request_clusters import CLUSTERS_FILE, write_request_clusters
from indexer.request_file import RequestFile
from indexer.request_index import INDEX_FILES, write_request_index
from indexer.same_request import RequestMatcher
from service.search.same_request import SameRequestIndex
from tests.test_same_request import FACIAL, RETROSPECTIVE, _record, _request


def _on_demand(reader, config) -> RequestMatcher:
    return RequestMatcher(RequestFile(reader.path), reader.documents, config)


def _assert_same_clusters(stored: SameRequestIndex, walked: RequestMatcher) -> set[str]:
    """Every document's cluster and every cluster's members agree; returns the cluster ids."""
    assert stored.stored is not None
    names = set()
    for doc_id in walked.position:
        assert stored.cluster_of(doc_id) == walked.cluster_of(doc_id), doc_id
        names.add(walked.cluster_of(doc_id))
    names.discard(None)
    assert names == set(stored.members)
    for name in names:
        assert stored.cluster(name) == walked.cluster(name), name
    return names


def test_the_build_stores_the_clusters_the_matcher_finds_on_demand(reader, index_config):
    config = load_config(index_config)
    assert (reader.path / CLUSTERS_FILE).is_file()
    names = _assert_same_clusters(SameRequestIndex(reader, config), _on_demand(reader, config))
    drones = SameRequestIndex(reader, config).cluster_of("responses-merseyside-police-drones")
    assert drones in names and len(SameRequestIndex(reader, config).cluster(drones)) == 3
    assert SameRequestIndex(reader, config).cluster("req-no-such-document") == []


def test_a_generation_without_the_table_names_clusters_on_demand(reader, index_config, tmp_path):
    config = load_config(index_config)
    for name in INDEX_FILES:
        shutil.copy(reader.path / name, tmp_path / name)
    older = SimpleNamespace(path=tmp_path, documents=reader.documents)
    index = SameRequestIndex(older, config)
    assert index.stored is None
    stored = SameRequestIndex(reader, config)
    for doc_id in index.position:
        assert index.cluster_of(doc_id) == stored.cluster_of(doc_id)
    drones = index.cluster_of("responses-merseyside-police-drones")
    assert drones is not None and index.cluster(drones) == stored.cluster(drones)


def test_a_table_built_under_other_settings_is_not_used(reader, index_config):
    strict = load_config({**index_config, "same_request_threshold": 0.99})
    index = SameRequestIndex(reader, strict)
    assert index.stored is None
    assert index.cluster_of("responses-merseyside-police-drones") == _on_demand(reader, strict).cluster_of(
        "responses-merseyside-police-drones")


def test_excerpts_join_their_fullest_match_and_every_build_recomputes(tmp_path):
    config = load_config(env={})
    records = [_record(f"force-{name}", f"{name.title()} Police", _request(f"{name.title()} Police"))
               for name in ("kent", "essex", "surrey")]
    records += [_record("excerpt", "Dorset Police", _request("Dorset Police", FACIAL[:3]) + "\n3. How many were"),
                _record("other", "Sussex Police", RETROSPECTIVE.format(body="Sussex Police"))]
    reader = SimpleNamespace(path=tmp_path, documents={record["id"]: record for record in records})
    write_request_index(tmp_path, records)
    write_request_clusters(tmp_path, config)
    stored = SameRequestIndex(reader, config)
    _assert_same_clusters(stored, _on_demand(reader, config))
    assert stored.cluster("req-force-essex") == ["excerpt", "force-essex", "force-kent", "force-surrey"]
    assert stored.cluster_of("other") is None
    # Essex now asks another request: the next build's table moves it out of the cluster, which Kent now names.
    records[1] = _record("force-essex", "Essex Police", RETROSPECTIVE.format(body="Essex Police"))
    write_request_index(tmp_path, records, tmp_path)
    write_request_clusters(tmp_path, config)
    table = json.loads((tmp_path / CLUSTERS_FILE).read_text(encoding="utf-8"))["clusters"]
    assert table["force-surrey"] == "req-force-kent" and table["force-essex"] == table["other"] == "req-force-essex"
    _assert_same_clusters(SameRequestIndex(reader, config), _on_demand(reader, config))
