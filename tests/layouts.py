"""Moved to `madeup.layouts`; this name is kept while tests written against it are merged."""
from madeup.layouts import *  # noqa: F401,F403
