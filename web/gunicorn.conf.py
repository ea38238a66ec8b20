"""gunicorn settings for the site: ``gunicorn -c web/gunicorn.conf.py 'web:create_app()'``.

``preload_app`` builds the app once in the master, so jieba's dictionary and the
index are loaded before the workers fork and shared by them; the master then lets go
of the index's files before each fork (`pre_fork`), so that no process keeps a
generation a rebuild replaced. The worker
(web/worker.py) is gunicorn's gthread worker reading every request head in its event
loop, without a thread, within ``REQUEST_HEAD_SECONDS`` — so slow or idle clients
cannot hold the threads — and answering the requests gunicorn refuses itself
(malformed request line, raw UTF-8 URL, oversized line or headers) in the site's own
envelope and headers (web/refusals.py). Threads, not gevent: a search is CPU work, and
with threads the GIL switches between a slow search and a cheap one every few
milliseconds, while a gevent worker runs each to its end (RELIABILITY.md has the
figures of both). The site listens on loopback only; publish it through the nginx of
deploy/ (``scripts/serve --proxy``), which sets REPORTS_PROXY_COUNT. No control
socket: nothing but HTTP is opened. Without a usable index the server does not start
(`on_starting`).
"""
from web.config import env_value

# The settings table's (web/config.py), with their REPORTS_* overrides.
bind = env_value("BIND")
workers = env_value("WORKERS")
threads = env_value("THREADS")
worker_class = "web.worker.Worker"     # gthread, heads read without a thread, our error answers
preload_app = True
# A worker whose event loop is silent this long is killed and replaced. It beats while
# its threads work, so this bounds a stuck loop, not a request (a search's own bound
# is its CPU budget, SEARCH_CPU_SECONDS).
timeout = 30
graceful_timeout = 10
# An idle kept-alive connection waits in the event loop (no thread) this long for its
# next request (gunicorn's default); its next head then has REQUEST_HEAD_SECONDS.
keepalive = 2
worker_connections = 1000              # connections per worker, slow ones included
# gunicorn's defaults, stated: the request line (414 beyond), headers (431 beyond). The
# longest URL the site makes (a search with 150 filter values) is about 3.4 KB.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
control_socket_disable = True
accesslog = "-"
errorlog = "-"


def on_starting(server):
    """Refuse to start without an index to serve: one clear sentence, exit status 1, no traceback.

    The app alone answers 503 until an index appears (web/service.py); a server started
    where no index was ever built is an operator's mistake, so say so at once. An
    engine that merely cannot be reached now (an OpenSearch cluster restarting) does
    not stop the site: it answers 503 until the cluster is back. gunicorn prints a
    RuntimeError raised here as ``Error: …`` and exits with status 1.
    """
    from search.service import EngineUnavailable, NoIndex
    from web.service import EXTENSION

    app = server.app.wsgi()
    try:
        app.extensions[EXTENSION].health()
    except NoIndex as error:
        raise RuntimeError(f"{error.reason} The site was not started.") from None
    except EngineUnavailable as error:
        server.log.warning("the search engine cannot be reached yet: %s; serving 503 until it can", error.reason)


def pre_fork(server, worker):
    """Let go of the index's open files and mappings in the master before a worker forks.

    The master warmed the service up (web/service.py) and answered ``on_starting``'s
    health check, which opened searchers and mapped files of the generation live then.
    It never searches again, so it would hold that generation for good — its files
    undeletable by a rebuild's clean-up — and every worker would inherit them. What it
    loaded into memory (dictionary, catalog) stays, shared with the workers.
    """
    from web.service import EXTENSION

    server.app.wsgi().extensions[EXTENSION].close()
