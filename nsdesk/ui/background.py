"""The app's one background-task helper: work off the GUI thread, results back on it.

A task is a plain callable that does the work (a backup, a restore, later an
import) and returns a result; it never touches a widget. :class:`Background`
runs it on a thread pool and calls ``on_done(result)`` or ``on_error(error)``
back on the GUI thread, through an event posted to the helper, so only the GUI
thread ever changes what the user sees (Picard's rule; Anki's ``QueryOp`` shape).

Tests pass ``executor=run_now``: the task then runs at once, on the calling
thread, and its callback is called before :meth:`Background.run` returns.
"""

from __future__ import annotations

import itertools
import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QThreadPool

Job = Callable[[], None]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]
Executor = Callable[[Job], None]
"""Runs a job somewhere: on a thread pool (the app) or at once (tests)."""


_DELIVER = QEvent.registerEventType()  # the event that brings outcomes to the GUI thread


def run_now(job: Job) -> None:
    """The synchronous executor: runs the job on the calling thread, immediately."""
    job()


class Background(QObject):
    """Runs callables off the GUI thread and reports their outcome on it.

    ``threads`` bounds how many tasks run at once; the app uses 1 so that work on
    the desk file (a backup, a restore) happens one task at a time, in order.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        executor: Executor | None = None,
        threads: int = 1,
    ):
        super().__init__(parent)
        self._pool: QThreadPool | None = None
        if executor is None:
            self._pool = QThreadPool(self)
            self._pool.setMaxThreadCount(threads)
            executor = self._pool.start
        self._executor = executor
        self._numbers = itertools.count()
        # The callbacks of the tasks under way, and the outcomes waiting to be delivered.
        self._callbacks: dict[int, tuple[OnDone | None, OnError | None]] = {}
        # deque's append and popleft are atomic: workers append, the GUI thread pops.
        self._outcomes: deque[tuple[int, object, BaseException | None]] = deque()

    @property
    def busy(self) -> bool:
        """Whether a task has been started and its outcome not yet delivered."""
        return bool(self._callbacks)

    def run(
        self,
        work: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Run ``work()`` off the GUI thread, then ``on_done(result)`` or
        ``on_error(error)`` on the GUI thread. Without ``on_error`` an error goes
        to ``sys.excepthook`` (the app logs it and shows the error dialog)."""
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        outcomes = self._outcomes

        def job() -> None:
            try:
                outcome = (number, work(), None)
            except BaseException as error:  # delivered to the GUI thread, never lost
                outcome = (number, None, error)
            outcomes.append(outcome)
            if QThread.currentThread() == self.thread():  # run_now: deliver at once
                self._deliver()
            else:
                # An event posted to this object is handled on the thread it lives on,
                # the GUI thread. The outcome itself travels in a deque: no
                # Python object crosses threads inside Qt, and no QObject is made per task.
                QCoreApplication.postEvent(self, QEvent(QEvent.Type(_DELIVER)))

        self._executor(job)

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        # A registered type may come back as a plain int or as an enum: compare numbers.
        if getattr(kind, "value", kind) != _DELIVER:
            return super().event(event)
        self._deliver()
        return True

    def _deliver(self) -> None:
        while self._outcomes:
            number, result, error = self._outcomes.popleft()
            on_done, on_error = self._callbacks.pop(number)
            if error is not None:
                if on_error is not None:
                    on_error(error)
                else:
                    sys.excepthook(type(error), error, error.__traceback__)
            elif on_done is not None:
                on_done(result)

    def wait(self, msecs: int = -1) -> bool:
        """Drop the tasks not yet started and wait for the running ones (at exit, so
        that no backup or restore is cut off halfway). True if none is left."""
        if self._pool is None:
            return True
        self._pool.clear()
        return self._pool.waitForDone(msecs)
