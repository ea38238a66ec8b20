"""The analyzers honour whoosh's tokenizer contract and keep what a search needs."""
import pickle
import random

import pytest
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase, Prefix

from index.analysis import BigramTokenizer, JiebaTokenizer, bigram_terms, domain_words, jieba_terms
from index.folding import bigram_text, bigrams, fold

AGENCY = "海东市工业和信息化局"


@pytest.fixture(scope="module")
def jieba_tokenizer():
    return JiebaTokenizer(domain_words([AGENCY, "海东市"]))


def tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, **kwargs)]


def test_jieba_positions_offsets_digits_and_latin(jieba_tokenizer):
    text = "海东市工业和信息化局２０２３年收到ＰＤＦ申请1件，共12.5万元"
    assert tokens(jieba_tokenizer, text) == [
        (AGENCY, 0, 0, 10),
        ("2023", 1, 10, 14),
        ("年", 2, 14, 15),
        ("收到", 3, 15, 17),
        ("pdf", 4, 17, 20),
        ("申请", 5, 20, 22),
        ("1", 6, 22, 23),
        ("件", 7, 23, 24),
        ("共", 8, 25, 26),
        ("12", 9, 26, 28),
        ("5", 10, 29, 30),
        ("万元", 11, 30, 32),
    ]


def test_jieba_offsets_point_into_the_original_text(jieba_tokenizer):
    text = "一、总体情况\n  Ｗｅｂ网站 OpenData 平台２件。"
    for term, _, start, end in tokens(jieba_tokenizer, text):
        assert fold(text[start:end]) == term
    assert [t for t, *_ in tokens(jieba_tokenizer, text)] == [
        "一", "总体", "情况", "web", "网站", "opendata", "平台", "2", "件"]


def test_jieba_start_pos_start_char_and_tokenize_false(jieba_tokenizer):
    assert tokens(jieba_tokenizer, "行政复议3件", start_pos=5, start_char=100) == [
        ("行政复议", 5, 100, 104), ("3", 6, 104, 105), ("件", 7, 105, 106)]
    assert tokens(jieba_tokenizer, "Ａ 局", tokenize=False) == [("a 局", 0, 0, 3)]


def test_jieba_mode_and_removestops_are_passed_on():
    tokenizer = JiebaTokenizer(domain_words(), stopwords={"的"})
    seen = [(t.text, t.pos, t.mode, t.removestops)
            for t in tokenizer("公开的信息", positions=True, mode="query")]
    assert seen == [("公开", 0, "query", True), ("信息", 2, "query", True)]
    kept = [(t.text, t.pos, t.stopped) for t in tokenizer("公开的信息", positions=True,
                                                          removestops=False)]
    assert kept == [("公开", 0, False), ("的", 1, True), ("信息", 2, False)]


def test_domain_dictionary_keeps_names_whole(jieba_tokenizer):
    assert jieba_terms(AGENCY, jieba_tokenizer) == [AGENCY]
    assert jieba_terms("依申请公开和勾稽关系", jieba_tokenizer) == ["依申请公开", "和", "勾稽关系"]
    # Without the name in the dictionary jieba would split the agency.
    assert len(jieba_terms(AGENCY, JiebaTokenizer(domain_words()))) > 1


def test_jieba_tokenizer_pickles_with_its_dictionary(jieba_tokenizer):
    again = pickle.loads(pickle.dumps(jieba_tokenizer))
    assert again == jieba_tokenizer
    assert jieba_terms(AGENCY + "报告", again) == [AGENCY, "报告"]


@pytest.mark.slow
def test_each_dictionary_is_jiebas_plus_its_own_words_only():
    """Dictionaries made one after another (the later ones from the first's, with its
    words taken out) equal jieba's main dictionary plus their own words, and cut so."""
    import jieba

    from index import analysis

    sets = [domain_words([AGENCY]), domain_words(["东原市应急管理局", "东原"]), domain_words(["新阳县"])]
    cutters = [analysis._cutter(words, analysis._fingerprint(words)) for words in sets]
    for words, cutter in zip(sets, cutters):
        fresh = jieba.Tokenizer()
        fresh.check_initialized()
        for word in words:
            fresh.add_word(word)
        assert cutter.FREQ == fresh.FREQ and cutter.total == fresh.total
    assert len(analysis._cutters) <= analysis.CACHED_CUTTERS
    assert jieba_terms(AGENCY, JiebaTokenizer(sets[2])) != [AGENCY]
    assert jieba_terms(AGENCY, JiebaTokenizer(sets[0])) == [AGENCY]


def test_bigrams_index_mode_positions_and_offsets():
    assert tokens(BigramTokenizer(), "海东 市\n局") == [
        ("海东", 0, 0, 2), ("东市", 1, 1, 4), ("市局", 2, 3, 6), ("局 ", 3, 5, 6),
    ]
    # No single characters: each one starts the bigram of its position (the last
    # one paired with the end mark), which a one-character query finds by prefix.
    assert tokens(BigramTokenizer(), " 局\n") == [("局 ", 0, 1, 2)]


def test_bigrams_query_mode_and_single_characters():
    assert bigram_terms("海东 市") == ["海东", "东市"]
    assert bigram_terms("局") == ["局"]
    assert bigram_terms("Ａ１") == ["a1"]
    assert bigram_terms("  ") == []


def test_bigram_text_holds_the_index_modes_bigrams_as_space_separated_tokens():
    assert bigram_text("海东 市\n局") == "海东 东市 市局 局 "
    assert bigram_text(" Ａ\t") == "a "
    assert bigram_text(" \n") == ""
    rng = random.Random(3)
    alphabet = "政府信息公开ＡＢab１2，。\n\u3000\xa0 \t"
    for _ in range(100):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        indexed = [token.text.strip() for token in BigramTokenizer()(text)]
        assert bigram_text(text).split() == indexed == [pair.strip() for pair in bigrams(text)]


def _phrase(field, terms):
    """A one-character query is a prefix of bigrams; a longer one a phrase of them."""
    return Prefix(field, terms[0]) if len(terms[0]) == 1 else Phrase(field, terms)


def test_every_substring_of_indexed_text_is_found_by_bigrams():
    rng = random.Random(7)
    alphabet = "政府信息公开申请行政复议海东市局年度报告１２３ABCab，。\n "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(30, 80))) for _ in range(12)]
    schema = Schema(text=TEXT(analyzer=BigramTokenizer(), phrase=True, stored=True))
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for text in texts:
            writer.add_document(text=text)
    with index.searcher() as searcher:
        for _ in range(200):
            doc = rng.randrange(len(texts))
            text = texts[doc]
            start = rng.randrange(len(text))
            piece = text[start:start + rng.randint(1, 12)]
            terms = bigram_terms(piece)
            if not terms:
                continue  # whitespace only: nothing to find
            hits = {hit["text"] for hit in searcher.search(_phrase("text", terms), limit=None)}
            assert text in hits, repr(piece)
            expected = {t for t in texts if "".join(piece.split()).lower() in "".join(t.split()).lower()}
            assert hits == expected


def test_jieba_phrase_query_matches_across_a_line_break(jieba_tokenizer):
    schema = Schema(text=TEXT(analyzer=jieba_tokenizer, phrase=True, stored=True))
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        writer.add_document(text="本年度收到行政\n复议申请2件")
        writer.add_document(text="复议 行政 申请")
    with index.searcher() as searcher:
        terms = jieba_terms("行政复议申请", jieba_tokenizer)
        assert terms == ["行政复议", "申请"]
        hits = [h["text"] for h in searcher.search(Phrase("text", ["行政", "复议", "申请"]))]
        assert hits == ["本年度收到行政\n复议申请2件"]
