"""The one error of the cluster package: something a person must fix or look at.

Its message is written for the person at the terminal (what failed, what to do, and
for a node that would not start, the tail of its log), so a command prints it as is.
"""
from __future__ import annotations


class ClusterError(RuntimeError):
    """A node could not be fetched, started, reached or stopped; the message says why."""
