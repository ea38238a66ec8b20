"""A scale corpus: N made-up annual reports, realistic in size, layout and wording.

``python -m bench.generate --reports N --out DIR --seed S`` writes N report files
(``000000.txt``, ``000001.md`` …) that the parser reads like real ones. Each report
is 6–10 KB of UTF-8 text with all six sections and the three tables of its template
(2019 or 2021), every figure non-zero; a few in twenty have an arithmetic slip,
as real ones do. Agencies are invented: provincial departments, city bureaus,
district and county bureaus, towns and sub-districts (镇、乡、街道) across a dozen
made-up provinces, each reporting for several of the years 2019–2025, so the facets
have many values and every (agency, year) is one report.

The wording varies the way postings need for a fair benchmark: sentences are drawn
from templates whose slots (topics, channels, documents, numbers) are filled with
Zipf-like weights, so common words (公开, 申请) are in every report and rare ones
(`RARE_TOPICS`, e.g. 古树名木) in a few; queries.py relies on both.

The audit (`index.audit`) has planted cases to find among mostly clean reports: an
agency reports for consecutive years (its 上年结转 equals last year's 结转下年度) and
on time (in January), except a few in a hundred, decided by a hash of the seed, the
agency and the year (`planted`): a cross-year mismatch, a late report, a missing
year, a ``problems`` section copied among agencies of the same year, and prose
stating more requests than the table. `Generated.planted` names them.

The reports are rendered by the test suite's layout renderers (`tests.layouts`):
PDF-extracted text (cells one per line or rows on a line) and Markdown (pipe or tab
tables). Everything is a function of ``seed`` and the report's number: the same
command writes the same bytes.
"""
from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from corpus.report import APPLICANT_COLUMNS
from tests import layouts

MIN_BYTES = 6000
MAX_BYTES = 10000
YEARS = tuple(range(2019, 2026))
REPORTS_PER_AGENCY = 5   # on average; an agency reports for some of the seven years

# ---- agencies ---
# Place names avoid what the parser's region rule reads as a common noun (城市, 山区,
# 城区, 和 …: see corpus.meta), so each agency's region is known exactly.------------------------------------------------------------------

PROVINCES = ("江川省", "青原省", "云岭省", "河阳省", "闽海省", "湘山省", "秦北省", "蜀南省",
             "燕平省", "晋原省", "楚江省", "黔溪省", "天山自治区", "漓江自治区")
_FIRST = "青云北东西南临安宁平长永兴新龙凤金银石白红黄丰盛清明华泰嘉瑞祥广德昌隆"
_SECOND = "禾岭川澜陵江山河湖阳泉林峰溪原桥浦海沙塘源坪阁"
_DISTRICT_SECOND = "湖水关桥岗塘林港洲湾"
_TOWN_SECOND = "桥溪口铺坝岗营店湾庄"

PROVINCE_DEPARTMENTS = (
    "人民政府办公厅", "教育厅", "财政厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
    "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "市场监督管理局", "统计局",
    "医疗保障局", "发展和改革委员会", "民政厅", "司法厅", "人力资源和社会保障厅", "应急管理厅",
)
CITY_DEPARTMENTS = (
    "人民政府", "人民政府办公室", "教育局", "财政局", "自然资源和规划局", "生态环境局",
    "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化广电和旅游局",
    "卫生健康委员会", "市场监督管理局", "统计局", "医疗保障局", "发展和改革委员会", "民政局", "司法局",
    "人力资源和社会保障局", "应急管理局", "退役军人事务局", "城市管理局", "数据资源管理局", "林业局",
    "审计局", "科学技术局", "工业和信息化局", "体育局", "地方金融监督管理局",
)
COUNTY_DEPARTMENTS = CITY_DEPARTMENTS[:26]
TOWN_OFFICES = {"镇": "人民政府", "乡": "人民政府", "街道": "办事处"}


@dataclass(frozen=True)
class Agency:
    name: str
    region: str
    level: str   # province, city, county, town


def _places(first: str, second: str, suffix: str) -> list[str]:
    return [a + b + suffix for a in first for b in second if a != b]


def agency_pool() -> list[Agency]:
    """Every agency the generator may use, in a fixed order (about 60 000 names)."""
    pool = [Agency(p + d, p, "province") for p in PROVINCES for d in PROVINCE_DEPARTMENTS]
    cities = _places(_FIRST, _SECOND, "市")
    for n, city in enumerate(cities):
        pool += [Agency(city + d, city, "city") for d in CITY_DEPARTMENTS]
        # Two districts per city, named within the city, and a county named on its own.
        for k in range(2):
            district = city + _FIRST[(n + 7 * k) % len(_FIRST)] + _DISTRICT_SECOND[(n + k) % len(_DISTRICT_SECOND)] + "区"
            pool += [Agency(district + d, district, "county") for d in COUNTY_DEPARTMENTS[: 8 + n % 12]]
            kind = ("镇", "乡", "街道")[(n + k) % 3]
            town = district + _FIRST[(n * 3 + k) % len(_FIRST)] + _TOWN_SECOND[(n + 3 * k) % len(_TOWN_SECOND)] + kind
            pool.append(Agency(town + TOWN_OFFICES[kind], town, "town"))
        county = city[:2] + "县"
        if n % 2 == 0:
            pool += [Agency(county + d, county, "county") for d in COUNTY_DEPARTMENTS[: 10 + n % 10]]
    seen, unique = set(), []
    for agency in pool:
        if agency.name not in seen:
            seen.add(agency.name)
            unique.append(agency)
    return unique


# Planted audit cases, per hundred reports (or agencies, for the missing year).
PLANT_EVERY = {"cross_year": 50, "late": 40, "missing_year": 40, "duplicate": 60, "text_table": 50}
COPY_GROUPS = 1          # copied problems sections: one shared text per year


def _hash(*parts) -> int:
    return zlib.crc32(":".join(map(str, parts)).encode())


def planted(seed: int, agency: str, year: int) -> tuple[str, ...]:
    """The audit findings planted in this agency's report on this year (none for most)."""
    return tuple(kind for kind, every in PLANT_EVERY.items()
                 if kind != "missing_year" and _hash(kind, seed, agency, year) % every == 0)


def assignments(n: int, seed: int) -> list[tuple[Agency, int]]:
    """The (agency, year) of reports 0 … n-1: distinct pairs, spread over many agencies.

    Each agency reports for consecutive years, except one agency in `PLANT_EVERY`
    ["missing_year"] that skips a year in the middle. The pairs depend on the seed and
    on N (more reports, more agencies).
    """
    pool = agency_pool()
    agencies = max(1, min(len(pool), -(-n // REPORTS_PER_AGENCY)))
    if agencies * len(YEARS) < n:
        raise ValueError(f"at most {len(pool) * len(YEARS)} distinct reports can be generated")
    length = -(-n // agencies)
    rng = random.Random(f"agencies:{seed}:{n}")
    chosen = rng.sample(pool, agencies)
    pairs = []
    for agency in chosen:
        gap = length + 1 <= len(YEARS) and _hash("missing_year", seed, agency.name) % PLANT_EVERY["missing_year"] == 0
        start = rng.randint(YEARS[0], YEARS[-1] - length + 1 - gap)
        years = list(range(start, start + length + gap))
        if gap:
            years.pop(len(years) // 2)
        pairs += [(agency, year) for year in years]
    pairs = pairs[:n]
    rng.shuffle(pairs)
    return pairs


# ---- wording ----------------------------------------------------------------------

# Common topics first: drawn with weight 1/(rank+1), so the head is everywhere and
# the tail is rare.
TOPICS = (
    "政策文件", "政策解读", "财政预决算", "重大项目", "民生实事", "营商环境", "社会救助", "就业创业",
    "教育招生", "医疗卫生", "食品安全", "生态环境", "安全生产", "乡村振兴", "城乡建设", "交通运输",
    "公共资源交易", "行政执法", "应急管理", "养老服务", "住房保障", "市场监管", "疫情防控", "农业补贴",
    "征地拆迁", "环境保护督察", "义务教育", "医疗保障", "规划许可", "国有资产", "人事任免", "统计数据",
    "审计结果", "价格收费", "扶贫资金", "文物保护", "体育设施", "公共文化服务", "退役军人服务", "残疾人保障",
)
RARE_TOPICS = (
    "古树名木", "候鸟迁徙", "非遗工坊", "冷链物流", "渔船更新", "地质灾害隐患", "海绵城市", "智慧灌区",
    "林下经济", "茶园改造", "边境贸易", "低空经济", "碳排放核算", "盐碱地改良", "沙化土地治理", "湿地保护修复",
    "数字乡村", "老旧小区加装电梯", "蜂产业", "竹木加工", "温泉资源", "矿山复绿", "水库移民", "易地搬迁",
)
CHANNELS = ("门户网站", "政务新媒体", "微信公众号", "政务微博", "政府公报", "新闻发布会", "政务服务大厅",
            "公开查阅点", "档案馆", "图书馆", "电子显示屏", "政务服务网", "移动客户端", "广播电视", "宣传栏")
DOCUMENTS = ("《中华人民共和国政府信息公开条例》", "《政府信息公开信息处理费管理办法》",
             "《关于全面推进政务公开工作的意见》", "《政务公开工作要点》", "《政府网站与政务新媒体检查指标》",
             "《基层政务公开标准化规范化工作指引》", "《政府信息依申请公开办理答复规范》")
MEASURES = ("健全工作机制", "完善审核制度", "压实工作责任", "加强业务培训", "规范办理流程", "强化督促检查",
            "优化栏目设置", "丰富解读形式", "拓宽公开渠道", "提升回应实效", "推进标准化建设", "加强平台管理")
QUALITIES = ("及时", "准确", "全面", "规范", "便民", "高效")
_TOPIC_WEIGHTS = [sum(1 / (k + 1) for k in range(n + 1)) for n in range(len(TOPICS))]


def _self_name(agency: Agency) -> str:
    """How the report names its own agency: 我厅, 我委, 我局, 本府, 我办 …"""
    for ending, me in (("人民政府", "本府"), ("办公厅", "我办"), ("办公室", "我办"), ("办事处", "我办"),
                       ("委员会", "我委"), ("厅", "我厅"), ("局", "我局")):
        if agency.name.endswith(ending):
            return me
    return "我单位"

OVERVIEW_HEADINGS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障")


class Writer:
    """Sentences with filled slots, for one report (its own random stream)."""

    def __init__(self, rng: random.Random, agency: Agency, year: int):
        self.rng, self.agency, self.year = rng, agency, year
        self.me = _self_name(agency)
        self.rare = rng.sample(RARE_TOPICS, 2) if rng.random() < 0.25 else []
        self.last_topic = ""

    def topic(self) -> str:
        """A topic, Zipf-weighted, never the same as the one just before."""
        for _ in range(8):   # bounded: the head topic repeats often
            if self.rare and self.rng.random() < 0.2:
                topic = self.rng.choice(self.rare)
            else:
                topic = self.rng.choices(TOPICS, cum_weights=_TOPIC_WEIGHTS)[0]
            if topic != self.last_topic:
                break
        self.last_topic = topic
        return topic

    def pick(self, options):
        return self.rng.choice(options)

    def n(self, low=2, high=600) -> int:
        return self.rng.randint(low, high)

    def sentence(self, kind: str) -> str:
        return self.rng.choice(self.templates(kind))()

    def paragraph(self, kind: str, sentences=(1, 3)) -> str:
        """1–3 sentences of one kind, each from a different template."""
        templates = self.templates(kind)
        count = min(self.rng.randint(*sentences), len(templates))
        return "".join(template() for template in self.rng.sample(templates, count))

    def templates(self, kind: str) -> list:
        r, me, y = self, self.me, self.year
        return {
            "overview": [
                lambda: f"{y}年，{me}坚持以人民为中心的发展思想，认真贯彻落实{r.pick(DOCUMENTS)}，围绕{r.topic()}和{r.topic()}等重点工作，{r.pick(MEASURES)}，政务公开工作取得新进展。",
                lambda: f"{me}将政务公开纳入年度重点工作，主要负责同志{r.n(1, 6)}次专题研究部署，{r.pick(MEASURES)}，推动公开工作{r.pick(QUALITIES)}、{r.pick(QUALITIES)}开展。",
                lambda: f"全年通过{r.pick(CHANNELS)}和{r.pick(CHANNELS)}发布{r.topic()}类信息{r.n()}条，同比增长{r.n(1, 40)}%，公开的及时性和权威性进一步增强。",
                lambda: f"围绕{r.topic()}领域，{me}细化公开清单{r.n(3, 40)}项，明确公开主体、公开时限和公开方式，做到应公开尽公开。",
            ],
            "active": [
                lambda: f"通过{r.pick(CHANNELS)}主动公开{r.topic()}信息{r.n()}条，其中{r.topic()}信息{r.n(1, 120)}条、{r.topic()}信息{r.n(1, 80)}条。",
                lambda: f"聚焦{r.topic()}，及时发布{r.topic()}相关通知公告{r.n(1, 90)}条，采用图文、视频、问答等形式开展政策解读{r.n(1, 40)}篇。",
                lambda: f"按时公开部门预决算和“三公”经费，发布{r.topic()}资金分配结果{r.n(1, 30)}批次，接受社会监督。",
            ],
            "request": [
                lambda: f"严格执行{r.pick(DOCUMENTS)}，畅通网上、信函、当面等申请渠道，全年受理的申请均在法定期限内答复。",
                lambda: f"申请内容主要涉及{r.topic()}、{r.topic()}和{r.topic()}等方面，{me}逐件登记、分类办理，答复文书规范完整。",
                lambda: f"对申请内容不明确的，一次性告知补正事项；对涉及第三方权益的，依法书面征求意见，办理流程{r.pick(QUALITIES)}透明。",
            ],
            "manage": [
                lambda: f"落实信息发布“三审三校”制度，全年审核拟公开信息{r.n()}条，未发生泄密和不当公开事件。",
                lambda: f"开展规范性文件清理，对{r.topic()}等领域过时文件予以废止或宣布失效，动态更新政策文件库。",
                lambda: f"建立公开属性源头认定机制，公文在拟稿时即明确公开方式，全年认定主动公开公文{r.n(10, 400)}件。",
            ],
            "platform": [
                lambda: f"优化{r.pick(CHANNELS)}政府信息公开专栏，新增{r.topic()}专题栏目{r.n(1, 9)}个，提升检索和导航的便利度。",
                lambda: f"{r.pick(CHANNELS)}全年更新信息{r.n(50, 900)}条，留言办理{r.n(1, 200)}件，平均办理时长{r.n(1, 9)}个工作日。",
                lambda: f"加强{r.pick(CHANNELS)}与{r.pick(CHANNELS)}的联动，同步转载重要政策信息，扩大公开的覆盖面和影响力。",
            ],
            "oversight": [
                lambda: f"将政务公开纳入绩效考核，开展专题培训{r.n(1, 8)}次，培训{r.n(20, 400)}人次，{r.pick(MEASURES)}。",
                lambda: f"聘请社会监督员{r.n(2, 20)}名，对{r.topic()}等领域公开情况开展评议，收集意见建议{r.n(1, 60)}条并逐项整改。",
            ],
            "table_intro": [
                lambda: f"本年度{me}主动公开政府信息的情况统计如下，各项数据截至{y}年12月31日。",
                lambda: f"下表列示{me}{y}年制发文件和行政执法决定的公开情况。",
            ],
            "requests_intro": [
                lambda: f"{y}年{me}收到和处理政府信息公开申请的情况统计如下。",
                lambda: f"本年度申请主要集中在{r.topic()}和{r.topic()}方面，具体情况见下表。",
            ],
            "appeals_intro": [
                lambda: f"{y}年{me}因政府信息公开引起的行政复议、行政诉讼情况如下。",
                lambda: f"{me}认真做好政府信息公开行政复议和行政诉讼应诉工作，相关情况统计如下。",
            ],
            "problems": [
                lambda: f"{y}年{me}政务公开工作虽取得一定成效，但仍存在一些不足：一是{r.topic()}领域信息公开的深度和广度还需拓展；二是政策解读的形式不够丰富，群众获得感有待提升；三是工作人员业务能力还需进一步加强。",
                lambda: f"针对上一年度存在的问题，{me}{r.pick(MEASURES)}，{r.pick(MEASURES)}，已完成整改{r.n(1, 12)}项。",
                lambda: f"下一步，{me}将围绕{r.topic()}和{r.topic()}，{r.pick(MEASURES)}，{r.pick(MEASURES)}，不断提升政务公开的{r.pick(QUALITIES)}性。",
                lambda: f"{me}将加强对{r.pick(DOCUMENTS)}的学习宣传，推动{r.topic()}信息公开向基层延伸，切实保障群众的知情权、参与权和监督权。",
            ],
            "other": [
                lambda: f"本年度{me}未收取政府信息公开信息处理费，发出收费通知的件数和总金额均为零。",
                lambda: f"{y}年{me}办理人大代表建议{r.n(1, 40)}件、政协提案{r.n(1, 40)}件，办结率100%，答复全文依法公开。",
                lambda: f"{me}按照{r.pick(DOCUMENTS)}要求，完成年度政务公开工作要点各项任务，落实情况已在{r.pick(CHANNELS)}公开。",
            ],
        }[kind]


# ---- one report ---------------------------------------------------------------------

LAYOUTS = ("pdf", "pdf_rows", "markdown", "markdown_tabs")
LAYOUT_WEIGHTS = (4, 2, 3, 1)


@dataclass
class Generated:
    """One generated report: its file name, bytes, and what the parser should find."""

    name: str
    data: bytes
    agency: str
    region: str
    year: int
    template: int
    figures: dict
    planted: tuple[str, ...] = ()   # the audit findings planted in it (`planted`)


def _carried(seed: int, agency: str, year: int) -> dict[str, int]:
    """结转下年度 per applicant column of the agency's report on `year` (1–9 each): the
    next year's report carries the same numbers over, so consecutive years agree."""
    rng = random.Random(f"carried:{seed}:{agency}:{year}")
    return {column: rng.randint(1, 9) for column in APPLICANT_COLUMNS}


def _carry(figures: dict, seed: int, agency: str, year: int, mismatch: bool) -> None:
    """Set 上年结转 and 结转下年度 from `_carried`, keeping 新收 + 上年结转 = 总计 + 结转下年度;
    a planted mismatch carries over one more than last year carried forward."""
    over, forward = _carried(seed, agency, year - 1), _carried(seed, agency, year)
    if mismatch:
        over["natural"] += 1
    for column in APPLICANT_COLUMNS:
        figures[f"requests.carried_over.{column}"] = over[column]
        figures[f"requests.carried_forward.{column}"] = forward[column]
        figures[f"requests.new.{column}"] = figures[f"requests.total.{column}"] + forward[column] - over[column]
    for row in ("new", "carried_over", "carried_forward"):
        figures[f"requests.{row}.total"] = sum(figures[f"requests.{row}.{c}"] for c in APPLICANT_COLUMNS)


def _render(made, layout: str) -> str:
    if layout == "pdf":
        return layouts.pdf_text(made)
    if layout == "pdf_rows":
        return layouts.pdf_text(made, rows_on_one_line=True)
    if layout == "markdown":
        return layouts.markdown(made)
    return layouts.markdown(made, sep="\t")


def report(i: int, agency: Agency, year: int, seed: int) -> Generated:
    """Report number i of the corpus of `seed`, for this agency and year."""
    rng = random.Random(f"report:{seed}:{i}")
    plants = planted(seed, agency.name, year)
    template = 2019 if year <= 2020 or rng.random() < 0.08 else 2021
    base = layouts.made_up(rng.getrandbits(31), template, slip=rng.random() < 0.05)
    _carry(base.figures, seed, agency.name, year, "cross_year" in plants)
    w = Writer(rng, agency, year)
    # The overview: an opening, then sub-headed parts (（一）主动公开 …), each a list
    # of paragraphs that grows with sentences of its own kind until the size is reached.
    parts = [(None, "overview", [w.paragraph("overview", (2, 3))])]
    for heading, kind in zip(OVERVIEW_HEADINGS, ("active", "request", "manage", "platform", "oversight")):
        if rng.random() < 0.85:
            parts.append((heading, kind, [w.paragraph(kind)]))
    problems = [w.paragraph("problems", (2, 3))]
    if "duplicate" in plants:
        # The same wording as the other copies of its group this year: written by a writer
        # of its own, for no agency in particular (我单位), and never grown.
        group = _hash("group", seed, agency.name) % COPY_GROUPS
        copier = Writer(random.Random(f"copy:{seed}:{year}:{group}"), Agency("", "", "city"), year)
        problems[:] = [copier.paragraph("problems", (4, 4)) for _ in range(2)]
    other = [w.sentence("other")]
    growable = [(kind, paragraphs) for _, kind, paragraphs in parts] + [("other", other)]
    if "duplicate" not in plants:
        growable.append(("problems", problems))
    new = int(base.figures["requests.new.total"])
    # Prose stating the year's new requests: right in some reports, wrong where planted.
    stated = new + 7 if "text_table" in plants else new if _hash("says", seed, agency.name, year) % 4 == 0 else None
    said = [f"全年共收到政府信息公开申请{stated}件。"] if stated is not None else []

    def texts() -> dict:
        overview = [line for heading, _, paragraphs in parts for line in ([heading] if heading else []) + paragraphs]
        return {"overview": overview, "proactive": [w.sentence("table_intro")],
                "requests": [w.sentence("requests_intro")] + said, "appeals": [w.sentence("appeals_intro")],
                "problems": problems, "other": other}

    intro_state = rng.getstate()
    month, day = rng.randint(1, 3), rng.randint(10, 28)   # two draws, as before: same wording
    published = f"{year + 1}-{max(month, 2):02d}-{day:02d}" if "late" in plants else f"{year + 1}-01-{day:02d}"
    made = dataclasses.replace(base, agency=agency.name, region=agency.region, year=year,
                               published=published, texts={})
    layout = rng.choices(LAYOUTS, weights=LAYOUT_WEIGHTS)[0]
    target = rng.randint(MIN_BYTES, MAX_BYTES - 1200)
    text = ""
    for _ in range(40):   # bounded: each step adds one paragraph of 40–300 characters
        state = rng.getstate()
        rng.setstate(intro_state)          # the table introductions stay the same as it grows
        made.texts = texts()
        rng.setstate(state)
        text = _render(made, layout)
        if len(text.encode()) >= target:
            break
        kind, paragraphs = rng.choice(growable)
        paragraphs.append(w.paragraph(kind))
    suffix = ".md" if layout.startswith("markdown") else ".txt"
    return Generated(f"{i:06d}{suffix}", text.encode(), agency.name, agency.region, year,
                     template, dict(made.figures), plants)


def generate(n: int, seed: int = 1):
    """Yield the n reports of the corpus of `seed`, in order."""
    for i, (agency, year) in enumerate(assignments(n, seed)):
        yield report(i, agency, year, seed)


def write(n: int, out: Path, seed: int = 1) -> tuple[int, int]:
    """Write the corpus into `out`; return (files, bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    files = size = 0
    for generated in generate(n, seed):
        (out / generated.name).write_bytes(generated.data)
        files += 1
        size += len(generated.data)
    return files, size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="how many reports (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write them into")
    parser.add_argument("--seed", type=int, default=1, help="the corpus seed (default 1)")
    args = parser.parse_args(argv)
    if args.reports < 1:
        parser.error("--reports must be at least 1")
    files, size = write(args.reports, args.out, args.seed)
    print(f"wrote {files} reports, {size / 1e6:.1f} MB, into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
