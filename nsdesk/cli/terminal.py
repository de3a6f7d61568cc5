"""What the command line may print: user values made safe for a terminal and
shortened on one line, messages to stdout, refusals to stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from nsdesk.domain.text import cut_point, length_note, shorten, strip_hidden, visible_controls

VALUE_LIMIT = 200
"""The most characters of one value a preview line shows (then "… (3,412 characters)")."""
NAME_LIMIT = 120
"""The most characters of a name or label shown on a line (a record, a delegation)."""


def terminal_safe(text: str) -> str:
    """A message made safe for a terminal: no bidi control or hidden character (the
    rule every output shares), and every control character but the line break
    written out, so an escape sequence or a carriage return in a value can neither
    recolour, clear nor overwrite what the terminal shows."""
    return visible_controls(strip_hidden(text), keep_line_breaks=True)


def shown(value: object, limit: int = NAME_LIMIT) -> str:
    """A user value on one line: hidden characters removed, line breaks and controls
    written out (``\\n``, ``\\x1b``), and cut after ``limit`` characters with its
    full length said."""
    text = "" if value is None else str(value)
    return visible_controls(shorten(strip_hidden(text), limit, length=len(text)))


def quoted(value: object, limit: int = VALUE_LIMIT) -> str:
    """A user value in quotes, as :func:`shown`; a shortened one says its length
    after the closing quote: ``'The ministry will' … (3,412 characters)``."""
    text = "" if value is None else str(value)
    clean = strip_hidden(text)
    cut = cut_point(clean, limit)
    if cut == len(clean):
        return f"'{visible_controls(clean)}'"
    return f"'{visible_controls(clean[:cut].rstrip())}' {length_note(len(text))}"


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` (made terminal-safe) to ``stream``, standard output by default."""
    print(terminal_safe(text), file=stream or sys.stdout)


def refuse(text: str) -> None:
    """Print a refusal or warning to standard error as ``nsdesk: text``."""
    print(f"nsdesk: {terminal_safe(text)}", file=sys.stderr)


def taken(out: Path, force: bool) -> bool:
    """Whether ``out`` is an existing file that ``--force`` was not given to replace
    (then it says so): a pack or workbook is never replaced silently."""
    if force or not out.exists() or out.is_dir():
        return False
    refuse(f"{out} already exists; nothing was written. Add --force to replace it.")
    return True
