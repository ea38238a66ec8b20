"""Portal chrome: the lines a government web site prints around every article.

Breadcrumbs (当前位置：首页 > …), font-size switches (字体【大 中 小】), share and print
buttons (分享到, 【打印】【关闭】), the site's footer (主办单位, ICP备, 网站标识码, 网站地图),
"related links" headings, view counters. They sit inside the content element often
enough, with no class name to give them away, that the parser drops them by their
words, whatever the container (an HTML page, or a page saved as text).
"""
from __future__ import annotations

import re

_CHROME = re.compile(
    r"^(?:当前位置|您现在的位置|您的位置|所在位置)\s*[:：]"
    r"|^【?\s*(?:字体|字号)\s*[:：]?\s*【?\s*[大中小]\s*[大中小]?\s*[大中小]?\s*】?"
    r"|^(?:分享到|分享至|扫一扫|打印本页|关闭窗口|上一篇|下一篇|相关链接|相关文章|相关阅读|相关新闻|相关稿件)"
    r"|【\s*(?:打印|关闭|打印本页|关闭窗口|收藏|返回顶部)\s*】"
    r"|(?:主办单位|承办单位|技术支持|网站标识码|版权所有|政府网站标识码)\s*[:：]?"
    r"|ICP\s*备|公网安备|网站地图|联系我们\s*[|｜]"
    r"|^(?:浏览次数|阅读次数|访问量|点击数|浏览量)\s*[:：]"
)
_LONGEST = 120   # a chrome line is short; a sentence that mentions 打印 is prose


def is_chrome(line: str) -> bool:
    """Whether a line is the portal's furniture rather than the report's text."""
    text = line.strip()
    return bool(text) and len(text) <= _LONGEST and bool(_CHROME.search(text))
