"""Moved to `madeup.shapes`; this name is kept while tests written against it are merged."""
from madeup.shapes import *  # noqa: F401,F403
