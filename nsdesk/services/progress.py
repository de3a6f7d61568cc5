"""How long work says how far it got, and learns that the user wants it to stop.

A service that may take more than a moment (a new desk, the demo, an export, an
import) takes a :class:`Progress`. It calls :meth:`Progress.report` at its steps
and :meth:`Progress.check_cancelled` between them, where stopping leaves nothing
half-done; cancelling raises :class:`~nsdesk.domain.errors.CancelledError`, which
the service lets through after undoing what it started (a rolled-back
transaction, a removed temporary file).

No Qt here: the UI's background helper gives the work a Progress whose reports
it carries to a progress dialog on the GUI thread, and whose cancel flag the
dialog's Cancel button sets. Callers that do not care pass :meth:`Progress.none`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from nsdesk.domain.errors import CancelledError

Report = Callable[[int, int, str], None]
"""Receives ``(done, total, text)``; called on the thread doing the work."""


class Progress:
    """A worker's line to whoever waits for it: reports out, a cancel flag in.

    ``on_report`` is called on the worker's thread with every report; it must be
    quick and must not touch a widget. The cancel flag is a
    :class:`threading.Event`, safe to set from any thread.
    """

    def __init__(self, on_report: Report | None = None, *, what: str = "the work"):
        self._on_report = on_report
        self._cancel = threading.Event()
        self.what = what

    @classmethod
    def none(cls) -> Progress:
        """A progress that reports to nobody and is never cancelled (unless its
        holder cancels it)."""
        return cls()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Say that ``done`` of ``total`` steps are done; ``text`` names the step
        under way, in the words the user reads."""
        if self._on_report is not None:
            self._on_report(done, total, text)

    def cancel(self) -> None:
        """Ask the work to stop at its next :meth:`check_cancelled` (any thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether the work has been asked to stop."""
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`CancelledError` if the work has been asked to stop."""
        if self._cancel.is_set():
            raise CancelledError(self.what)

    def part(self, start: int, stop: int, total: int) -> Progress:
        """A progress for one part of the work: its reports, whatever their own
        total, land between ``start`` and ``stop`` of this one's ``total``; it is
        cancelled whenever this one is."""

        def report(done: int, part_total: int, text: str) -> None:
            share = min(max(done, 0), part_total) / part_total if part_total > 0 else 1.0
            self.report(start + round((stop - start) * share), total, text)

        child = Progress(report, what=self.what)
        child._cancel = self._cancel  # one flag: cancelling either cancels both
        return child
