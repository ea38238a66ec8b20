"""The kind of an agency, read off the end of its name (corpus.agency_kind)."""
import pytest

from corpus.agency_kind import KINDS, LABELS, agency_kind


@pytest.mark.parametrize("name, kind", [
    ("海东市人民政府", "government"),
    ("某某县政府", "government"),
    ("某某县人民政府办公室", "office"),            # its office, not the government
    ("某某省人民政府办公厅", "office"),
    ("某某市工业和信息化局", "department"),
    ("某某省教育厅", "department"),
    ("某某市发展和改革委员会", "commission"),
    ("平潭综合实验区管委会", "commission"),
    ("某某市某某区桃源镇人民政府", "township"),     # a town's government, not a county's
    ("某某县石桥乡人民政府", "township"),
    ("某某县石桥乡", "township"),
    ("某某市某某区东门街道办事处", "subdistrict"),
    ("某某区西关街道办", "subdistrict"),
    ("某某市公安局交通警察支队", "other"),
    ("某某市政务服务中心", "other"),
    ("某某市 财政局", "department"),               # whitespace in a damaged name
])
def test_the_kind_is_read_off_the_names_ending(name, kind):
    assert agency_kind(name) == kind


def test_every_kind_has_a_chinese_name():
    assert set(LABELS) == set(KINDS)
