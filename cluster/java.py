"""The machine's Java and Maven, which the local OpenSearch nodes need.

OpenSearch 2.19 (the last line that still runs on Java 17) is fetched with Maven and
runs on the machine's own JDK: the minimal distribution bundles none. Both are
expected on the machine (Debian: ``openjdk-17-jre-headless`` and ``maven``); when one
is missing, `java_home()` / `maven()` raise a ClusterError that says so, rather than
letting a node fail later with a shell error.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from cluster.errors import ClusterError

MINIMUM_JAVA = 11          # OpenSearch 2.x runs on 11, 17 and 21
PROBE_SECONDS = 30.0


def java_home() -> Path:
    """The JDK that runs the nodes: $JAVA_HOME if set, else the `java` on PATH."""
    if os.environ.get("JAVA_HOME"):
        java = Path(os.environ["JAVA_HOME"]) / "bin" / "java"
    else:
        found = shutil.which("java")
        if found is None:
            raise ClusterError("Java is not installed: OpenSearch needs Java 11 or later "
                               "(Debian: apt-get install openjdk-17-jre-headless)")
        java = Path(found).resolve()
    if not os.access(java, os.X_OK):
        raise ClusterError(f"no runnable java at {java} (JAVA_HOME={os.environ.get('JAVA_HOME', '')!r})")
    major = java_major(java)
    if major < MINIMUM_JAVA:
        raise ClusterError(f"{java} is Java {major}: OpenSearch needs Java {MINIMUM_JAVA} or later")
    return java.parent.parent


def java_major(java: Path) -> int:
    """The feature version `java -version` reports (8 for "1.8.0_x", 17 for "17.0.15")."""
    try:
        done = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=PROBE_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"{java} -version failed: {exc}") from exc
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if found is None:
        raise ClusterError(f"cannot read the version of {java}: {done.stderr.strip()[:200]}")
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def maven() -> str:
    """The `mvn` command, which fetches the distribution from Maven Central."""
    found = shutil.which("mvn")
    if found is None:
        raise ClusterError("Maven is not installed: the OpenSearch distribution is fetched with it "
                           "(Debian: apt-get install maven)")
    return found
