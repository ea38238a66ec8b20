"""What ``index add`` and ``index remove`` did, kept in the index root where the next
full build reads it, so no report is lost or brought back without a word.

    instance/index/
        added/<report_id><suffix>   a copy of each file `index add` indexed
        removed.json                the ids `index remove` took out, sorted

`index build` reads the corpus folder *and* ``added/`` (an added file is newer than
the corpus file it replaced, so it wins as the later file does), then leaves out the
reports in ``removed.json``. Adding a report again takes it off that list; removing
one deletes its copy in ``added/``. Writes are atomic (a temporary file, then
`os.replace`), so a crash leaves the old list or the new one.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

ADDED = "added"
REMOVED = "removed.json"


def added_dir(root: Path) -> Path:
    return Path(root) / ADDED


def added_files(root: Path) -> list[Path]:
    """The kept copies of added files, in name order."""
    folder = added_dir(root)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))


def keep_added(root: Path, rid: str, path: str | Path) -> Path:
    """Copy `path` into ``added/`` as ``<rid><suffix>`` (replacing an earlier copy of the
    same report) and take `rid` off the removed list."""
    folder = added_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(path).suffix.lower() if Path(path).suffix[1:].isalnum() else ""
    target = folder / f"{rid}{suffix}"
    temporary = folder / f".{target.name}.tmp"
    shutil.copyfile(path, temporary)
    _forget_added(folder, rid)
    os.replace(temporary, target)
    forget_removed(root, [rid])
    return target


def _forget_added(folder: Path, rid: str) -> None:
    for old in folder.iterdir():
        if old.name == rid or (old.stem == rid and old.is_file()):
            old.unlink(missing_ok=True)


def removed_ids(root: Path) -> set[str]:
    """The ids `index remove` took out and no `index add` brought back."""
    try:
        return set(json.loads((Path(root) / REMOVED).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as error:
        raise OSError(f"{Path(root) / REMOVED} cannot be read ({error}); "
                      "fix or delete it (it lists the reports `index remove` took out)") from None


def _write_removed(root: Path, ids: set[str]) -> None:
    path = Path(root) / REMOVED
    temporary = path.with_name(f".{REMOVED}.tmp")
    temporary.write_text(json.dumps(sorted(ids), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def remember_removed(root: Path, ids: list[str]) -> None:
    """Add `ids` to the removed list and delete their copies in ``added/``."""
    folder = added_dir(root)
    for rid in ids:
        if folder.is_dir():
            _forget_added(folder, rid)
    _write_removed(root, removed_ids(root) | set(ids))


def forget_removed(root: Path, ids: list[str]) -> None:
    removed = removed_ids(root)
    if removed & set(ids):
        _write_removed(root, removed - set(ids))
