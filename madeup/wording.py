"""The sentences of a generated report: templates whose slots are filled at random.

Each section kind (overview, active, request, … problems, other) has a few sentence
templates; their slots — topics, channels, documents, measures, numbers — are drawn
from one report's own random stream (`Writer`). Topics are Zipf-weighted: common words
(公开, 申请) and the head of `TOPICS` are in every report, `RARE_TOPICS` (古树名木 …) in a
few, so the benchmark's queries (bench/queries.py) have both kinds of postings.
"""
from __future__ import annotations

import random

from madeup.agencies import Agency

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

