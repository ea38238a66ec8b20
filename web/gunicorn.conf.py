"""gunicorn settings for the site: ``gunicorn -c web/gunicorn.conf.py 'web:create_app()'``.

``preload_app`` builds the app once in the master, so jieba's dictionary and the
index are loaded before the workers fork and shared by them; the master then lets go
of the index's files before each fork (`pre_fork`), so that no process keeps a
generation a rebuild replaced. The worker is gunicorn's
gthread worker answering the requests gunicorn refuses itself (malformed request
line, raw UTF-8 URL, oversized line or headers) in the site's own envelope and headers
(web/worker.py). The site listens on
loopback only; put a reverse proxy in front to publish it (and set
REPORTS_PROXY_COUNT). No control socket: nothing but HTTP is opened. Without a usable
index the server does not start (`on_starting`).
"""
from web.config import env_value

# The settings table's (web/config.py), with their REPORTS_* overrides.
bind = env_value("BIND")
workers = env_value("WORKERS")
threads = env_value("THREADS")
worker_class = "web.worker.Worker"     # gthread, with our error answers
preload_app = True
timeout = 30
graceful_timeout = 10
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
