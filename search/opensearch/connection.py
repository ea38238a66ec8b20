"""The cluster as the site reaches it: one client per process, every failure a contract error.

`Connection.client` is an opensearch-py client made on first use in each process
(gunicorn preloads the app and then forks: a client made in the master must not be
used by the workers, whose sockets it would share), with the settings' time limit on
every call, at most one retry after a connection error, and no sniffing
(`index.opensearch.client`).

`answering()` turns what the cluster does wrong into what the contract says:
unreachable, timed out, overloaded (429) or failing (5xx) → `EngineUnavailable`;
the alias missing → `NoIndex`. A 400 is our own query's fault and is not hidden.

API: `Connection(settings)` (``client``, ``close()``), `answering(settings)`
(a context manager), `is_missing_index(error)`.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

from opensearchpy.exceptions import ConnectionError as TransportConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from index.opensearch.client import connect
from search.service import EngineUnavailable, NoIndex
from config.settings import Settings


class Connection:
    """The process's client of the cluster the settings name."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._client = None
        self._pid = None
        self._lock = threading.Lock()

    @property
    def client(self):
        if self._client is None or self._pid != os.getpid():
            with self._lock:
                if self._client is None or self._pid != os.getpid():
                    # A forked child never uses (nor closes) the parent's sockets.
                    self._client = connect(self.settings.opensearch_url, timeout=self.settings.opensearch_timeout,
                                           retries=1)
                    self._pid = os.getpid()
        return self._client

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
            if client is not None and self._pid == os.getpid():
                client.close()


def is_missing_index(error: Exception) -> bool:
    """Whether a 404 says the index (or alias) does not exist, rather than a document."""
    return isinstance(error, NotFoundError) and "index_not_found" in str(getattr(error, "error", "") or error)


@contextmanager
def answering(settings: Settings):
    """Translate the client's errors (see the module docstring)."""
    where = f"OpenSearch at {settings.opensearch_url}"
    try:
        yield
    except TransportConnectionError as error:   # refused, reset, timed out
        raise EngineUnavailable(f"{where} cannot be reached: {error}") from None
    except NotFoundError as error:
        if is_missing_index(error):
            raise NoIndex(f"{where} has no index {settings.opensearch_index!r}. Build one with: "
                          f"python -m index build --engine opensearch --opensearch-url {settings.opensearch_url} "
                          f"--opensearch-index {settings.opensearch_index}") from None
        raise
    except TransportError as error:
        status = error.status_code if isinstance(error.status_code, int) else 503
        if status >= 500 or status == 429:
            raise EngineUnavailable(f"{where} answered {status}: {error}") from None
        raise
