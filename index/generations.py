"""The generations an index root keeps on disk, for its operator: list them, and make
one of them live again.

Every build, ``add`` and ``remove`` writes a new generation and swaps it in
(`index.store`); the live one and the ``keep_generations`` replaced most recently stay
on disk (`index.store.clean_up`, config/settings.py). ``python -m index generations``
lists them (`generations`), and ``python -m index activate GEN`` makes one live again
(`activate`) — a rollback after a bad build, or forward again — with the atomic swap a
build uses, under the same write lock (`index.lock`: it waits for a running build like
any writer), so the site serves it from its next search, without a restart.

Activating changes what is served, not what ``add`` and ``remove`` recorded for the
next build (`index.manifest`): that build still takes in the added files and leaves out
the removed reports. `Activation` lists the reports the activated generation serves
that the one it replaced did not, and those it lacks, so the operator sees what moved.

API: `Generation`, `generations(root)`, `Activation`, `activate(root, name, wait=None)`,
`NoSuchGeneration`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index import store
from index.lock import write_lock
from index.summary import indexed_report_ids


class NoSuchGeneration(Exception):
    """The generation asked for cannot be made live; the message says why. Nothing changed."""


@dataclass(frozen=True)
class Generation:
    """One generation folder, as the operator sees it."""

    name: str
    written_at: float | None    # when its summary was written (seconds since the epoch); None if partial
    action: str                 # build, add, remove: what wrote it ("" when partial)
    reports: int | None         # reports it serves (its summary's count)
    live: bool
    partial: bool               # abandoned half-way: never finished, never live (`store.is_partial`)


def generations(root: str | Path) -> list[Generation]:
    """Every generation under `root`, the most recently written first (partial ones last)."""
    root = Path(root)
    folder = store.generations_dir(root)
    if not folder.is_dir():
        return []
    live = store.current_generation(root)
    found = []
    for path in folder.iterdir():
        if not path.is_dir():
            continue
        summary = store.read_summary(root, path.name)
        partial = store.is_partial(root, path.name)
        try:
            written = (path / store.SUMMARY).stat().st_mtime
        except OSError:
            written = None
        found.append(Generation(path.name, written, summary.get("action", ""), summary.get("reports"),
                                path.name == live, partial))
    return sorted(found, key=lambda g: (g.written_at is not None, g.written_at or 0, g.name), reverse=True)


@dataclass(frozen=True)
class Activation:
    """What `activate` did: the generation now live, the one it replaced, and the
    report ids served now and not before (`gained`) or before and not now (`lost`)."""

    generation: str
    previous: str | None
    reports: int
    gained: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def activate(root: str | Path, name: str, wait: float | None = None) -> Activation:
    """Make generation `name` the live one, atomically, under the write lock.

    :raise NoSuchGeneration: when there is no such generation, or it is partial or
        cannot be opened (nothing changed).
    :raise index.lock.IndexLocked: when the lock cannot be had in `wait` seconds
        (default: the ``lock_wait_seconds`` setting).
    """
    root = Path(root)
    with write_lock(root, "activate", wait=wait):
        names = sorted(g.name for g in generations(root))
        if name != Path(name).name or name not in names:
            kept = ", ".join(names) or "none"
            raise NoSuchGeneration(f"There is no generation {name!r} under {root} (kept: {kept}; "
                                   "list them with: python -m index generations). Nothing was changed.")
        if store.is_partial(root, name):
            raise NoSuchGeneration(f"Generation {name} was never finished (its writer was stopped "
                                   "half-way); it cannot be made live. Nothing was changed.")
        try:
            ix = store.open_generation(root, name)
            store.check_bigrams(root, name, ix)
        except store.IndexMissing as error:
            raise NoSuchGeneration(f"Generation {name} cannot be served: {error} Nothing was changed.") from None
        previous = store.current_generation(root)
        serves = indexed_report_ids(ix)
        if previous == name:
            return Activation(name, previous, len(serves))
        try:
            served = indexed_report_ids(store.open_generation(root, previous)) if previous else set()
        except store.IndexMissing:
            served = set()
        # It may have been live before: it is not retired any more (`store.clean_up`).
        (store.generation_dir(root, name) / store.RETIRED).unlink(missing_ok=True)
        store.swap_in(root, store.generation_dir(root, name))
        store.discard_partial(root)
        return Activation(name, previous, len(serves), sorted(serves - served), sorted(served - serves))
