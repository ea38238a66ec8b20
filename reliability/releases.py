"""Rebuilds under a running site: does any process keep a replaced generation's files?

`old_generations_released` serves a copy of an index with gunicorn (preloaded app, as
deployed), then rebuilds it several times with ``python -m index build`` (keeping no
old generation and a short grace period, so a replaced generation is deleted by the
next build's clean-up). After each rebuild it first measures how long, with no request
sent, until no process holds a file of a replaced generation (`index.release`: at most
its 5 s), then sends every kind of request so both workers move to the new
generation, waits, and counts, for the master and each worker, from /proc:

- the files under the index root it holds open (``/proc/PID/fd``) or mapped
  (``/proc/PID/maps``) that belong to a generation no longer live (and, to show the
  count sees them, those of the live one), and
- of those, the ones already deleted: disk space nobody can get back until the process
  ends.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from reliability.load import Load
from reliability.scenarios import NO_LIMIT, site_paths, warm_up
from reliability.server import PROJECT_ROOT, Gunicorn

COMMAND_SECONDS = 900.0
RELEASE_WAIT_SECONDS = 30.0


def _opened(pid: int) -> set[str]:
    """The paths process `pid` holds open or mapped, " (deleted)" kept on deleted ones."""
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
            except OSError:
                continue
        with open(f"/proc/{pid}/maps") as maps:
            for line in maps:
                parts = line.split(maxsplit=5)
                if len(parts) == 6 and parts[5].startswith("/"):
                    found.add(parts[5].strip())
    except OSError:
        pass
    return found


def held(pid: int, root: Path, live: str) -> dict:
    """Files of generations other than `live` under `root` that `pid` holds, and how many
    of them are deleted."""
    generations = str(Path(root).resolve() / "generations") + "/"
    ours = {path for path in _opened(pid) if path.startswith(generations)}
    old = {path for path in ours if not path.startswith(generations + live + "/")}
    return {"live": len(ours - old), "old": len(old), "deleted": sum(path.endswith(" (deleted)") for path in old),
            "generations": len({path[len(generations):].split("/", 1)[0] for path in old})}


def _released_after(server: Gunicorn, root: Path, live: str, seconds: float) -> float:
    """Seconds until no process of `server` holds a replaced generation's file, with no
    request sent meanwhile (-1 if one still does after `seconds`)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if all(held(pid, root, live)["old"] == 0 for pid in [server.pid, *server.workers()]):
            return round(time.monotonic() - started, 2)
        time.sleep(0.1)
    return -1.0


def old_generations_released(index_root: Path, corpus: Path, workdir: Path, rebuilds: int = 4,
                             workers: int = 2, wait_seconds: float = 7.0, traffic_seconds: float = 4.0) -> dict:
    """`rebuilds` rebuilds of a served copy of `index_root`; after each, what each process
    still holds of replaced generations (`held`), `wait_seconds` after the traffic ends."""
    from index import store

    root = workdir / "release-index"
    shutil.copytree(index_root, root, symlinks=True)
    env = {**os.environ, "REPORTS_KEEP_GENERATIONS": "0", "REPORTS_GENERATION_GRACE_SECONDS": "1"}
    rows = []
    with Gunicorn(root, workdir / "release.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        paths = site_paths(server)
        warm_up(server, paths, 4)
        for rebuild in range(1, rebuilds + 1):
            with open(workdir / "release-build.log", "ab") as log:
                status = subprocess.run([sys.executable, "-m", "index", "build", "--corpus", str(corpus),
                                         "--index", str(root), "--quiet"], cwd=PROJECT_ROOT, env=env,
                                        stdout=log, stderr=subprocess.STDOUT, timeout=COMMAND_SECONDS).returncode
            live = store.current_generation(root)
            released = _released_after(server, root, live, RELEASE_WAIT_SECONDS)
            traffic = Load(server.port, paths, clients=4, seconds=traffic_seconds).run()
            time.sleep(wait_seconds)
            rows.append({"rebuild": rebuild, "build_status": status, "released_after_s": released,
                         "requests": traffic.requests,
                         "failures": traffic.failures, "master": held(server.pid, root, live),
                         "workers": [held(pid, root, live) for pid in server.workers()],
                         "generations_on_disk": len(list(store.generations_dir(root).iterdir()))})
    return {"rebuilds": rows, "wait_s": wait_seconds,
            "released_after_s": [row["released_after_s"] for row in rows],
            "master_deleted_held": rows[-1]["master"]["deleted"],
            "workers_deleted_held": sum(w["deleted"] for w in rows[-1]["workers"]),
            "max_old_held": max(max([r["master"]["old"]] + [w["old"] for w in r["workers"]]) for r in rows)}
