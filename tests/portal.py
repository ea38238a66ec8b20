"""A made-up county government portal, served on 127.0.0.1 by the test itself.

青柳县人民政府's (fictional) portal, laid out like a TRS-style government CMS: a
政府信息公开年报 column at ``/xxgk/ndbg/`` whose list runs over four pages (a 下一页
link, ``index_1.html``/``index_2.html`` pages, a ``list?page=4`` page), a second
column at ``/xxgk/nb/`` paged by a ``createPageHTML`` script, article pages inside
the portal's chrome (navigation to 通知公告 and 政策文件, a sidebar notice about
reports, a link to another site), attachments (a PDF made with reportlab, a .docx
made with python-docx, a legacy .doc made from it by LibreOffice, an .xls), and the
troubles a crawler meets: a robots.txt Disallow, a 404, a 500 that recovers on the
retry, a 301 redirect, links to another host.

`Portal` serves a dict of path -> `Resource` with ETag / Last-Modified answers and
304s, logs every request (path, status, headers), and can be changed between runs.
`Elsewhere` is a second server (another port, so another host) that must never be
asked for anything.
"""
from __future__ import annotations

import hashlib
import html
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from madeup import files, layouts, spanned


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True            # answer with an ETag (and honour If-None-Match)
    last_modified: str = ""      # answer with this Last-Modified (and honour If-Modified-Since)

    @property
    def tag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    server_version = "TRS-WCM/7.0"

    def do_GET(self):  # noqa: N802 - the http.server hook's name
        site: Site = self.server.site
        status, headers, body = site.answer(self.path, self.headers)
        site.log.append((self.path, status, dict(self.headers)))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # the test's output stays quiet
        pass


class Site:
    """A server on 127.0.0.1 answering from `resources`; `log` records each request."""

    def __init__(self):
        self.resources: dict[str, Resource] = {}
        self.redirects: dict[str, str] = {}      # path -> Location
        self.failures: dict[str, int] = {}       # path -> how many 500s before it answers
        self.log: list[tuple[str, int, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.root + path

    def start(self) -> "Site":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, request_headers) -> tuple[int, dict, bytes]:
        if path in self.redirects:
            return 301, {"Location": self.redirects[path]}, b""
        if self.failures.get(path, 0) > 0:
            self.failures[path] -= 1
            return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"
        resource = self.resources.get(path)
        if resource is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, chrome("页面不存在", "<p>您访问的页面不存在。</p>", "")
        headers = {"Content-Type": resource.content_type}
        if resource.etag:
            headers["ETag"] = resource.tag
            if request_headers.get("If-None-Match") == resource.tag:
                return 304, headers, b""
        if resource.last_modified:
            headers["Last-Modified"] = resource.last_modified
            if request_headers.get("If-Modified-Since") == resource.last_modified:
                return 304, headers, b""
        return 200, headers, resource.body

    def requested(self, pattern: str = "") -> list[str]:
        """Paths requested so far (containing `pattern`)."""
        return [path for path, _, _ in self.log if pattern in path]


def chrome(title: str, content: str, elsewhere: str) -> bytes:
    """A page inside the portal's chrome: header, navigation, sidebar, footer."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}_青柳县人民政府</title></head>
<body>
<div class="header"><a href="/">青柳县人民政府</a>
 <a href="{elsewhere}/">青柳市人民政府门户网站</a></div>
<ul class="nav">
 <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
 <li><a href="/tzgg/index.html">通知公告</a></li><li><a href="/zcwj/index.html">政策文件</a></li>
 <li><a href="/xxgk/ndbg/index.html">政府信息公开年报</a></li>
</ul>
<div class="sidebar"><h3>通知公告</h3><ul>
 <li><a href="/tzgg/202312/t20231201_9.html">关于报送2023年政府信息公开工作年度报告的通知</a></li>
 <li><a href="/tzgg/202311/t20231120_8.html">青柳县2023年政务公开培训会召开</a></li>
</ul></div>
<div class="main">{content}</div>
<div class="footer">主办：青柳县人民政府办公室 <a href="{elsewhere}/jiucuo">网站纠错</a></div>
</body></html>""".encode("utf-8")


def list_page(items: list[tuple[str, str]], pager: str, elsewhere: str, title: str = "政府信息公开年报") -> bytes:
    rows = "\n".join(f'<li><a href="{href}" title="{html.escape(text)}" target="_blank">'
                     f'{html.escape(text[:22])}…</a><span>2024-01-20</span></li>' for text, href in items)
    return chrome(title, f'<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; {title}</div>'
                         f'<ul class="list">{rows}</ul><div class="pager">{pager}</div>', elsewhere)


def article(report_html: str | None, title: str, attachments: list[tuple[str, str]], elsewhere: str) -> bytes:
    """An article page: the report's body from `layouts.html_page` (or a 详见附件 note)."""
    if report_html is None:
        body = f'<h1 class="article_title">{html.escape(title)}</h1><p>详见附件。</p>'
    else:
        body = re.search(r"<body>(.*)</body>", report_html, re.S).group(1)
    links = "".join(f'<p>附件：<a href="{href}">{html.escape(text)}</a></p>' for text, href in attachments)
    return chrome(title, f'<div class="crumb">当前位置：首页 &gt; 政府信息公开年报</div>{body}{links}', elsewhere)


def legacy_doc(docx_bytes: bytes, kind: str = "doc") -> bytes:
    """The .docx saved as Word 97 .doc (or `kind`: "rtf") by LibreOffice (installed by scripts/test)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx_bytes)
        subprocess.run(["soffice", f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
                        "--headless", "--convert-to", kind, "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=120)
        return (Path(folder) / f"report.{kind}").read_bytes()


def renamed(report: spanned.MadeUpReport, old: str, new: str, year: int) -> spanned.MadeUpReport:
    """The same made-up report as another agency's, for another year."""
    def swap(text):
        return text.replace(old, new).replace(str(report.year), str(year)).replace(
            str(report.year + 1), str(year + 1))
    blocks = [(kind, swap(item) if kind == "line" else item) for kind, item in report.blocks]
    return spanned.MadeUpReport(agency=new, region=new[:3], year=year,
                                  published=swap(report.published), blocks=blocks)


ROBOTS = b"User-agent: *\nDisallow: /xxgk/ndbg/internal/\n\nUser-agent: BadBot\nDisallow: /\n"
PDF_TYPE, DOCX_TYPE = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def furnish(site: Site, elsewhere: Site) -> dict[str, str]:
    """Fill `site` with the portal; the paths the tests talk about, by a short name."""
    other = elsewhere.root
    r1, r2, r4, r5 = (layouts.made_up(seed) for seed in (1, 2, 4, 5))
    qinghe = spanned.made_up_report()                                   # 青禾市数据资源管理局 2023
    civil = renamed(qinghe, qinghe.agency, "青柳县民政局", 2022)
    water = renamed(qinghe, qinghe.agency, "青柳县水利局", 2021)
    paths = {
        "html": "/xxgk/ndbg/202401/t20240120_101.html",           # a report as a web page
        "note": "/art/2024/1/18/art_102.html",                   # 详见附件, outside the column folder
        "pdf": "/xxgk/ndbg/files/P020240118.pdf",
        "moved": "/xxgk/ndbg/202401/t20240125_103.html",         # 301 ->
        "moved_to": "/xxgk/ndbg/202401/t20240125_103_1.html",
        "civil": "/xxgk/ndbg/202301/t20230115_104.html",
        "docx": "/xxgk/ndbg/202301/P020230115_1.docx",
        "xls": "/xxgk/ndbg/202301/P020230115_2.xls",
        "disallowed": "/xxgk/ndbg/internal/draft.pdf",
        "missing": "/xxgk/ndbg/202401/t20240130_105.html",       # 404
        "water": "/xxgk/ndbg/202201/t20220110_106.html",
        "doc": "/xxgk/ndbg/202201/P020220110.doc",               # a 500 first, then the file
        "old": "/xxgk/ndbg/202001/t20200110_107.html",
        "script": "/xxgk/nb/202401/t20240201_201.html",          # only on a script-paged list
        "offhost": other + "/ndbg/2023.html",
    }
    res = site.resources
    res["/robots.txt"] = Resource(ROBOTS, "text/plain", etag=False)
    res["/xxgk/ndbg/index.html"] = Resource(list_page([
        (r1.title, "./202401/t20240120_101.html"),
        ("青禾市数据资源管理局2023年政府信息公开工作年度报告", paths["note"]),
        (r2.title, "202401/t20240125_103.html"),
    ], '<a href="index.html">首页</a> <a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a>', other))
    res["/xxgk/ndbg/index_1.html"] = Resource(list_page([
        ("青柳县民政局2022年政府信息公开工作年度报告", paths["civil"]),
        (r4.title.replace(r4.agency, "青柳县财政局"), paths["missing"]),
        ("青柳市2023年政府信息公开工作年度报告", paths["offhost"]),
    ], '<a href="index.html">上一页</a> <a href="index_2.html">下一页</a>', other))
    res["/xxgk/ndbg/index_2.html"] = Resource(list_page([
        ("青柳县水利局2021年政府信息公开工作年度报告", paths["water"]),
    ], '<a href="index_1.html">上一页</a> <a href="list?page=4">更多</a>', other))
    res["/xxgk/ndbg/list?page=4"] = Resource(list_page([
        (r4.title, paths["old"]),
    ], '<a href="index_2.html">上一页</a>', other))
    script = '<script>createPageHTML(2, 0, "index", "html");</script>'
    res["/xxgk/nb/index.html"] = Resource(list_page([(r1.title, paths["html"])], script, other, "年度报告"))
    res["/xxgk/nb/index_1.html"] = Resource(list_page([(r5.title, paths["script"])], script, other, "年度报告"))
    res[paths["html"]] = Resource(article(layouts.html_page(r1), r1.title, [], other))
    res[paths["note"]] = Resource(article(None, qinghe.title, [("2023年年报.pdf", paths["pdf"])], other))
    res[paths["pdf"]] = Resource(files.to_pdf(qinghe), PDF_TYPE, etag=False,
                                 last_modified="Thu, 18 Jan 2024 08:00:00 GMT")
    site.redirects[paths["moved"]] = paths["moved_to"]
    res[paths["moved_to"]] = Resource(article(layouts.html_page(r2), r2.title, [], other), etag=False)
    res[paths["civil"]] = Resource(article(None, civil.title, [
        ("民政局2022年年报", paths["docx"]), ("统计表.xls", paths["xls"]),
        ("内部征求意见稿.pdf", paths["disallowed"]), ("上级文件.pdf", other + "/files/notice.pdf")], other))
    civil_docx = files.to_docx(civil)
    res[paths["docx"]] = Resource(civil_docx, DOCX_TYPE)
    res[paths["xls"]] = Resource(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + bytes(600),
                                 "application/vnd.ms-excel")
    res[paths["disallowed"]] = Resource(files.to_pdf(qinghe), PDF_TYPE)
    res[paths["water"]] = Resource(article(None, water.title, [("水利局2021年年报.doc", paths["doc"])], other))
    res[paths["doc"]] = Resource(legacy_doc(files.to_docx(water)), "application/msword")
    site.failures[paths["doc"]] = 1
    res[paths["old"]] = Resource(article(layouts.html_page(r4), r4.title, [], other))
    res[paths["script"]] = Resource(article(layouts.html_page(r5), r5.title, [], other))
    res["/tzgg/index.html"] = Resource(list_page([("关于报送2023年政府信息公开工作年度报告的通知",
                                                   "/tzgg/202312/t20231201_9.html")], "", other, "通知公告"))
    return paths
