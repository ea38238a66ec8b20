"""What OCR read from a file, kept by the file's sha256 so a rebuild need not read it again.

One JSON file per source file, ``<sha256>.json`` in the cache folder: the engine
(`corpus.ocr.engine.VERSION`) and the layout version it was read with, how many
pictures and seconds it took, and each picture's items (lines, and tables as rows of
``[text, copy, second]`` cells). An entry written by another engine or layout version
is not used. Entries are written whole (a temporary file renamed), so a build killed
mid-write leaves none half-written. `prune` drops the entries of files a build no
longer read.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from corpus.document import Cell, Table
from corpus.ocr.engine import VERSION as ENGINE
from corpus.ocr.page import Item

LAYOUT = 3          # raise when corpus.ocr.page or .cells read pictures differently
SUFFIX = ".json"


def _item_json(item: Item) -> dict:
    if item.table is not None:
        return {"top": item.top, "bottom": item.bottom,
                "table": [[[c.text, c.copy, c.second] for c in row] for row in item.table.rows]}
    return {"top": item.top, "bottom": item.bottom, "line": item.line}


def _item(data: dict) -> Item:
    if "table" in data:
        return Item(data["top"], data["bottom"],
                    table=Table([[Cell(text, copy, second) for text, copy, second in row] for row in data["table"]]))
    return Item(data["top"], data["bottom"], line=data["line"])


def get(folder: Path, key: str) -> list[list[Item]] | None:
    """The pictures' items stored under `key`, or None."""
    try:
        data = json.loads((folder / f"{key}{SUFFIX}").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("engine") != ENGINE or data.get("layout") != LAYOUT:
        return None
    return [[_item(item) for item in picture] for picture in data["pictures"]]


def put(folder: Path, key: str, pictures: list[list[Item]], seconds: float) -> None:
    """Store the pictures' items under `key` (best effort: a full disk only costs a re-read)."""
    data = {"engine": ENGINE, "layout": LAYOUT, "pages": len(pictures), "seconds": round(seconds, 3),
            "written": time.time(), "pictures": [[_item_json(item) for item in picture] for picture in pictures]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, folder / f"{key}{SUFFIX}")
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def stats(folder: Path, key: str) -> dict | None:
    """{pages, seconds, written} of the entry under `key`, or None."""
    try:
        data = json.loads((folder / f"{key}{SUFFIX}").read_text(encoding="utf-8"))
        return {"pages": data["pages"], "seconds": data["seconds"], "written": data["written"]}
    except (OSError, ValueError, KeyError):
        return None


def prune(folder: Path, keep: set[str]) -> None:
    """Remove every entry whose key is not in `keep`."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.endswith((SUFFIX, ".tmp")) and path.name.split(".")[0] not in keep:
            path.unlink(missing_ok=True)
