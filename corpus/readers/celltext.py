"""The text of one table cell printed over several lines, as one string.

PDF and Word both wrap a long label inside its cell (（二）部分公开（区分处理的， /
只计这一情形，不计其他情形）) or stack a short one (商业 / 企业). Chinese has no
spaces between words, so the lines join with nothing between them; only two Latin
words meeting at a break get a space.
"""
from __future__ import annotations


def join_lines(lines) -> str:
    out = ""
    for part in (" ".join(line.split()) for line in lines):
        if not part:
            continue
        if out and _latin_letter(out[-1]) and _latin_letter(part[0]):
            out += " "
        out += part
    return out


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()
