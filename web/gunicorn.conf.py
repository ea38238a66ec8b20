"""gunicorn settings for the site: ``gunicorn -c web/gunicorn.conf.py 'web:create_app()'``.

``preload_app`` builds the app once in the master, so jieba's dictionary and the
index are loaded before the workers fork and shared by them. The site listens on
loopback only; put a reverse proxy in front to publish it (and set
REPORTS_PROXY_COUNT). No control socket: nothing but HTTP is opened.
"""
import os

bind = os.environ.get("REPORTS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("REPORTS_WORKERS", "2"))
worker_class = "gthread"
threads = 4
preload_app = True
timeout = 30
graceful_timeout = 10
control_socket_disable = True
accesslog = "-"
errorlog = "-"
