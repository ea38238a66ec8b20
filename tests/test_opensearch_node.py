"""The run's OpenSearch node answers opensearch-py: a document indexed is found, and the
distribution has what the engine relies on (and lacks what it must not rely on)."""
from __future__ import annotations

import pytest

from cluster.distribution import VERSION
from tests.opensearch_nodes import client, index_name

pytestmark = pytest.mark.opensearch


@pytest.fixture
def search(opensearch_url):
    return client(opensearch_url)


@pytest.fixture
def index(search):
    name = index_name("node")
    search.indices.create(index=name, body={"mappings": {"properties": {
        "words": {"type": "text", "analyzer": "whitespace"},
        "text": {"type": "wildcard"},
        "agency": {"type": "keyword"},
        "year": {"type": "integer"},
    }}})
    yield name
    search.indices.delete(index=name, ignore_unavailable=True)


DOCUMENTS = [
    {"words": "政府 信息 公开 工作 年度 报告", "text": "政府信息公开工作年度报告", "agency": "海东市商务局", "year": 2023},
    {"words": "依 申请 公开 政府 信息", "text": "依申请公开政府信息", "agency": "西宁市教育局", "year": 2022},
    {"words": "主动 公开 信息", "text": "主动公开信息", "agency": "海东市商务局", "year": 2022},
]


def put(search, index):
    for number, document in enumerate(DOCUMENTS):
        search.index(index=index, id=str(number), body=document)
    search.indices.refresh(index=index)


def ids(answer) -> list[str]:
    return sorted(hit["_id"] for hit in answer["hits"]["hits"])


def test_the_node_is_the_pinned_version_over_plain_http(search):
    assert search.info()["version"]["number"] == VERSION


def test_a_document_indexed_is_found_by_its_words(search, index):
    search.index(index=index, id="a", body=DOCUMENTS[0], refresh=True)
    answer = search.search(index=index, body={"query": {"match": {"words": "年度"}}})
    assert ids(answer) == ["a"]
    assert answer["hits"]["hits"][0]["_source"]["agency"] == "海东市商务局"
    assert search.search(index=index, body={"query": {"match": {"words": "预算"}}})["hits"]["total"]["value"] == 0


def test_phrases_substrings_and_exclusions(search, index):
    put(search, index)
    phrase = {"match_phrase": {"words": "政府 信息"}}
    assert ids(search.search(index=index, body={"query": phrase})) == ["0", "1"]
    substring = {"wildcard": {"text": {"value": "*信息公*"}}}
    assert ids(search.search(index=index, body={"query": substring})) == ["0"]
    excluded = {"bool": {"must": [{"match": {"words": "公开"}}], "must_not": [{"term": {"agency": "西宁市教育局"}}]}}
    assert ids(search.search(index=index, body={"query": excluded})) == ["0", "2"]


def test_facet_counts_with_post_filter_and_filter_aggregations(search, index):
    put(search, index)
    body = {
        "query": {"match": {"words": "公开"}},
        "post_filter": {"term": {"year": 2022}},
        "aggs": {
            "agencies": {"filter": {"term": {"year": 2022}},
                         "aggs": {"names": {"terms": {"field": "agency"}}}},
            "years": {"terms": {"field": "year"}},
            "two": {"filters": {"filters": {"haidong": {"term": {"agency": "海东市商务局"}},
                                            "xining": {"term": {"agency": "西宁市教育局"}}}}},
        },
    }
    answer = search.search(index=index, body=body)
    assert ids(answer) == ["1", "2"]                       # the post_filter narrows the hits only
    aggregations = answer["aggregations"]
    assert {b["key"]: b["doc_count"] for b in aggregations["years"]["buckets"]} == {2022: 2, 2023: 1}
    assert {b["key"]: b["doc_count"] for b in aggregations["agencies"]["names"]["buckets"]} == \
        {"海东市商务局": 1, "西宁市教育局": 1}
    assert {k: v["doc_count"] for k, v in aggregations["two"]["buckets"].items()} == {"haidong": 2, "xining": 1}


def test_an_alias_moves_to_a_new_index_in_one_step(search, index):
    put(search, index)
    alias, newer = index_name("alias"), index_name("newer")
    search.indices.create(index=newer)
    try:
        search.indices.update_aliases(body={"actions": [{"add": {"index": index, "alias": alias}}]})
        assert search.search(index=alias)["hits"]["total"]["value"] == 3
        search.indices.update_aliases(body={"actions": [{"add": {"index": newer, "alias": alias}},
                                                        {"remove_index": {"index": index}}]})
        assert list(search.indices.get_alias(name=alias)) == [newer]
        assert not search.indices.exists(index=index)
    finally:
        search.indices.delete(index=newer, ignore_unavailable=True)


@pytest.mark.parametrize("request_", [
    {"tokenizer": "ngram", "text": "政府"},
    {"tokenizer": "whitespace", "text": "政府"},             # the whitespace *analyzer* is core, the tokenizer not
    {"tokenizer": "standard", "filter": ["cjk_bigram"], "text": "政府"},
], ids=["ngram-tokenizer", "whitespace-tokenizer", "cjk_bigram-filter"])
def test_the_minimal_distribution_has_no_analysis_common(search, request_):
    # The engine must not count on these until the distribution grows them (README.md says how).
    from opensearchpy.exceptions import RequestError

    with pytest.raises(RequestError, match="failed to find global"):
        search.indices.analyze(body=request_)
