"""Regions as the pages show them: a nested list (search facet, home page) or
indented options (the comparison page's select), built from `search.regions.tree`."""
from __future__ import annotations

from dataclasses import dataclass, field

from search.regions import RegionNode, tree


@dataclass
class RegionLink:
    label: str            # the last level: 平安区
    value: str            # the whole name: 海东市平安区
    count: int            # it and everything within it
    url: str
    selected: bool = False
    open: bool = False    # shown unfolded: it or a region within it is selected
    children: list["RegionLink"] = field(default_factory=list)


MAX_ROOTS = 30     # top-level regions listed (most first); a chosen one always is


def region_links(counts: dict[str, int], url, selected=(), limit: int = MAX_ROOTS) -> tuple[list[RegionLink], int]:
    """The region tree as links (`url(value)`: where choosing a region leads), at most
    `limit` top-level regions besides the chosen ones; and how many were left out."""
    def view(node: RegionNode) -> RegionLink:
        children = [view(child) for child in node.children]
        return RegionLink(node.label, node.value, node.count, url(node.value), node.selected,
                          node.selected or any(c.selected or c.open for c in children), children)
    roots = [view(node) for node in tree(counts, selected)]
    shown = [r for i, r in enumerate(roots) if i < limit or r.selected or r.open]
    return shown, len(roots) - len(shown)


def region_options(regions, selected: str | None = None) -> list[tuple[str, str, bool]]:
    """(value, label indented by level, selected) for every region and its ancestors."""
    out = []

    def walk(nodes: list[RegionNode], depth: int) -> None:
        for node in sorted(nodes, key=lambda n: n.value):
            out.append((node.value, "\u3000" * depth + node.label, node.value == selected))
            walk(node.children, depth + 1)
    walk(tree({r: 1 for r in regions}), 0)
    return out
