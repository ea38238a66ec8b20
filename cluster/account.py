"""Who the OpenSearch JVM runs as: the caller, or a dedicated user when the caller is root.

OpenSearch refuses to start as root ("can not run opensearch as root"), and CI runs
as root. So when run as root, `runner()` creates (once per machine) a system user
``opensearch-runner`` — no home, no login shell, its own group — and the node's JVM is
started as it (subprocess's user=/group=). Its folders (config, data, logs) are handed
to it with `hand_over`; the distribution stays root's and is only read.

For that to work the runner must be able to reach its folders: every folder above
them must let "others" pass (o+x). `check_reachable` says so before a start rather
than letting the JVM fail on "permission denied" (a folder under root's private home
is the usual case: choose a node folder elsewhere, e.g. under /tmp or /var/lib).
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cluster.errors import ClusterError

RUNNER = "opensearch-runner"
USERADD_SECONDS = 30.0


@dataclass(frozen=True)
class Account:
    """A user the JVM is started as (subprocess's user= and group=)."""
    name: str
    uid: int
    gid: int


def runner() -> Account | None:
    """The account for the JVM: None for a normal user (the node runs as the caller);
    for root, the ``opensearch-runner`` system user, created if the machine has none."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(RUNNER)
    except KeyError:
        _create()
        entry = pwd.getpwnam(RUNNER)
    return Account(RUNNER, entry.pw_uid, entry.pw_gid)


def _create() -> None:
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    nologin = shutil.which("nologin") or "/usr/sbin/nologin"
    command = [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
               "--shell", nologin, "--comment", "runs local OpenSearch nodes", RUNNER]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=USERADD_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"could not create the user {RUNNER} to run OpenSearch as: {exc}") from exc
    if done.returncode != 0:
        try:
            pwd.getpwnam(RUNNER)            # another process created it meanwhile
            return
        except KeyError:
            pass
        raise ClusterError(f"could not create the user {RUNNER} to run OpenSearch as "
                           f"(OpenSearch refuses root): {done.stderr.strip()}")


def hand_over(folder: Path, account: Account | None) -> None:
    """Make `folder` and everything in it the account's (nothing to do for the caller)."""
    if account is None:
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, account.uid, account.gid)


def check_reachable(folder: Path, account: Account | None) -> None:
    """Raise unless the account can pass through every folder above `folder`."""
    if account is None:
        return
    groups = {account.gid} | {g.gr_gid for g in grp.getgrall() if account.name in g.gr_mem}
    for parent in Path(folder).resolve().parents:
        info = parent.stat()
        if info.st_uid == account.uid:
            allowed = info.st_mode & 0o100
        elif info.st_gid in groups:
            allowed = info.st_mode & 0o010
        else:
            allowed = info.st_mode & 0o001
        if not allowed:
            raise ClusterError(f"the user {account.name}, who runs OpenSearch (it refuses root), cannot "
                               f"enter {parent} on the way to {folder}: use a folder outside it "
                               "(--dir for the nodes, REPORTS_OPENSEARCH_CACHE for the distribution)")
