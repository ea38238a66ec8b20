"""A node's configuration folder: opensearch.yml, jvm.options and log4j2.properties.

Each node gets its own config folder (OPENSEARCH_PATH_CONF), so the distribution stays
untouched and shared. What the settings choose, and why:

- ``network.host: 127.0.0.1`` — loopback only; also keeps OpenSearch in development
  mode, where its production bootstrap checks (file limits, mmap count) only warn.
- one node: ``discovery.type: single-node`` (no discovery, elects itself at once);
  several: ``discovery.seed_hosts`` lists every node's transport port on loopback and
  ``cluster.initial_cluster_manager_nodes`` names the cluster-manager-eligible nodes
  that bootstrap the cluster the first time (ignored once the data folder has a cluster).
- ``cluster.routing.allocation.disk.threshold_enabled: false`` — no disk watermarks: on a
  nearly full development disk OpenSearch would otherwise stop allocating shards (85 %)
  and make every index read-only (95 %).
- a small fixed heap (``-Xms`` = ``-Xmx``, 512 MB unless ``REPORTS_OPENSEARCH_HEAP``
  says otherwise, e.g. ``2g`` for a benchmark) instead of the distribution's 1 GB; the GC log, heap dumps and crash files go to the node's own
  logs folder (the distribution's jvm.options writes them relative to its home).
- no security plugin in this distribution: plain HTTP, no users.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cluster.errors import ClusterError

HEAP = os.environ.get("REPORTS_OPENSEARCH_HEAP", "512m")   # -Xms = -Xmx of every data node
DATA_ROLES = ("cluster_manager", "data", "ingest")


@dataclass(frozen=True)
class NodeSpec:
    """One node of a local cluster: its name, loopback ports, roles and heap."""
    name: str
    http_port: int
    transport_port: int
    roles: tuple[str, ...] = DATA_ROLES
    heap: str = HEAP

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def holds_data(self) -> bool:
        return "data" in self.roles

    def to_json(self) -> dict:
        return {"name": self.name, "http_port": self.http_port, "transport_port": self.transport_port,
                "roles": list(self.roles), "heap": self.heap}

    @classmethod
    def from_json(cls, value: dict) -> "NodeSpec":
        return cls(value["name"], int(value["http_port"]), int(value["transport_port"]),
                   tuple(value["roles"]), value["heap"])


@dataclass(frozen=True)
class ClusterSpec:
    """Every node of one cluster, and its name (nodes join only a cluster of their name)."""
    name: str
    nodes: tuple[NodeSpec, ...] = field(default_factory=tuple)


def opensearch_yml(cluster: ClusterSpec, node: NodeSpec) -> str:
    """The node's opensearch.yml (JSON values, which YAML reads as they are)."""
    settings: dict[str, object] = {
        "cluster.name": cluster.name,
        "node.name": node.name,
        "node.roles": list(node.roles),
        "network.host": "127.0.0.1",
        "http.port": node.http_port,
        "transport.port": node.transport_port,
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "bootstrap.memory_lock": False,
    }
    if len(cluster.nodes) == 1:
        settings["discovery.type"] = "single-node"
    else:
        settings["discovery.seed_hosts"] = [f"127.0.0.1:{peer.transport_port}" for peer in cluster.nodes]
        settings["cluster.initial_cluster_manager_nodes"] = [
            peer.name for peer in cluster.nodes if "cluster_manager" in peer.roles]
    lines = ["# Written by cluster.settings for a local node; rewritten at every start."]
    lines += [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


# The distribution's jvm.options lines that change, each with its replacement.
JVM_CHANGES = (
    (r"^-Xms\S+$", "-Xms{heap}"),
    (r"^-Xmx\S+$", "-Xmx{heap}"),
    (r"^-XX:HeapDumpPath=.*$", "-XX:HeapDumpPath={logs}"),
    (r"^-XX:ErrorFile=.*$", "-XX:ErrorFile={logs}/hs_err_pid%p.log"),
    (r"^9-:-Xlog:gc\*.*$", "9-:-Xlog:gc*,gc+age=trace,safepoint:file={logs}/gc.log:utctime,pid,tags:"
                           "filecount=2,filesize=16m"),
)


def jvm_options(original: str, heap: str, logs: Path) -> str:
    """The distribution's jvm.options with our heap and the node's own logs folder."""
    text = original
    for pattern, replacement in JVM_CHANGES:
        text, count = re.subn(pattern, replacement.format(heap=heap, logs=logs), text, flags=re.M)
        if count != 1:
            raise ClusterError(f"the distribution's jvm.options has {count} lines like {pattern!r}, not 1")
    return text


def write_config(home: Path, folder: Path, cluster: ClusterSpec, node: NodeSpec) -> Path:
    """Fill the node's config folder from the distribution at `home`; returns it."""
    config = folder / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "opensearch.yml").write_text(opensearch_yml(cluster, node))
    original = (home / "config" / "jvm.options").read_text()
    (config / "jvm.options").write_text(jvm_options(original, node.heap, folder / "logs"))
    (config / "jvm.options.d").mkdir(exist_ok=True)
    shutil.copyfile(home / "config" / "log4j2.properties", config / "log4j2.properties")
    return config
