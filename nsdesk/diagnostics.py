"""The log of unexpected errors, kept in nsdesk's log folder.

Refusals a user can act on (a bad file, a full disk) are messages, not log
entries. What nsdesk did not expect is written here with its traceback and
context, so that the person who helps the delegation can see what happened; the
user is shown the message and where the details are. Imports nothing from the
rest of nsdesk but its folders, so every edge can use it.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from nsdesk import __version__, locations

LOG_NAME = "nsdesk.log"
_configured = False


def log_file() -> Path:
    return locations.log_dir() / LOG_NAME


def configure_logging() -> Path:
    """Send nsdesk's log to a rotating file in the log folder (once per process)."""
    global _configured
    path = log_file()
    if not _configured:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger("nsdesk")
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        _configured = True
    return path


def describe_unexpected(error: BaseException, context: str) -> str:
    """The details worth copying into a message to whoever helps: what was being
    done, the versions, and the traceback."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return (
        f"While: {context}\n"
        f"nsdesk {__version__}, Python {platform.python_version()}, {platform.platform()}\n\n"
        f"{trace}"
    )


def log_unexpected(error: BaseException, context: str) -> str:
    """Log an unexpected error with its context; returns the details text."""
    configure_logging()
    details = describe_unexpected(error, context)
    logging.getLogger("nsdesk").error("unexpected error\n%s", details)
    return details


def install_excepthook(show: object | None = None) -> None:
    """Log every uncaught exception; ``show(details)`` (the app's dialog) if given."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        details = log_unexpected(error.with_traceback(trace), "running the app")
        if callable(show):
            show(details)

    sys.excepthook = hook
