"""``python -m bench.generate --reports N --out DIR --seed S``: write the scale corpus.

N made-up annual reports (`madeup.scale`: realistic in size, layout and wording,
with planted audit cases), the same bytes for the same N and seed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from madeup.scale import write


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description="A scale corpus: N made-up annual reports, "
                                                 "realistic in size, layout and wording.")
    parser.add_argument("--reports", type=int, default=1000, help="how many reports (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write them into")
    parser.add_argument("--seed", type=int, default=1, help="the corpus seed (default 1)")
    args = parser.parse_args(argv)
    if args.reports < 1:
        parser.error("--reports must be at least 1")
    files, size = write(args.reports, args.out, args.seed)
    print(f"wrote {files} reports, {size / 1e6:.1f} MB, into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
