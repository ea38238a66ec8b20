"""The shipped reverse proxy: deploy/nginx.conf rendered (and refused for an address
that could inject configuration), accepted by Debian's nginx (``nginx -t``), and
``scripts/serve --proxy`` serving the site through it and stopping both together."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from deploy import nginx
from reliability.server import PROJECT_ROOT, children, free_port
from tests.web_support import site_index

pytestmark = pytest.mark.slow


def test_the_template_is_filled_and_nginx_accepts_it(tmp_path):
    os.chmod(tmp_path, 0o755)
    path = nginx.write("127.0.0.1:18080", "127.0.0.1:18000", tmp_path)
    text = path.read_text()
    assert "${" not in text
    assert "listen 127.0.0.1:18080;" in text and "server 127.0.0.1:18000;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text      # nginx's own variables kept
    checked = subprocess.run([*nginx.command(tmp_path), "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("listen", ["0.0.0.0:80; include /etc/passwd", "80 }", "a b", "x\nserver {"])
def test_an_address_that_is_not_one_word_is_refused(tmp_path, listen):
    with pytest.raises(ValueError, match="not an address"):
        nginx.render(listen, "127.0.0.1:8000", tmp_path)


def _get(port: int, path: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_scripts_serve_proxy_serves_through_nginx_and_stops_both(tmp_path):
    root = site_index(tmp_path / "index")
    bind, listen = free_port(), free_port()
    env = {**os.environ, "REPORTS_INDEX_PATH": str(root), "REPORTS_BIND": f"127.0.0.1:{bind}",
           "REPORTS_PROXY_BIND": f"127.0.0.1:{listen}", "REPORTS_SECRET_KEY": "x" * 64,
           "REPORTS_RATELIMIT_APPLICATION": "5 per minute", "REPORTS_WORKERS": "1"}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen([str(PROJECT_ROOT / "scripts" / "serve"), "--proxy"], env=env,
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert serve.poll() is None, log.read_text()
            try:
                status, headers, body = _get(listen, "/api/agencies")
                break
            except OSError:
                assert time.monotonic() < deadline, "the proxy never answered"
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["ok"] is True
        assert headers["Server"] == "nginx" and headers["X-Content-Type-Options"] == "nosniff"
        # Behind the proxy the client is nginx's X-Forwarded-For: a forged one is replaced,
        # so one client's five requests of the minute are its own, whatever it claims.
        statuses = []
        for n in range(6):
            request = urllib.request.Request(f"http://127.0.0.1:{listen}/api/agencies",
                                             headers={"X-Forwarded-For": f"198.51.100.{n}"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
                error.close()
        assert statuses == [200] * 4 + [429] * 2        # the first request above counted too
        running = children(serve.pid)
        assert len(running) == 2                        # nginx and gunicorn's master
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)
    time.sleep(1)
    for pid in running:
        assert not os.path.exists(f"/proc/{pid}"), f"process {pid} outlived scripts/serve"
