"""``python -m cluster start|stop|status``: see cluster.command."""
import sys

from cluster.command import main

sys.exit(main())
