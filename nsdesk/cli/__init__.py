"""The command line: ``nsdesk [DESK]`` opens the app; subcommands script the rest.

A thin shell over the services. Exit statuses (PRODUCT.md): 0 done; 1 input
refused (nothing changed); 2 usage error; 3 the desk cannot be opened (missing,
locked, damaged, newer schema); and 4 when the start-up self-check finds this
installation incomplete or unsafe, before anything is opened. Every refusal says
what was wrong and where.

This module is the entry point (``nsdesk`` and ``nsdesk-gui``) and only decides
between the app and a command: the app's start must not wait for argparse, the
commands or the services they drive, and ``nsdesk --version`` must not wait for
reportlab or openpyxl. The rest of the package: :mod:`~nsdesk.cli.usage` (exit
statuses), :mod:`~nsdesk.cli.terminal` (what may be printed),
:mod:`~nsdesk.cli.parser` (the arguments), :mod:`~nsdesk.cli.commands` (running
one), and a module per group of commands (desk, brief, exchange, backup).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from nsdesk.cli.usage import EXIT_BROKEN_INSTALL, EXIT_USAGE, names_a_command
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.location import DeskLocation, existing_desk_location
from nsdesk.services.install.self_check import refusal_text, startup_problems


def _gui_arguments(args: list[str]) -> tuple[DeskLocation | None, bool] | None:
    """``[DESK] [--read-only]``, read without argparse (the app's start must not wait
    for it); ``None`` when the arguments are anything else. DESK is a desk file, a
    ``postgresql://`` address or a ``.nsdesk-server`` connection file."""
    read_only = "--read-only" in args
    rest = [a for a in args if a != "--read-only"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        return None
    return (existing_desk_location(rest[0]) if rest else None), read_only


def _open_app(desk: DeskLocation | None, read_only: bool) -> int:
    """Open the desktop app on ``desk``, unless the self-check refuses this installation
    (then it says why, in the terminal first and in a window when one can open)."""
    problems = startup_problems()
    refusal = refusal_text(problems) if problems else None
    if refusal is not None:
        print(refusal, file=sys.stderr)
    # lazy: Qt loads only for the app; a command never waits for it
    from nsdesk.app import refuse_to_start, run_app

    if refusal is not None:
        refuse_to_start(refusal)
        return EXIT_BROKEN_INSTALL
    return run_app(desk, read_only=read_only)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        gui = None if names_a_command(args_list) else _gui_arguments(args_list)
    except ValidationError as error:  # an address or connection file nsdesk cannot use
        print(f"nsdesk: {error}", file=sys.stderr)
        return EXIT_USAGE
    if gui is not None:
        return _open_app(*gui)
    # lazy: argparse, the commands and the services they drive load only for a command
    # line that is not the app's; the first window must not wait for them
    from nsdesk.cli.commands import run_command

    return run_command(args_list)


def gui_main() -> int:
    """Entry point of the GUI launcher (no console on Windows)."""
    return main()
