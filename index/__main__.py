"""``python -m index build|add|remove``: change the index, then print what it now holds.

    python -m index build [--corpus DIR] [--index DIR] [--workers N] [--prune] [--quiet]
    python -m index add FILE… [--index DIR]
    python -m index remove ID… [--index DIR]
    python -m index generations [--index DIR]
    python -m index activate GENERATION [--index DIR]
    python -m index audit [--index DIR] [--all]
    python -m index bigrams [--index DIR] [--workers N]

    python -m index build --engine opensearch --opensearch-url URL [--opensearch-index ALIAS]
                          [--shards N] [--replicas N] [--corpus DIR] [--workers N] [--prune]
    python -m index add|remove|audit … --engine opensearch --opensearch-url URL [--opensearch-index ALIAS]

The engine, the cluster and the alias default to the site's settings (config.settings),
so an operator sets ``REPORTS_ENGINE``, ``REPORTS_OPENSEARCH_URL`` and
``REPORTS_OPENSEARCH_INDEX`` once for both. With ``--engine opensearch`` a build writes
a new index behind the alias and flips it (index/opensearch/build.py); the ledger of
adds and removals lives in the cluster. ``generations``, ``activate`` and ``bigrams``
are the whoosh index root's (an alias keeps no generation but the live one).

Progress goes to stderr, the summary to stdout. Exit status 0 on success, 1 when
nothing was changed (no readable report, unknown ids, no index yet, a full disk, reports
the build would drop without --prune, another command holding the index too long),
143 when stopped by SIGTERM (the half-written generation is deleted, the live one
kept). `add` keeps a copy of each file in the index root and `remove` remembers the
ids, so the next `build` keeps both (index/manifest.py).

One command changes an index at a time (index/lock.py): a command that finds another
at work says which (``waiting for the build by process N (started at …) to finish``)
and waits for it, at most ``REPORTS_LOCK_WAIT_SECONDS`` (config/settings.py). With
``--engine opensearch`` the lock is the alias's, on this machine
(``<REPORTS_INDEX_PATH>/opensearch/<alias>/.lock``: index/opensearch/build.py). The
processes a command starts die with it, even when it is killed with SIGKILL
(index/children.py), on either engine; what a killed whoosh command left half-written
is deleted by the next one (a killed OpenSearch build's index by a build after its
heartbeat has been silent for 10 minutes: index/opensearch/generations.py).

``generations`` lists the generations kept on disk (name, when written, by which
command, reports, live or not; how many are kept is ``REPORTS_KEEP_GENERATIONS``) and
``activate`` makes one of them live again, atomically: the site serves it from its
next search, without a restart (index/generations.py).

``audit`` prints the audit's findings (docs/audit.md): one JSON object per line,
``{"report_id", "agency", "year", "findings": [...]}``, for each report with
findings (every report with ``--all``), ordered by agency then year; exit status 1
when there is no index.

``bigrams`` gives the live generation's segments the bigram postings an index built
before they existed lacks (index/bigrams.py; a build, add and remove write them
themselves): the verbatim lookup reads them instead of whoosh's, with the same answers.
Each segment's folder appears whole (written aside, then renamed), so a running site
can keep serving meanwhile.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from config.settings import current
from index import build as builder
from index import generations as kept
from index import manifest, store
from index.children import die_with_parent
from index.lock import IndexLocked
from index.sigterm import EXIT_STATUS as TERMINATED, Terminated, raising_on_sigterm
from index.bigram_writer import write_missing
from index.audit.stored import every_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="index every report under a corpus folder")
    build.add_argument("--corpus", default=str(store.DEFAULT_CORPUS),
                       help="folder read recursively (default: %(default)s)")
    build.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    build.add_argument("--prune", action="store_true",
                       help="drop the served reports whose files are no longer in the corpus")
    add = commands.add_parser("add", help="add or replace reports, without a rebuild")
    add.add_argument("files", nargs="+", metavar="FILE")
    remove = commands.add_parser("remove", help="remove reports by id, without a rebuild")
    remove.add_argument("ids", nargs="+", metavar="ID")
    audit = commands.add_parser("audit", help="print the audit's findings, one JSON line per report")
    audit.add_argument("--all", action="store_true", help="every report, also those without findings")
    bigrams = commands.add_parser("bigrams", help="write the bigram postings an older index lacks")
    bigrams.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    listing = commands.add_parser("generations", help="list the generations kept on disk")
    activate = commands.add_parser("activate", help="make a kept generation live again (roll back or forward)")
    activate.add_argument("generation", metavar="GENERATION", help="a name that `generations` lists")
    build.add_argument("--shards", type=int, default=1,
                       help="with --engine opensearch: the new index's primary shards (default: %(default)s)")
    build.add_argument("--replicas", type=int, default=None,
                       help="with --engine opensearch: its replicas (default: 1 on a cluster of two "
                            "data nodes or more, else 0)")
    engine, url, alias = _engine_defaults()
    for command in (build, add, remove, audit, bigrams, listing, activate):
        command.add_argument("--index", default=str(store.DEFAULT_ROOT),
                             help="whoosh: index root directory (default: %(default)s)")
        command.add_argument("--quiet", action="store_true", help="no progress bar")
    for command in (build, add, remove, audit):
        command.add_argument("--engine", choices=("whoosh", "opensearch"), default=engine,
                             help="which engine's index to change (default: %(default)s; REPORTS_ENGINE)")
        command.add_argument("--opensearch-url", default=url,
                             help="the cluster, with --engine opensearch (default: %(default)s; "
                                  "REPORTS_OPENSEARCH_URL)")
        command.add_argument("--opensearch-index", default=alias,
                             help="the alias the site reads (default: %(default)s; REPORTS_OPENSEARCH_INDEX)")
    args = parser.parse_args(argv)
    cluster = getattr(args, "engine", "whoosh") == "opensearch"
    if args.command == "audit":
        return _opensearch(args) if cluster else _audit(args.index, args.all)
    if args.command == "generations":
        return _generations(args.index)

    # Both engines' writers: their children die with them, SIGTERM cleans up.
    die_with_parent()
    with raising_on_sigterm():
        return _opensearch(args) if cluster else _change(args)


def _change(args) -> int:
    """Run a command that writes the index; its exit status."""
    live = store.current_generation(args.index)
    try:
        if args.command == "bigrams":
            return _bigrams(args.index, args.workers)
        if args.command == "activate":
            return _activate(args.index, args.generation)
        grace = current().generation_grace_seconds
        if args.command == "build":
            summary = builder.build(args.corpus, args.index, workers=args.workers,
                                    progress=not args.quiet, prune=args.prune, grace=grace)
        elif args.command == "add":
            summary = builder.add(args.files, args.index, progress=not args.quiet, grace=grace)
        else:
            summary = builder.remove(args.ids, args.index, grace=grace)
    except builder.BuildFailed as failed:
        if failed.summary is not None:
            print("\n".join(failed.summary.lines()[1:]))
        print(f"error: {failed}", file=sys.stderr)
        return 1
    except (IndexLocked, kept.NoSuchGeneration) as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 1
    except OSError as error:
        # A full disk, a folder gone: the new generation was abandoned, the live one kept.
        where = f" ({error.filename})" if error.filename else ""
        print(f"error: the index could not be written: {error.strerror or error}{where}. "
              "The index was left as it was.", file=sys.stderr)
        return 1
    except Terminated:
        now = store.current_generation(args.index)
        print(f"error: stopped by SIGTERM just after generation {now} went live: the {args.command} is done."
              if now != live else f"error: stopped by SIGTERM; what the {args.command} had begun to write was "
              "deleted. The index was left as it was.", file=sys.stderr)
        return TERMINATED
    print("\n".join(summary.lines()))
    return 0


def _when(seconds: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds)) if seconds else "-"


def _generations(root: str) -> int:
    found = kept.generations(root)
    if not found:
        print(f"error: No index under {root}. Build one with: python -m index build", file=sys.stderr)
        return 1
    print(f"{'generation':<28} {'written':<19} {'by':<7} {'reports':>7}  state")
    for generation in found:
        state = ("live" if generation.live else
                 "partial (abandoned half-way; the next build, add, remove or activate deletes it)"
                 if generation.partial else "kept")
        reports = "-" if generation.reports is None else str(generation.reports)
        print(f"{generation.name:<28} {_when(generation.written_at):<19} {generation.action or '-':<7} "
              f"{reports:>7}  {state}")
    return 0


def _activate(root: str, name: str) -> int:
    done = kept.activate(root, name)
    if done.previous == name:
        print(f"activate: generation {name} is already live ({done.reports} reports); nothing was changed")
        return 0
    print(f"activate: generation {name} is live ({done.reports} reports), replacing {done.previous}; "
          "the site serves it from its next search")
    for label, ids in (("served now, not before", done.gained), ("served before, not now", done.lost)):
        if ids:
            print(f"  {label} ({len(ids)}): " + ", ".join(ids))
    added, removed = manifest.added_files(Path(root)), manifest.removed_ids(Path(root))
    if added or removed:
        print(f"  the next build still takes in the {len(added)} file(s) `index add` kept and leaves out "
              f"the {len(removed)} report(s) `index remove` took out (index/manifest.py)")
    return 0


def _engine_defaults() -> tuple[str, str, str]:
    """The engine, cluster and alias the site is configured with (`config.settings`:
    ``REPORTS_ENGINE``, ``REPORTS_OPENSEARCH_URL``, ``REPORTS_OPENSEARCH_INDEX``)."""
    settings = current()
    return settings.engine, settings.opensearch_url, settings.opensearch_index


def _opensearch(args) -> int:
    """The four commands against a cluster (index/opensearch/build.py)."""
    from index.opensearch import build as cluster_build

    target = cluster_build.Target(args.opensearch_url, args.opensearch_index)
    live = _alias_points_to(target) if args.command == "build" else None
    try:
        if args.command == "audit":
            for row in cluster_build.audit_rows(target):
                if args.all or row["findings"]:
                    print(json.dumps(row, ensure_ascii=False))
            return 0
        if args.command == "build":
            summary = cluster_build.build(args.corpus, target, workers=args.workers, progress=not args.quiet,
                                          prune=args.prune, shards=args.shards, replicas=args.replicas)
        elif args.command == "add":
            summary = cluster_build.add(args.files, target, progress=not args.quiet)
        else:
            summary = cluster_build.remove(args.ids, target)
    except builder.BuildFailed as failed:
        if failed.summary is not None:
            print("\n".join(failed.summary.lines()[1:]))
        print(f"error: {failed}", file=sys.stderr)
        return 1
    except IndexLocked as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 1
    except Terminated:
        if args.command != "build":
            print(f"error: stopped by SIGTERM during the {args.command}: part of it may be applied (the ledger "
                  f"is written first, so the next build applies it whole); run the same {args.command} again "
                  "to finish it.", file=sys.stderr)
        elif _alias_points_to(target) not in (live, None):
            print(f"error: stopped by SIGTERM just after the alias {target.alias} was flipped: the build is done.",
                  file=sys.stderr)
        else:
            print(f"error: stopped by SIGTERM; the index the build had begun to write was deleted. The alias "
                  f"{target.alias} was left as it was.", file=sys.stderr)
        return TERMINATED
    print("\n".join(summary.lines()))
    return 0


def _alias_points_to(target) -> str | None:
    """The index ``target.alias`` points to now (None when none, or the cluster does not say)."""
    from index.opensearch import generations as cluster_generations

    try:
        return cluster_generations.live(target.client(), target.alias)
    except Exception:  # noqa: BLE001 - only to word a message; the command reports the cluster's failure
        return None


def _audit(root: str, everything: bool) -> int:
    name = store.current_generation(root)
    try:
        if name is None:
            raise store.IndexMissing(f"No index under {root}. Build one with: python -m index build")
        ix = store.open_generation(root, name)
    except store.IndexMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    for row in every_report(ix):
        if everything or row["findings"]:
            print(json.dumps(row, ensure_ascii=False))
    return 0


def _bigrams(root: str, workers: int | None) -> int:
    name = store.current_generation(root)
    if name is None:
        print(f"error: No index under {root}. Build one with: python -m index build", file=sys.stderr)
        return 1
    with store.write_lock(Path(root), "bigrams"):
        written = write_missing(store.generation_dir(Path(root), name), store.INDEX_DIR,
                                builder.worker_count(workers))
    print(f"bigrams: {len(written)} segment(s) written in generation {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
