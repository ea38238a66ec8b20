"""The two analyzers of the index: jieba words that rank, character bigrams that recall.

whoosh turns text into terms by calling an analyzer with the text and a few keyword
arguments (``positions``, ``chars``, ``mode``, ``removestops``, ``start_pos``,
``start_char``, ``tokenize``); the analyzer yields one reused `Token` per term, with
``text``, and, when asked, ``pos`` (the term's ordinal, for phrase queries) and
``startchar``/``endchar`` (where it sits in the original text, for highlighting).
Both tokenizers here honour that contract (whoosh's ``analysis/tokenizers.py``).

`JiebaTokenizer` cuts Chinese into words with jieba (accurate mode, no HMM, so a word
cuts the same way alone in a query as inside a sentence), keeps numbers and Latin
words, NFKC-normalises and lower-cases them (２０２３ → 2023, ＰＤＦ → pdf), and drops
punctuation and whitespace. Unlike ``jieba.analyse.ChineseAnalyzer`` it keeps single
digits, numbers positions 0, 1, 2 … and stems nothing. Its domain dictionary (the
template's vocabulary plus every agency and region name of the corpus) is part of
the tokenizer object, so it is pickled into the index with the schema: the query side
unpickles the very same dictionary and cuts 海东市工业和信息化局 exactly as the build did.

`BigramTokenizer` makes any verbatim substring findable: it emits the folded,
whitespace-free text's character bigrams (`index.folding`, where folding and bigrams
are defined once). A query of two or more characters becomes its overlapping bigrams
(``mode="query"``, `bigram_terms`); a query of one character is a *prefix* lookup: the
documents of every bigram starting with it. The bigrams are not a whoosh field any
more: `index.folding.bigram_keys` gives the same bigrams as integers, which
`index.bigrams` keeps beside whoosh as flat arrays (whoosh's pickled postings cost
≈ 1 µs each to decode).

The tokenizers live at this import path for good: the index pickles them (an index
built before 4a3b6aa has a ``text_bigram`` field analysed by `BigramTokenizer`).
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections import OrderedDict, defaultdict

import jieba
from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Format, Positions

from index.folding import END, bigrams, compact_offsets, fold, query_bigrams

jieba.setLogLevel(logging.WARNING)  # its dictionary load chatters on stderr otherwise

# The template's own vocabulary (国办公开办函〔2019〕60号 / 〔2021〕30号), so that these
# terms stay whole words at build and query time.
TEMPLATE_WORDS = (
    "政府信息公开", "政府信息", "信息公开", "年度报告", "工作年度报告", "主动公开",
    "依申请公开", "政府信息公开申请", "行政复议", "行政诉讼", "勾稽关系", "予以公开",
    "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度继续办理",
    "上年结转", "本年新收", "国家秘密", "三安全一稳定", "第三方合法权益", "内部事务信息",
    "过程性信息", "行政执法案卷", "行政查询事项", "信访举报投诉", "重复申请",
    "公开出版物", "逾期不补正", "逾期未缴纳费用", "自然人", "商业企业", "科研机构",
    "社会公益组织", "法律服务机构", "规范性文件", "行政规范性文件", "行政许可",
    "行政处罚", "行政强制", "行政事业性收费", "政府集中采购", "未经复议直接起诉",
    "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "政府网站",
    "政务新媒体", "政务公开", "政府信息公开条例", "中华人民共和国政府信息公开条例",
    "政府信息公开指南", "政府信息公开目录", "信息公开工作", "本机关", "现行有效",
    "本年制发", "本年废止", "处理决定", "收费金额", "采购项目", "采购总金额",
    "新闻发布会", "政策解读", "回应关切", "平台建设", "监督保障", "社会评议",
    "责任追究", "工作考核", "人大代表建议", "政协提案", "营商环境", "信息处理费",
)

_log = logging.getLogger(__name__)


def _normal_word(word: str) -> str:
    """A cut word as a term: whole-word NFKC + lower-case for the rare expanding char (㈠)."""
    if word.isascii() or unicodedata.is_normalized("NFKC", word):
        return word.lower()
    return unicodedata.normalize("NFKC", word).lower()


# --- jieba ------------------------------------------------------------------------------

# One jieba dictionary (≈500k entries, ≈30 MB) per process, not two: the first cutter
# takes the loaded main dictionary over and adds its words to it, remembering what
# they replaced; a later cutter with other words gets a copy with those undone.
_MISSING = object()
CACHED_CUTTERS = 2          # dictionaries kept (the live index's and the one before)
_cutters: OrderedDict[str, jieba.Tokenizer] = OrderedDict()
_undo: dict[str, tuple[dict, int]] = {}     # fingerprint -> (replaced entries, main total)
_lock = threading.Lock()


def _main_dictionary() -> tuple[dict, int]:
    """jieba's main dictionary (FREQ, total), unchanged, for a new cutter to own."""
    for fingerprint, cutter in _cutters.items():
        replaced, total = _undo[fingerprint]
        freq = dict(cutter.FREQ)
        for key, old in replaced.items():
            if old is _MISSING:
                del freq[key]
            else:
                freq[key] = old
        return freq, total
    loader = jieba.Tokenizer()
    loader.check_initialized()
    return loader.FREQ, loader.total


def _cutter(words: tuple[str, ...], fingerprint: str) -> jieba.Tokenizer:
    """A jieba tokenizer with the main dictionary plus `words`, made once per word set."""
    cutter = _cutters.get(fingerprint)
    if cutter is not None:
        return cutter
    with _lock:
        cutter = _cutters.get(fingerprint)
        if cutter is None:
            freq, total = _main_dictionary()
            cutter = jieba.Tokenizer()
            cutter.FREQ, cutter.total, cutter.initialized = freq, total, True
            replaced: dict = {}
            for word in words:
                for end in range(1, len(word) + 1):   # what add_word may set: the word, its prefixes
                    replaced.setdefault(word[:end], freq.get(word[:end], _MISSING))
                cutter.add_word(word)
            _cutters[fingerprint], _undo[fingerprint] = cutter, (replaced, total)
            while len(_cutters) > CACHED_CUTTERS:   # the oldest made goes
                old, _ = _cutters.popitem(last=False)
                del _undo[old]
        return cutter


def _fingerprint(words: tuple[str, ...]) -> str:
    return hashlib.sha1("\n".join(words).encode("utf-8")).hexdigest()


def domain_words(names=()) -> tuple[str, ...]:
    """The domain dictionary: template vocabulary plus `names` (agencies, regions), folded."""
    cleaned = {fold(name).strip() for name in (*TEMPLATE_WORDS, *names)}
    return tuple(sorted(word for word in cleaned if len(word) > 1 and not re.search(r"\s", word)))


# Punctuation and whitespace carry no meaning; anything with a letter or digit does.
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


class JiebaTokenizer(Tokenizer):
    """jieba words as whoosh tokens: positions 0, 1, 2 …, offsets into the original text.

    :param words: the domain dictionary added to jieba's (see `domain_words`).
    :param stopwords: terms dropped when ``removestops`` is true (their positions are
        kept, as whoosh's ``StopFilter`` does). Empty by default: 的/和 matter in phrases.
    """

    def __init__(self, words=(), stopwords=()):
        self.words = tuple(words)
        self.stopwords = frozenset(stopwords)
        self.fingerprint = _fingerprint(self.words)

    def __eq__(self, other):
        return (self.__class__ is other.__class__ and self.fingerprint == other.fingerprint
                and self.stopwords == other.stopwords)

    def __hash__(self):
        return hash(self.fingerprint)

    def prepare(self) -> None:
        """Build this dictionary's jieba now (at start-up) rather than on first use."""
        _cutter(self.words, self.fingerprint)

    def cut(self, text: str):
        """(term, start, end) for every word of `text`, punctuation and spaces left out."""
        start = 0
        is_term = _HAS_LETTER_OR_DIGIT.search
        for word in _cutter(self.words, self.fingerprint).cut(fold(text), HMM=False):
            end = start + len(word)
            if is_term(word):
                yield _normal_word(word), start, end
            start = end

    def terms_of(self, value: str) -> list[str]:
        """The indexed terms of `value` in order, repeats kept (what whoosh indexes, as a
        list: another engine's documents carry them as one space-separated string)."""
        stopwords = self.stopwords
        return [term for term, _, _ in self.cut(value) if term not in stopwords]

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each indexed term of `value` and its positions (what `PositionsFormat` stores)."""
        found = defaultdict(list)
        stopwords = self.stopwords
        for pos, (term, _, _) in enumerate(self.cut(value)):
            if term not in stopwords:
                found[term].append(pos)
        return found

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(token, value, positions, chars, keeporiginal, start_pos, start_char)
            return
        pos = start_pos
        for term, start, end in self.cut(value):
            stop = term in self.stopwords
            if stop and removestops:
                pos += 1
                continue
            token.text = term
            token.boost = 1.0
            token.stopped = stop
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            pos += 1
            yield token


def _whole(token, value, positions, chars, keeporiginal, start_pos, start_char):
    """The untokenized value as one token (``tokenize=False``)."""
    token.text = fold(value)
    token.boost = 1.0
    token.stopped = False
    if keeporiginal:
        token.original = value
    if positions:
        token.pos = start_pos
    if chars:
        token.startchar = start_char
        token.endchar = start_char + len(value)
    return token


# --- bigrams ----------------------------------------------------------------------------

class BigramTokenizer(Tokenizer):
    """Whitespace-blind character bigrams, for verbatim recall.

    At index time (any mode but ``"query"``) position i carries the bigram (i, i+1) of
    the text without whitespace, the last character paired with `END`. In
    ``mode="query"`` a text of two or more characters yields only its own bigrams, one
    per position, so a phrase query over them matches exactly where the string
    occurs; a single character yields itself, to be looked up as a prefix of bigrams.
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each indexed term of `value` and its positions (what `PositionsFormat` stores)."""
        found = defaultdict(list)
        for i, pair in enumerate(bigrams(value)):
            found[pair].append(i)
        return found

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(token, value, positions, chars, keeporiginal, start_pos, start_char)
            return
        compact, where = compact_offsets(value)
        count = len(compact)
        query = mode == "query"
        token.boost = 1.0
        token.stopped = False
        for i in range(count):
            last = i + 1 == count
            if last and query and count > 1:
                break  # a query's last character is already in its last bigram
            # The last character pairs with END (a one-character query: with nothing).
            token.text = compact[i] + ("" if query else END) if last else compact[i:i + 2]
            end = where[i] if last else where[i + 1]
            if keeporiginal:
                token.original = value[where[i]:end + 1]
            if positions:
                token.pos = start_pos + i
            if chars:
                token.startchar = start_char + where[i]
                token.endchar = start_char + end + 1
            yield token


# --- indexing fast path ------------------------------------------------------------------

class PositionsFormat(Positions):
    """whoosh's `Positions` postings, computed without a `Token` per term.

    The format of the jieba fields of an index built before 6354b35 (kept so that
    such an index still unpickles): see `CountsFormat`.
    """

    def word_values(self, value, analyzer, **kwargs):
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None or kwargs.get("tokenize", True) is False:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for term, positions in term_positions(value).items():
            yield term, len(positions), len(positions) * boost, encode(positions)


class CountsFormat(Format):
    """Postings that hold how often a term occurs (as the posting's weight), nothing else.

    Search never asks whoosh for the positions of jieba words (BM25F needs the counts
    and the field lengths, `search.ranking`; a verbatim match is the bigram postings'
    business, `index.bigrams`), and storing them cost the most of every posting block:
    a pickled list per posting, written by the build and unpickled with the block by
    every search that reads the word (≈ 1 µs a posting). Without them a block is the
    ids and the counts. A phrase query over such a field is refused by whoosh
    (``supports("positions")`` is false); ours never run one.
    """

    posting_size = 0

    def __init__(self, field_boost=1.0, **options):
        self.field_boost = field_boost
        self.options = options

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None or kwargs.get("tokenize", True) is False:
            counts: dict[str, int] = defaultdict(int)
            for token in analyzer(value, **kwargs):
                counts[token.text] += 1
        else:
            counts = {term: len(positions) for term, positions in term_positions(value).items()}
        return ((term, count, count * boost, b"") for term, count in counts.items())

    def encode(self, value):
        return b""

    def decode_weight(self, valuestring):
        return self.field_boost


# --- helpers the search side uses to tokenise query text identically --------------------

def jieba_analyzer(words=()) -> JiebaTokenizer:
    """The analyzer of the ``title``, ``text`` and ``agency_text`` fields."""
    return JiebaTokenizer(words)


def jieba_terms(text: str, analyzer: JiebaTokenizer | None = None, mode: str = "query") -> list[str]:
    """The jieba terms of `text`, as the field's analyzer makes them (pass the index's own)."""
    analyzer = analyzer or _default_jieba
    return [token.text for token in analyzer(text, mode=mode)]


def bigram_terms(text: str) -> list[str]:
    """A query's bigrams, or itself if one character (then a prefix: every bigram
    starting with it): `index.folding.query_bigrams`."""
    return query_bigrams(text)


_default_jieba = JiebaTokenizer(domain_words())
