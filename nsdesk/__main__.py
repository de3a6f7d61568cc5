"""``python -m nsdesk`` is the command line (see :mod:`nsdesk.cli`)."""

import sys

from nsdesk.cli import main

sys.exit(main())
