"""Local OpenSearch nodes for development, tests and the benchmark.

- cluster.distribution — OpenSearch 2.19's minimal distribution, fetched with Maven into a cache
- cluster.java        — the machine's Java and Maven, checked with a clear message
- cluster.account     — the user the JVM runs as (a dedicated one when run as root)
- cluster.settings    — each node's opensearch.yml and jvm.options
- cluster.process     — pidfiles, process groups, SIGTERM/SIGKILL
- cluster.node        — one node: start, stop, kill, its log
- cluster.health      — ``_cluster/health`` over HTTP with deadlines
- cluster.cluster     — one or more nodes on loopback: `Cluster`
- ``python -m cluster start|stop|status`` — the command behind ``scripts/opensearch``
"""
from cluster.cluster import Cluster
from cluster.errors import ClusterError

__all__ = ["Cluster", "ClusterError"]
