"""The OpenSearch the local nodes run: fetched with Maven once, unpacked into a cache folder.

The artifact is OpenSearch's minimal distribution as published to Maven Central,
``org.opensearch.distribution.integ-test-zip:opensearch:<version>:zip`` (56 MB): the
server and its one required module, transport-netty4 — no plugins (so no security
plugin: plain HTTP), no bundled JDK (it runs on the machine's Java, see cluster.java).
Version 2.19.x is the last line that runs on Java 17. `mvn dependency:copy` fetches it
(into ~/.m2 as well, so a second fetch is a local copy); nothing else is downloaded.

It is unpacked to ``<cache>/<version>``, where <cache> is

- ``$REPORTS_OPENSEARCH_CACHE`` when set;
- ``/var/cache/gov-reports/opensearch`` when run as root: root's home is private, and the
  node runs as another user (cluster.account) that must read the distribution;
- ``~/.cache/gov-reports/opensearch`` ($XDG_CACHE_HOME honoured) otherwise.

Outside the clone on purpose: it is a cache, not the project's data — one copy serves
every clone and worktree on the machine, survives ``git clean``, and is made again from
Maven if deleted. The unpacked folder is read-only to the nodes (each has its own
config, data and log folders, cluster.settings); unpacking goes to a temporary folder
renamed into place, so two processes fetching at once never see half a distribution.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from cluster.errors import ClusterError
from cluster.java import maven

VERSION = "2.19.6"
MAVEN_SECONDS = 900.0       # a cold ~/.m2 downloads Maven's own dependency plugin too


def cache_root() -> Path:
    """The folder holding one unpacked distribution per version (see the module's docstring)."""
    if os.environ.get("REPORTS_OPENSEARCH_CACHE"):
        return Path(os.environ["REPORTS_OPENSEARCH_CACHE"])
    if os.geteuid() == 0:
        return Path("/var/cache/gov-reports/opensearch")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-reports" / "opensearch"


def artifact(version: str = VERSION) -> str:
    """Maven's coordinates of the minimal distribution."""
    return f"org.opensearch.distribution.integ-test-zip:opensearch:{version}:zip"


def distribution(version: str = VERSION) -> Path:
    """The unpacked distribution's home folder (``bin/opensearch``, ``lib/``, ``modules/``),
    fetched and unpacked first if it is not in the cache yet."""
    home = cache_root() / version
    if (home / "bin" / "opensearch").exists():
        return home
    make_public(home.parent)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=home.parent) as scratch:
        archive = fetch(version, Path(scratch))
        unpacked = Path(scratch) / "unpacked"
        unpack(archive, unpacked)
        top = [entry for entry in unpacked.iterdir()]
        if len(top) != 1 or not (top[0] / "bin" / "opensearch").exists():
            raise ClusterError(f"{archive.name} does not hold one opensearch-<version>/ folder")
        os.chmod(top[0], 0o755)
        try:
            top[0].rename(home)
        except OSError:
            if not (home / "bin" / "opensearch").exists():   # not another process winning the race
                raise
    return home


def make_public(folder: Path) -> None:
    """Create `folder` and any missing parents, each enterable by everyone (whatever the
    umask): the node's user must reach the distribution."""
    missing = []
    for path in [folder, *folder.parents]:
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o755)


def fetch(version: str, folder: Path) -> Path:
    """Run ``mvn dependency:copy`` for the distribution into `folder`; the zip's path."""
    command = [maven(), "-q", "-B", "dependency:copy", f"-Dartifact={artifact(version)}",
               f"-DoutputDirectory={folder}"]
    try:
        # Run in the scratch folder so that no pom.xml of the caller's is picked up.
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=MAVEN_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise ClusterError(f"Maven did not fetch {artifact(version)} within {MAVEN_SECONDS:.0f} s") from exc
    archive = folder / f"opensearch-{version}.zip"
    if done.returncode != 0 or not archive.exists():
        said = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise ClusterError(f"Maven could not fetch {artifact(version)} (exit {done.returncode}):\n"
                           + "\n".join(said))
    return archive


def unpack(archive: Path, folder: Path) -> None:
    """Extract a zip keeping its files' permission bits (bin/ holds shell scripts),
    readable by everyone: the nodes may run as another user."""
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.infolist():
            target = folder / member.filename
            if not target.resolve().is_relative_to(folder.resolve()):
                raise ClusterError(f"{archive.name} has a path outside its folder: {member.filename}")
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                os.chmod(target, 0o755)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(member) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            mode = (member.external_attr >> 16) & 0o777
            os.chmod(target, (mode or 0o644) | 0o444)
    for path in folder.rglob("*"):
        if path.is_dir():
            os.chmod(path, 0o755)
