"""Adds and removes landing while a full build runs: is anything an operator did undone?

`writes_during_build` starts ``python -m index build`` on a copy of an index, and at a
chosen moment of it runs ``python -m index add`` of a new report and ``python -m index
remove`` of a served one, as separate processes, the way an operator (or a fetching
job) would. When all three have ended, the live generation must hold what they said
they did: the added report if ``add`` exited 0, not the removed one if ``remove``
exited 0. The expected set of reports is worked out here from what was done (the
reports served before, the id the added file was written with, the id removed), not
from anything the index code reports. Moments are fractions of a build's duration, from
0 (before the build reads anything) to past its end.

A command that exited 0 and whose change is not served is *lost*. A command that
exits 1 must say why on stderr (it then changed nothing).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from reliability.server import PROJECT_ROOT

COMMAND_SECONDS = 900.0


def served_ids(root: Path) -> set[str]:
    """The report ids the live generation of `root` serves: each report document's stored id."""
    from index import schema as fields
    from index import store

    ix = store.open_generation(root, store.current_generation(root))
    with ix.searcher() as searcher:
        return {doc[fields.REPORT_ID] for doc in searcher.documents(**{fields.KIND: fields.KIND_REPORT})}


def new_report(folder: Path, n: int) -> tuple[Path, str]:
    """A made-up report file of an agency no corpus has, and the id it must be served under."""
    from madeup.layouts import MadeUp, plain_text

    stems = "甲乙丙丁戊己庚辛壬癸"
    agency, year = f"琥珀{stems[n // 10 % 10]}{stems[n % 10]}市档案局", 2023
    texts = {"overview": [f"{year}年，本机关认真贯彻落实政府信息公开条例，第{n}项专项公开工作按期完成。"],
             "proactive": ["通过门户网站及时公开政策文件。"], "requests": ["全年办理依申请公开事项。"],
             "appeals": ["本年度未发生行政复议和行政诉讼。"], "problems": ["公开质量有待提升。"],
             "other": ["本年度未收取信息处理费。"]}
    made = MadeUp(agency=agency, region="", year=year, published=f"{year + 1}-01-20", template=2021,
                  figures={}, texts=texts)
    path = folder / f"added-{n}.txt"
    path.write_text(plain_text(made), encoding="utf-8")
    return path, f"{agency}-{year}"


def _index(argv: list[str], log: Path) -> subprocess.Popen:
    out = open(log, "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", "index", *argv, "--quiet"], cwd=PROJECT_ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
    finally:
        out.close()


def _ended(process: subprocess.Popen) -> int:
    try:
        return process.wait(timeout=COMMAND_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return -9


def one_build(base: Path, corpus: Path, workdir: Path, name: str, moment: float | None,
              number: int) -> dict:
    """A build of `corpus` over a copy of `base`; at `moment` seconds an add and a remove."""
    root = workdir / f"{name}-index"
    shutil.copytree(base, root, symlinks=True)
    before = served_ids(root)
    added_file, added_id = new_report(workdir, number)
    removed_id = sorted(before)[number % len(before)]
    log = workdir / f"{name}.log"
    started = time.monotonic()
    build = _index(["build", "--corpus", str(corpus), "--index", str(root)], log)
    add = remove = None
    ended = None
    if moment is not None:
        while time.monotonic() < started + moment:
            if ended is None and build.poll() is not None:
                ended = time.monotonic()
            time.sleep(0.02)
        add = _index(["add", str(added_file), "--index", str(root)], workdir / f"{name}-add.log")
        remove = _index(["remove", removed_id, "--index", str(root)], workdir / f"{name}-remove.log")
    statuses = {"build": _ended(build)}
    seconds = (ended or time.monotonic()) - started
    if add is not None:
        statuses["add"], statuses["remove"] = _ended(add), _ended(remove)
    served = served_ids(root)
    expected = set(before)
    if statuses.get("add") == 0:
        expected.add(added_id)
    if statuses.get("remove") == 0:
        expected.discard(removed_id)
    said = {what: (workdir / f"{name}-{what}.log").read_text(errors="replace")
            for what in ("add", "remove") if statuses.get(what, 0) != 0}
    shutil.rmtree(root, ignore_errors=True)
    return {"moment_s": None if moment is None else round(moment, 2), "seconds": round(seconds, 1),
            "statuses": statuses,
            "add_lost": statuses.get("add") == 0 and added_id not in served,
            "remove_undone": statuses.get("remove") == 0 and removed_id in served,
            "other_differences": sorted((served ^ expected) - {added_id, removed_id}),
            "silent_refusals": sorted(what for what, text in said.items() if "error:" not in text)}


def writes_during_build(base: Path, corpus: Path, workdir: Path, moments: int = 6, runs: int = 1) -> dict:
    """`runs` × `moments` builds of `corpus` over copies of the index `base`, each with an
    add and a remove landing at a fraction 0 … 1.1 of a build's duration; figures: how
    many landed, were lost or undone, and each build's outcome.

    A build's duration is not known before it ends, and on a shared machine it varies
    twofold: each landing is timed on the duration of the build before it (a first
    build measures it), and each row says where it actually landed (`landed_at`: the
    moment over that build's own duration; past 1, after it ended).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    duration = one_build(base, corpus, workdir, "calibration", None, 0)["seconds"]
    fractions = [round(1.1 * k / max(1, moments - 1), 2) for k in range(moments)]
    builds = []
    for run in range(runs):
        for k, fraction in enumerate(fractions):
            number = 1 + run * moments + k
            outcome = one_build(base, corpus, workdir, f"run{run}-m{k}", fraction * duration, number)
            builds.append({"fraction": fraction, "landed_at": round(fraction * duration / outcome["seconds"], 2),
                           **outcome})
            duration = outcome["seconds"]
    return {"runs": runs, "moments": fractions, "builds": builds,
            "landed": len(builds),
            "adds_lost": sum(b["add_lost"] for b in builds),
            "removes_undone": sum(b["remove_undone"] for b in builds),
            "builds_failed": sum(b["statuses"]["build"] != 0 for b in builds),
            "adds_refused": sum(b["statuses"]["add"] != 0 for b in builds),
            "removes_refused": sum(b["statuses"]["remove"] != 0 for b in builds),
            "silent_refusals": sum(len(b["silent_refusals"]) for b in builds),
            "other_differences": sum(len(b["other_differences"]) for b in builds)}
