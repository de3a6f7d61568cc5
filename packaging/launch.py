"""The bundle's entry point: the same command line as the installed ``nsdesk``
(a desk path, or no argument, opens the app; a subcommand runs it)."""

import sys

from nsdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
