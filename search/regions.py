"""Regions as a tree: province › city › district/county › town, from the region names.

A report's region is the place names its agency's name begins with, highest level
first (广西壮族自治区南宁市青秀区, see docs/report-format.md). `levels` cuts it at
each administrative suffix into its ancestors and itself::

    levels("广西壮族自治区南宁市青秀区")
    == ["广西壮族自治区", "广西壮族自治区南宁市", "广西壮族自治区南宁市青秀区"]

Each of those is a region value in its own right: choosing 广西壮族自治区南宁市 means
every report whose region lies within it (`within`, `expand`). `tree` lays a facet's
per-region counts out as nested `RegionNode`s whose counts add up: a node counts its
own reports plus all below it.

A region that starts below the top (白沙市财政局's 白沙市) is placed where another
region of the corpus puts it (云岭省白沙市), when exactly one does (`qualified`): the
corpus's own names are the only map of provinces it has.

API: `levels(region)`, `within(region, ancestor)`, `qualified(regions)`,
`expand(chosen, known)`, `tree(counts, selected=()) -> list[RegionNode]`, `RegionNode`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Longest suffixes first: 自治区 before 区, 自治州 before 州 (and 荆州市 is one name), 街道 a town.
_LEVEL = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|新区|省|市|州(?![市县区省盟])|盟|县|区|旗|镇|乡)")


@lru_cache(maxsize=1 << 14)
def levels(region: str) -> tuple[str, ...]:
    """The region and its ancestors as cumulative names, highest first."""
    region = (region or "").strip()
    if not region:
        return ()
    pieces = _LEVEL.findall(region)
    rest = region[sum(map(len, pieces)):]
    if rest:
        pieces.append(rest)
    merged: list[str] = []
    for piece in pieces:
        # A lone suffix (沙市区 cut as 沙市 + 区) belongs to the piece before it.
        if merged and len(piece) == 1:
            merged[-1] += piece
        else:
            merged.append(piece)
    out, name = [], ""
    for piece in merged:
        name += piece
        out.append(name)
    return tuple(out)


def within(region: str, ancestor: str) -> bool:
    """Whether `region` is `ancestor` or lies inside it."""
    return ancestor in levels(region)


def qualified(regions) -> dict[str, str]:
    """Each region with the ancestors the corpus's other regions give its top level:
    白沙市 → 云岭省白沙市 when some region reads 云岭省白沙市 (and no other 省 has a 白沙市)."""
    regions = [r for r in dict.fromkeys(regions) if r]
    parents: dict[str, set[str]] = {}
    for region in regions:
        names = levels(region)
        for upper, name in zip(names, names[1:]):
            parents.setdefault(name[len(upper):], set()).add(upper)
    out = {region: region for region in regions}
    for _ in range(4):          # province › city › district › town: a few steps at most
        changed = False
        for region, full in out.items():
            top = levels(full)[0]
            above = parents.get(top, set())
            if len(above) == 1:
                out[region] = next(iter(above)) + full
                changed = True
        if not changed:
            break
    return out


def expand(chosen, known) -> set[str]:
    """The region values of `known` lying within any of `chosen` (itself included)."""
    chosen = {str(c) for c in chosen if c}
    if not chosen:
        return set()
    full = qualified(known)
    return {region for region, name in full.items() if chosen.intersection(levels(name))} | chosen


@dataclass
class RegionNode:
    value: str            # the whole name, what a filter selects: 广西壮族自治区南宁市
    label: str            # the last level only: 南宁市
    count: int = 0        # this region and everything within it
    selected: bool = False
    children: list["RegionNode"] = field(default_factory=list)


def tree(counts: dict[str, int], selected=()) -> list[RegionNode]:
    """Nested nodes from per-region counts; each node's count is the sum of its subtree.

    Siblings are ordered by count (most first), then name. `selected` values are
    marked (and present even when they count nothing).
    """
    selected = {str(s) for s in selected}
    nodes: dict[str, RegionNode] = {}
    roots: list[RegionNode] = []
    full = qualified(list(counts) + sorted(selected - set(counts)))
    for region, path in full.items():
        parent = None
        for name in levels(path):
            node = nodes.get(name)
            if node is None:
                label = name[len(parent.value):] if parent else name
                node = nodes[name] = RegionNode(name, label, 0, name in selected)
                (parent.children if parent else roots).append(node)
            node.count += counts.get(region, 0)
            parent = node

    def order(items: list[RegionNode]) -> list[RegionNode]:
        items.sort(key=lambda n: (-n.count, n.value))
        for item in items:
            order(item.children)
        return items

    return order(roots)
