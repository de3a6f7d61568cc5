"""What the command line promises its caller: the exit statuses, the commands it
knows, and the error that means "the arguments are wrong" (status 2)."""

from __future__ import annotations

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DESK, EXIT_BROKEN_INSTALL = 0, 1, 2, 3, 4
COMMANDS = (
    "init",
    "demo",
    "check",
    "copy",
    "grant",
    "brief",
    "export",
    "import",
    "backup",
    "restore",
    "changes",
)
"""The subcommands; any other first argument is a desk to open in the app."""


class UsageError(Exception):
    """A command-line argument is wrong (exit status 2)."""


def names_a_command(args: list[str]) -> bool:
    """Whether ``args`` ask for a subcommand, ``--help`` or ``--version`` rather than
    the app (which takes ``[DESK] [--read-only]``)."""
    return bool(args) and args[0] in (*COMMANDS, "-h", "--help", "--version")
