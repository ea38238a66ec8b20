"""What kind of agency (机关类型) a name is, read off its ending.

Reports do not say what kind of agency wrote them, but the official name does, in its
last words: a 人民政府, its 办公室 (办公厅), one of its working departments (…局, …厅),
a 委员会, a township's government (…镇人民政府, …乡人民政府) or a sub-district office
(…街道办事处). The rules, first that holds:

=============  ==============  ==================================================
kind           中文             the name ends with
=============  ==============  ==================================================
subdistrict    街道办事处        街道办事处, 街道办
township       乡镇人民政府      镇人民政府, 乡人民政府, 镇政府, 乡政府, 镇, 乡
office         政府办公室（厅）   办公室, 办公厅
government     人民政府         人民政府, 政府
commission     委员会           委员会, 管委会
department     局、厅           局, 厅
other          其他             anything else (队, 中心, 院, 所 …)
=============  ==============  ==================================================

So 某某县人民政府办公室 is an office (not a government), and 某某镇人民政府 a township.

API: `agency_kind(name) -> str`, `KINDS` (in the order pages list them), `LABELS`.
"""
from __future__ import annotations

KINDS = ("government", "office", "department", "commission", "township", "subdistrict", "other")
LABELS = {
    "government": "人民政府",
    "office": "政府办公室（厅）",
    "department": "局、厅",
    "commission": "委员会",
    "township": "乡镇人民政府",
    "subdistrict": "街道办事处",
    "other": "其他",
}
# (kind, endings), tried in this order.
_RULES = (
    ("subdistrict", ("街道办事处", "街道办")),
    ("township", ("镇人民政府", "乡人民政府", "镇政府", "乡政府", "镇", "乡")),
    ("office", ("办公室", "办公厅")),
    ("government", ("人民政府", "政府")),
    ("commission", ("委员会", "管委会")),
    ("department", ("局", "厅")),
)


def agency_kind(name: str) -> str:
    """The kind of the agency called `name` (see the module docstring)."""
    name = "".join(str(name).split())
    for kind, endings in _RULES:
        if name.endswith(endings):
            return kind
    return "other"
