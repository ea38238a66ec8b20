"""The query language: each operator, junk, hostile and very long input; aliases; recall."""
import json
import random
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from index.analysis import JiebaTokenizer, bigram_terms, domain_words
from index.documents import searchable_text
from config.settings import DEFAULTS
from index.folding import compact
from search.aliases import agency_pattern, load_aliases, matching_agencies
from search.whoosh.engine import search
from search.query import (
    ParsedQuery, contains, parse, resolve,
)
from search.whoosh.ranking import rank_query
from search.whoosh.verbatim import covering_offsets, verbatim_docs
from search.request import MAX_QUERY_CHARS, SearchRequest
from tests.searchdata import CORPUS

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("text, groups, excluded", [
    ("行政复议", [["行政复议"]], []),
    ("行政复议 诉讼", [["行政复议"], ["诉讼"]], []),
    ("行政复议\u3000\t诉讼", [["行政复议"], ["诉讼"]], []),
    ('"依申请 公开" 件', [["依申请 公开"], ["件"]], []),
    ("“三安全一稳定” 「国家秘密」 『公开』", [["三安全一稳定"], ["国家秘密"], ["公开"]], []),
    ("公开 -驳回", [["公开"]], ["驳回"]),
    ('公开 -"不予 公开"', [["公开"]], ["不予 公开"]),
    ("复议 OR 诉讼", [["复议", "诉讼"]], []),
    ("复议 OR 诉讼 OR 申请 公开", [["复议", "诉讼", "申请"], ["公开"]], []),
    ("ＰＤＦ　申请", [["pdf"], ["申请"]], []),
])
def test_operators(text, groups, excluded):
    parsed = parse(text)
    assert [list(g) for g in parsed.groups] == groups
    assert list(parsed.excluded) == excluded


@pytest.mark.parametrize("text, groups, excluded", [
    # Anything that is not one of our operators is literal text.
    ("heading:x body:", [["heading:x"], ["body:"]], []),
    ("* ? ( ) [ ] { } ~ ^ \\", [[c] for c in "*?()[]{}~^\\"], []),
    ("公开 AND 申请 NOT 复议", [["公开"], ["and"], ["申请"], ["not"], ["复议"]], []),
    ("OR 公开", [["or"], ["公开"]], []),
    ("公开 OR", [["公开"], ["or"]], []),
    ("公开 OR -驳回", [["公开"], ["or"]], ["驳回"]),
    ("or 小写", [["or"], ["小写"]], []),
    ("- 公开", [["-"], ["公开"]], []),
    ("--公开", [], ["-公开"]),
    ("2019-2023", [["2019-2023"]], []),
    ('"未闭合的引号', [["未闭合的引号"]], []),
    ('""', [], []),
    ("abc\"def\"", [["abc"], ["def"]], []),
    ("'; DROP TABLE reports; --", [["';"], ["drop"], ["table"], ["reports;"]], ["-"]),
])
def test_junk_is_literal(text, groups, excluded):
    parsed = parse(text)
    assert [list(g) for g in parsed.groups] == groups
    assert list(parsed.excluded) == excluded


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x7f", "\u200b", None, 12345])
def test_empty_or_odd_input_never_raises(text):
    parsed = parse(text)
    assert isinstance(parsed, ParsedQuery)


def test_empty():
    assert parse("  ").empty
    assert parse("-x").empty is False
    assert parse("x").terms == ["x"]


def test_very_long_input_is_capped():
    parsed = parse("公开" * 10_000)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert parsed.terms == ["公开" * (MAX_QUERY_CHARS // 2)]
    many = parse(" ".join(f"词{i}" for i in range(100)) + " -不要")
    assert len(many.terms) == DEFAULTS.max_terms and many.excluded == ()


def test_terms_are_unique_in_query_order():
    assert parse("申请 公开 申请 复议 OR 公开").terms == ["申请", "公开", "复议"]


def test_compact_and_contains_are_whitespace_width_and_case_blind():
    assert compact(" Ｐ Ｄ\nＦ 申请 ") == "pdf申请"
    assert contains("行政\n诉讼案件", "行政诉讼")
    assert contains("本年 PDF 文件", "pdf文件")
    assert not contains("行政复议", "行政诉讼")
    assert not contains("任何文本", "   ")


def test_verbatim_bigrams_and_rank_queries_are_built_by_hand():
    analyzer = JiebaTokenizer(domain_words())
    assert bigram_terms("行政复议") == ["行政", "政复", "复议"]
    assert bigram_terms("行政 复\n议") == ["行政", "政复", "复议"]
    assert bigram_terms("诉") == ["诉"]
    assert bigram_terms("ＰＤ") == ["pd"]
    compiled = rank_query(parse("行政复议 OR 诉 -驳回").terms, analyzer)
    assert compiled == wq.Or([
        wq.Term("text", "行政复议"), wq.Term("title", "行政复议", boost=2.0),
        wq.Term("agency_text", "行政复议", boost=1.5), wq.Term("tables_text", "行政复议", boost=0.2),
        wq.Term("text", "诉"), wq.Term("title", "诉", boost=2.0), wq.Term("agency_text", "诉", boost=1.5),
        wq.Term("tables_text", "诉", boost=0.2)])
    phrase = rank_query(parse("依法 公开 信息").terms, analyzer)
    assert rank_query(parse("依法公开信息").terms, analyzer).subqueries[-1] == wq.Phrase(
        "text", ["依法", "公开", "信息"], boost=2.0)
    assert len(phrase.subqueries) == 12
    assert rank_query(parse("").terms, analyzer) is None
    assert rank_query(parse("-驳回").terms, analyzer) is None


def test_accepts_checks_groups_exclusions_and_agency_names():
    compiled = resolve(parse("工信局 OR 发改委 申请 -驳回"),
                       agencies=["青山市工业和信息化局", "青山市商务局"])
    assert compiled.term_agencies == {"工信局": frozenset({"青山市工业和信息化局"})}
    assert compiled.accepts("收到申请3件", "青山市工业和信息化局")
    assert compiled.accepts("工信局收到申\n请3件", "青山市商务局")
    assert not compiled.accepts("收到申请3件", "青山市商务局")
    assert not compiled.accepts("收到申请3件，驳回1件", "青山市工业和信息化局")
    by_name = resolve(parse("商务局 申请 -信息化"),
                      agencies=["青山市工业和信息化局", "青山市商务局"])
    assert by_name.term_agencies == {"商务局": frozenset({"青山市商务局"})}
    assert by_name.accepts("收到申请3件", "青山市商务局")
    assert not by_name.accepts("收到申请3件", "青山市工业和信息化局")


# --- aliases ---------------------------------------------------------------------------

AGENCIES = [
    "青山市工业和信息化局", "青山市经济和信息化局", "青山市发展和改革委员会",
    "绿水县人力资源和社会保障局", "绿水县住房和城乡建设局", "白云区卫生健康委员会",
    "青山市市场监督管理局", "青山市自然资源和规划局", "青山市自然资源局", "青山市教育体育局",
    "青山市生态环境局绿水分局", "青山市商务局",
]


@pytest.mark.parametrize("term, expected", [
    ("工信局", ["青山市工业和信息化局", "青山市经济和信息化局"]),
    ("青山市工信局", ["青山市工业和信息化局", "青山市经济和信息化局"]),
    ("青山工信局", ["青山市工业和信息化局", "青山市经济和信息化局"]),
    ("绿水工信局", []),
    ("发改委", ["青山市发展和改革委员会"]),
    ("人社局", ["绿水县人力资源和社会保障局"]),
    ("住建局", ["绿水县住房和城乡建设局"]),
    ("卫健委", ["白云区卫生健康委员会"]),
    ("市监局", ["青山市市场监督管理局"]),
    ("自然资源局", ["青山市自然资源和规划局", "青山市自然资源局"]),
    ("生态环境局", ["青山市生态环境局绿水分局"]),
    ("教体局", ["青山市教育体育局"]),
    ("商务局", []),            # not an abbreviation: matched as text only
    ("申请", []),
])
def test_aliases_expand_to_full_names(term, expected):
    assert matching_agencies(term, AGENCIES) == expected


def test_alias_file_is_data(tmp_path):
    aliases = load_aliases()
    for abbreviation in ("工信局", "发改委", "人社局", "住建局", "卫健委", "市监局", "自然资源局",
                         "生态环境局", "教体局"):
        assert abbreviation in aliases
    extra = tmp_path / "aliases.tsv"
    extra.write_text("# comment\n\n商局\t商务 局\n", encoding="utf-8")
    assert load_aliases(extra) == {"商局": ("商务 局",)}
    assert matching_agencies("商局", AGENCIES, load_aliases(extra)) == ["青山市商务局"]
    assert agency_pattern("申请", load_aliases(extra)) is None
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_aliases(bad)


# --- against an index: operators, hostile input, verbatim recall ----------------------

@pytest.fixture(scope="module")
def handle(search_index):
    return search_index.open()


def _found(handle, text, **params):
    results = search(handle, SearchRequest(query=text, page_size=100, **params))
    return {(hit.report_id, hit.section) for hit in results.hits}, results


def _brute(predicate):
    """Sections whose text, or whose agency's name, satisfies `predicate`."""
    return {(f"{r.agency}-{r.year}", s.key) for r in CORPUS for s in r.sections
            if predicate(s.text.replace("\n", ""), r.agency)}


@pytest.mark.parametrize("text, predicate", [
    ("政策解读", lambda t, a: "政策解读" in t),
    ("公开 申请", lambda t, a: "公开" in t and "申请" in t),
    ("复议 OR 诉讼", lambda t, a: "复议" in t or "诉讼" in t),
    ("公开 -申请", lambda t, a: "公开" in t and "申请" not in t),
    ('"国家 秘密"', lambda t, a: "国家秘密" in t),
    ("行政诉讼", lambda t, a: "行政诉讼" in t),
    ("-公开", lambda t, a: "公开" not in t),
    ("12", lambda t, a: "12" in t),
    ("公", lambda t, a: "公" in t),
    ("件。", lambda t, a: "件。" in t),
    # Agency names match too: every hit shows its agency.
    ("青山市", lambda t, a: "青山市" in t or "青山市" in a),
    ("住房 公开", lambda t, a: ("住房" in t or "住房" in a) and "公开" in t),
    ("申请 -绿水县", lambda t, a: "申请" in t and "绿水县" not in t and "绿水县" not in a),
])
def test_operators_against_brute_force(handle, text, predicate):
    found, results = _found(handle, text)
    assert found == _brute(predicate)
    assert results.total == len(found)


def _everything(text, agency):
    return True


@pytest.mark.parametrize("text, predicate", [
    # Literal text the corpus does not hold: nothing.
    *[(text, lambda t, a: False) for text in (
        "heading:x", "body:", "*", "?", "\\", "AND", "NOT", "OR", "-", "🙂", "${jndi:ldap://x}", "%s%n",
        "<script>alert(1)</script>")],
    # Literal text it does hold: the <script> payload's brackets.
    ("(", lambda t, a: "(" in t),
    (")", lambda t, a: ")" in t),
    # Nothing left to look for (quotes alone, control or surrogate characters): every section.
    *[(text, _everything) for text in ('"', "“", '"' * 301, "\x00", "\ud800")],
    # Excluding "-", which no section holds: every section.
    ("--", lambda t, a: "-" not in t),
    ("-" * 300, lambda t, a: "-" * 199 not in t),                 # cut to 200 characters
    ("' OR 1=1 --", lambda t, a: ("'" in t or "1=1" in t) and "-" not in t),
    ("A" * 5000, lambda t, a: "a" * 200 in t.lower()),            # cut to 200 characters
    ("公开 " * 500, lambda t, a: "公开" in t),
    ("\u202e公开", lambda t, a: "公开" in t),                     # the direction mark is dropped
])
def test_hostile_input_answers_what_it_asks_without_raising(handle, text, predicate):
    found, results = _found(handle, text)
    assert found == _brute(predicate)
    assert results.total == len(found)
    for hit in results.hits:
        assert "<script>" not in hit.snippet


def test_line_break_in_text_does_not_hide_a_phrase(handle):
    found, _ = _found(handle, "行政诉讼案件")
    assert found == {("青山市工业和信息化局-2023", "appeals")}


SECTIONS = [(f"{r.agency}-{r.year}", s.key, s.text) for r in CORPUS for s in r.sections]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_verbatim_substrings_find_their_section(handle, data):
    rid, key, text = data.draw(st.sampled_from(SECTIONS))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 30)))
    piece = text[start:end]
    if not piece.strip() or '"' in piece:
        return
    found, results = _found(handle, piece)
    assert (rid, key) in found
    # No hit lacks the query text: each word occurs in its section or its agency's name.
    texts = {(r, k): t for r, k, t in SECTIONS}
    for hit in results.hits:
        for term in parse(piece).terms:
            assert contains(texts[(hit.report_id, hit.section)], term) or contains(hit.agency, term)
    # The positional join over bigram postings finds what a scan of the stored text finds.
    with handle.searcher() as searcher:
        for term in parse(piece).terms:
            assert verbatim_docs(searcher, term) == _scanned(searcher, term)


def _scanned(searcher, term: str) -> set[int]:
    """The sections whose stored prose or tables contain `term`, by reading each one."""
    return {docnum for docnum, stored in enumerate(searcher.reader().all_stored_fields())
            if stored.get("kind") == "section"
            and contains(searchable_text(stored.get("text") or "", json.loads(stored["tables_json"])), term)}


def test_common_words_and_dictionary_words_find_the_same_sections_as_a_scan(handle):
    with handle.searcher() as searcher:
        for term in ("政府信息公开", "政策解读", "行政复议", "行政诉讼", "信息处理费", "国家秘密", "公开",
                     "公", "2", "年度", "不存在的词"):
            assert verbatim_docs(searcher, term) == _scanned(searcher, term), term


def test_covering_offsets():
    assert [covering_offsets(n) for n in range(6)] == [
        [], [0], [0, 1], [0, 2], [0, 2, 3], [0, 2, 4]]


def test_random_junk_never_raises(handle):
    rng = random.Random(4)
    alphabet = string.printable + "公开申请复议诉讼“”「」－　，。"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        search(handle, SearchRequest(query=text, page_size=5))
