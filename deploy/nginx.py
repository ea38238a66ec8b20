"""deploy/nginx.conf rendered for one site, and the command that runs nginx with it.

    python -m deploy.nginx --listen 0.0.0.0:80 --upstream 127.0.0.1:8000 --prefix instance/nginx

writes ``PREFIX/nginx.conf`` (the template with ``${LISTEN}``, ``${UPSTREAM}`` and
``${PREFIX}`` filled in; nginx's own ``$variables`` left as they are), makes the
folders nginx writes to, and prints the file's path. `command(prefix)` is how
scripts/serve --proxy and `reliability.nginxserver` start nginx on it: in the
foreground (``daemon off``), every file under PREFIX, nothing under /etc or /var.

API: `render(listen, upstream, prefix)`, `write(listen, upstream, prefix)`,
`command(prefix)`, `TEMPLATE`.
"""
from __future__ import annotations

import argparse
import re
import shutil
import string
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
# An address nginx reads as one word: host:port, [v6]:port, a port, a unix: path.
ADDRESS = re.compile(r"[\w.:\[\]/-]+")


def _word(name: str, value: str) -> str:
    value = str(value)
    if not ADDRESS.fullmatch(value):
        raise ValueError(f"{name} {value!r} is not an address nginx can take (host:port)")
    return value


def render(listen: str, upstream: str, prefix: str | Path) -> str:
    """The configuration text for this listen address, gunicorn's address and folder.
    :raise ValueError: for an address with spaces, quotes, semicolons or braces."""
    folder = str(Path(prefix).resolve())
    if not ADDRESS.fullmatch(folder):
        raise ValueError(f"the folder {folder!r} has characters nginx's configuration cannot hold")
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
        LISTEN=_word("listen", listen), UPSTREAM=_word("upstream", upstream), PREFIX=folder)
    assert "${" not in text, "deploy/nginx.conf names a place render() does not fill"
    return text


def write(listen: str, upstream: str, prefix: str | Path) -> Path:
    """Render into ``prefix/nginx.conf``, with the folders nginx writes to; its path."""
    folder = Path(prefix).resolve()
    (folder / "temp").mkdir(parents=True, exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(render(listen, upstream, folder), encoding="utf-8")
    return path


def binary() -> str | None:
    """nginx's path (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def command(prefix: str | Path) -> list[str]:
    """nginx in the foreground on ``prefix/nginx.conf``, its start-up errors in ``prefix/error.log``."""
    folder = Path(prefix).resolve()
    return [binary() or "nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"),
            "-e", str(folder / "error.log"), "-g", "daemon off;"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.nginx", description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="the public address, e.g. 0.0.0.0:80")
    parser.add_argument("--upstream", required=True, help="gunicorn's address (REPORTS_BIND)")
    parser.add_argument("--prefix", required=True, type=Path, help="folder for the config, pid, logs, temp files")
    args = parser.parse_args(argv)
    try:
        print(write(args.listen, args.upstream, args.prefix))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
