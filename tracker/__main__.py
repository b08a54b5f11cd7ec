"""``python -m tracker``: see tracker.cli."""

import sys

from .cli import main

sys.exit(main())
