"""Running one command line that is not the app's: parse it, answer ``--version``
and ``--help``, check the installation, run the command, and turn every error into
its exit status and a message that says what was wrong and where."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from nsdesk.cli.parser import build_parser
from nsdesk.cli.terminal import refuse, say
from nsdesk.cli.usage import (
    EXIT_BROKEN_INSTALL,
    EXIT_DESK,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    UsageError,
    names_a_command,
)
from nsdesk.diagnostics import log_file, log_unexpected
from nsdesk.domain.errors import DeskError, DeskExistsError, NsdeskError
from nsdesk.services.install.about import app_identity
from nsdesk.services.install.self_check import refusal_text, startup_problems

Runner = Callable[[argparse.Namespace], int]


def version_text() -> str:
    """What ``nsdesk --version`` prints: the identity, and the self-check's verdict
    (printed, not enforced, so a broken installation can still say what it is)."""
    problems = startup_problems()
    verdict = "ok" if not problems else "FAILED: nsdesk will refuse to start"
    lines = app_identity().lines(extra=[("Self-check", verdict)])
    lines += [f"    - {problem}" for problem in problems]
    return "\n".join(lines)


def _runner(command: str) -> Runner:
    """The function that runs ``command``. Each group's module imports the services it
    drives at its top, so only the group asked for is imported: ``--version``,
    ``--help`` and the other groups' commands never wait for its libraries."""
    if command in ("init", "demo", "check", "copy", "grant"):
        # lazy: the desk commands load SQLAlchemy, the catalogue and pycountry
        from nsdesk.cli.desk_commands import RUNNERS as DESK_RUNNERS

        return DESK_RUNNERS[command]
    if command == "brief":
        # lazy: the briefing services load SQLAlchemy (and reportlab to render)
        from nsdesk.cli.brief_commands import RUNNERS as BRIEF_RUNNERS

        return BRIEF_RUNNERS[command]
    if command in ("export", "import"):
        # lazy: the exchange services load SQLAlchemy (and the workbook readers to run)
        from nsdesk.cli.exchange_commands import RUNNERS as EXCHANGE_RUNNERS

        return EXCHANGE_RUNNERS[command]
    if command == "changes":
        # lazy: changes files load cryptography (and SQLAlchemy with a desk)
        from nsdesk.cli.changes_commands import RUNNERS as CHANGES_RUNNERS

        return CHANGES_RUNNERS[command]
    # lazy: the backup services load SQLAlchemy
    from nsdesk.cli.backup_commands import RUNNERS as BACKUP_RUNNERS

    return BACKUP_RUNNERS[command]


def errors_to_exit(run: Callable[[], int], context: str) -> int:
    """Run ``run`` and return its status, or the status of the error it raised
    (said on standard error; an unexpected one is also logged with its traceback)."""
    try:
        return run()
    except UsageError as error:
        refuse(str(error))
        return EXIT_USAGE
    except DeskExistsError as error:  # the file asked for is taken: nothing was changed
        refuse(f"{error.path}: {error.reason}")
        return EXIT_REFUSED
    except DeskError as error:  # the desk cannot be used: locked, damaged, newer schema…
        refuse(f"{error.path}: {error.reason}")
        return EXIT_DESK
    except NsdeskError as error:  # validation and other refusals
        refuse(str(error))
        return EXIT_REFUSED
    except OSError as error:
        refuse(f"{getattr(error, 'filename', '') or 'a file'}: {error.strerror or error}")
        return EXIT_REFUSED
    except Exception as error:
        log_unexpected(error, context)
        refuse(f"unexpected error while {context}: {error}. Details are in {log_file()}.")
        return EXIT_REFUSED


def run_command(args_list: list[str]) -> int:
    """Run the command line ``args_list`` (a subcommand, ``--help`` or ``--version``;
    anything else is refused with the usage); returns the exit status."""
    parser = build_parser()
    if not names_a_command(args_list):
        parser.print_usage(sys.stderr)
        refuse(f"unrecognised arguments: {' '.join(args_list)}")
        return EXIT_USAGE
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.version:
        say(version_text())
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if problems := startup_problems():
        print(refusal_text(problems), file=sys.stderr)
        return EXIT_BROKEN_INSTALL
    return errors_to_exit(lambda: _runner(args.command)(args), f"running 'nsdesk {args.command}'")
