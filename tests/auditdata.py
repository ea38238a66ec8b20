"""Made-up reports for the audit's tests: planted findings and clean twins.

Every agency is fictional and every sentence written for these tests. `audit_report`
makes a `Report` whose table 3 balances (so it has no arithmetic finding unless asked),
published before the deadline, with an overview and a problems section long enough
to be compared for copying. `LONG_PROSE` is a list of distinct sentences; texts made
of different selections of them are more or less alike, which the duplicate tests
use to plant copies and near misses.
"""
from __future__ import annotations

from corpus.checks import run_checks
from corpus.report import APPLICANT_COLUMNS, REQUEST_COLUMNS, RESULT_ROWS_2021, SECTION_TITLES, Report, Section
from madeup.layouts import MadeUp, pdf_text

LONG_PROSE = [
    "本机关把政务公开列入年度重点工作清单，主要负责同志多次听取专题汇报并部署推进",
    "门户网站改版后新设政策文件库，按照主题和发文时间分类归集现行有效文件",
    "围绕营商环境和民生保障开展政策解读，采用图解和问答等群众看得懂的形式",
    "建立信息发布协调机制，涉及多个科室的信息由办公室统一审核后集中发布",
    "对历年公开的文件开展清理，失效文件及时标注，避免公众误用过时内容",
    "依申请公开办理实行台账管理，登记受理告知答复各环节全程留痕可查",
    "组织业务骨干参加上级举办的专题培训，并在内部开展案例讲评和经验交流",
    "政务新媒体账号纳入统一管理，定期检查更新频率和留言回复的及时程度",
    "重大行政决策事项在决策前向社会公开征求意见，并反馈意见采纳情况",
    "基层政务公开标准目录逐项对照落实，公开事项的名称依据和时限均已明确",
    "在办事大厅设置政府信息查阅点，为不便上网的群众提供现场查询服务",
    "结合年度考核对各科室公开工作进行评议，评议结果作为评先评优的参考",
    "加强保密审查和个人信息保护，发布前对涉及隐私的内容进行技术处理",
    "主动回应热点关切，对网民反映集中的问题在规定时限内作出说明",
]
PROBLEMS = [
    "公开内容的系统性还不够强，部分栏目更新不及时",
    "政策解读的形式较为单一，图表和视频解读数量偏少",
    "工作人员业务能力参差不齐，对条例的理解还需深化",
    "下一步将完善栏目维护责任分工，确保信息常更常新",
    "将丰富解读形式，邀请业务科室负责人参与在线访谈",
    "将持续开展业务培训，把条例学习纳入日常学习计划",
    "同时加强督促检查，对发现的问题建立台账限期整改",
    "努力提升政府信息公开工作的质量和群众的满意程度",
]


NEAR_MISS = "另外本年度还就档案查阅和历史文件开放审核工作制定了专门的细则并在系统内部予以印发执行"


def prose(sentences: list[str], agency: str = "", year: int = 2023) -> str:
    """A paragraph of the given sentences, opened with the year and the agency's name."""
    return f"{year}年，{agency}" + "。".join(sentences) + "。"


def requests_table(new: int, carried_over: int = 0, carried_forward: int = 0) -> dict:
    """Table 3, every request from natural persons and granted, arithmetic consistent."""
    rows = {"new": new, "carried_over": carried_over, "granted": new + carried_over - carried_forward,
            "total": new + carried_over - carried_forward, "carried_forward": carried_forward}
    figures = {}
    for row, value in rows.items():
        for column in APPLICANT_COLUMNS:
            figures[f"requests.{row}.{column}"] = float(value if column == "natural" else 0)
        figures[f"requests.{row}.total"] = float(value)
    return figures


def appeals_table(review: int, direct: int = 0, after_review: int = 0) -> dict:
    figures = {}
    for group, total in (("review", review), ("suit_direct", direct), ("suit_after_review", after_review)):
        for cell, value in (("upheld", total), ("corrected", 0), ("other", 0), ("pending", 0), ("total", total)):
            figures[f"appeals.{group}.{cell}"] = float(value)
    return figures


def audit_report(agency: str, year: int, *, region: str = "", published: str | None = "",
                 overview: list[str] | None = None, problems: list[str] | None = None,
                 requests: str = "", figures: dict | None = None) -> Report:
    """A made-up report; by default clean (no finding of any kind on its own).

    `overview`/`problems` pick the sentences of those sections; by default a few,
    too short to be compared for copying (pass longer selections to plant a copy).
    """
    region = region or agency[:3]
    published = f"{year + 1}-01-20" if published == "" else published
    figures = figures if figures is not None else {**requests_table(4), **appeals_table(0)}
    texts = {
        "overview": prose(overview if overview is not None else LONG_PROSE[:2], agency, year),
        "requests": requests or "依申请公开工作依法有序开展，办理情况见下表。",
        "problems": prose(problems if problems is not None else PROBLEMS[:2], "", year),
    }
    sections = [Section(key, SECTION_TITLES[key], text) for key, text in texts.items()]
    return Report(source=f"{agency}-{year}.txt", agency=agency, region=region, year=year,
                  published=published, template=2021, sections=sections, figures=figures,
                  checks=run_checks(figures))


# --- as a file the parser reads (for `index add`) --------------------------------------

def report_file_text(agency: str, year: int, new: int, carried_over: int = 0,
                     carried_forward: int = 0) -> str:
    """The report `audit_report` makes, as PDF text with table 3's rows on a line
    (`madeup.layouts.pdf_text`): every request from natural persons and granted."""
    figures = {f"requests.{row}.{column}": 0.0 for row in ("new", "carried_over", *RESULT_ROWS_2021, "total",
                                                            "carried_forward") for column in REQUEST_COLUMNS}
    figures.update(requests_table(new, carried_over, carried_forward))
    figures.update(appeals_table(0))
    texts = {"overview": [prose(LONG_PROSE[:2], agency, year)], "requests": [], "appeals": [],
             "problems": [prose(PROBLEMS[:2], "", year)]}
    made = MadeUp(agency=agency, region=agency[:3], year=year, published=f"{year + 1}-01-20", template=2021,
                  figures=figures, texts=texts)
    return pdf_text(made, rows_on_one_line=True)
