"""``python -m corpus parse FILE…``: one JSON object per file, one per line, in order.
``python -m corpus fetch URL… --out DIR``: download a portal column's reports
(see `corpus.fetch.command`).

parse: each file is held to the time and memory limits of `corpus.limits` (the same
as the index build's): a file past them is refused with the reason. Exit status 0
when every file parsed, 1 when any was refused, 2 on bad usage.
"""
from __future__ import annotations

import argparse
import json
import sys

from corpus import parse as parsing
from corpus.fetch import command as fetch_command
from corpus.limits import parse_many


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="Read annual report files.")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print each file's structured report as one JSON line")
    parse.add_argument("files", nargs="+", metavar="FILE")
    fetch_command.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "fetch":
        return args.run(args)

    refused = False
    # One child at a time, so the lines come out in the order of the files.
    for _, result in parse_many(enumerate(args.files), workers=1, parse=parsing.parse_file):
        data = result.to_json()
        refused = refused or not data["ok"]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
