"""``python -m corpus fetch URL [URL …] --out DIR [--delay SECONDS] [--max-pages N]``.

Arguments are checked before any request: a URL that is not http(s), a negative
delay, a page limit below 1 or an --out that is a file ends the command with one
sentence and exit status 2 (argparse's own status for bad usage). A start URL that
cannot be read (unreachable, 404, disallowed by robots.txt) is named on stderr with
the reason and makes the exit status 1, after the other start URLs were crawled.
Otherwise the status is 0, even when single files failed (the summary lists them).
Progress goes to stderr, the summary to stdout.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.fetch.manifest import web_address


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the delay must be a number of seconds, not {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"the delay must be between 0 and 3600 seconds, not {text}")
    return value


def _pages(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"the page limit must be a whole number of at least 1, not {text!r}")
    return int(text)


def _url(text: str) -> str:
    if web_address(text.strip()) is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a web address; give a column's list page as http://… or https://…")
    return text.strip()


def add_parser(commands) -> None:
    """Add the ``fetch`` subcommand to `python -m corpus`'s subparsers."""
    fetch = commands.add_parser(
        "fetch", help="download a portal column's annual reports and attachments into a folder",
        description="Crawl a portal's 政府信息公开年报 column: its list pages, the report pages "
                    "they link and those pages' attachments, politely (robots.txt, a delay "
                    "between requests); a rerun downloads only what changed.")
    fetch.add_argument("urls", nargs="+", type=_url, metavar="URL", help="a column's list page")
    fetch.add_argument("--out", required=True, metavar="DIR",
                       help="folder to save into; DIR/manifest.jsonl records every URL")
    fetch.add_argument("--delay", type=_delay, default=1.0, metavar="SECONDS",
                       help="seconds between requests to one host (default: %(default)s)")
    fetch.add_argument("--max-pages", type=_pages, default=100, metavar="N",
                       help="list pages read per start URL at most (default: %(default)s)")
    fetch.add_argument("--quiet", action="store_true", help="no progress bar")
    fetch.set_defaults(run=run, parser=fetch)


def run(args) -> int:
    """Crawl; print the summary; the exit status."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        args.parser.error(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        args.parser.error(f"the folder {out} could not be created ({error.strerror or error})")
    # Imported here so `corpus parse` does not load requests.
    from corpus.fetch.client import Client
    from corpus.fetch.crawl import Crawl

    try:
        with Client(delay=args.delay) as client:
            summary = Crawl(client, out, max_pages=args.max_pages,
                            progress=not args.quiet and sys.stderr.isatty()).run(args.urls)
    except KeyboardInterrupt:
        print(f"interrupted: {out / 'manifest.jsonl'} keeps what was done; rerun to go on.",
              file=sys.stderr)
        return 130
    print("\n".join(summary.lines()))
    for url, why in summary.unreachable:
        print(f"error: the start URL {url} could not be read: {why}", file=sys.stderr)
    return 1 if summary.unreachable else 0
