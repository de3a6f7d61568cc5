"""The app's one background-task helper: work off the GUI thread, results back on it.

A task is a plain callable that does the work (a backup, a restore, later an
import) and returns a result; it never touches a widget. :class:`Background`
runs it on a thread pool and calls ``on_done(result)`` or ``on_error(error)``
back on the GUI thread, through an event posted to the helper, so only the GUI
thread ever changes what the user sees (Picard's rule; Anki's ``QueryOp`` shape).

Long work that the user waits for goes through :meth:`Background.run_with_progress`:
the work receives a :class:`~nsdesk.services.progress.Progress`, a progress
dialog with Cancel appears if it lasts, and a cancelled task ends in
``on_cancelled`` instead of ``on_done`` or ``on_error``.

Tests pass ``executor=run_now``: the task then runs at once, on the calling
thread, and its callback is called before :meth:`Background.run` returns.
"""

from __future__ import annotations

import itertools
import sys
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QThreadPool, QTimer

from nsdesk.domain.errors import CancelledError
from nsdesk.services.progress import Progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from nsdesk.ui.widgets.progress_dialog import ProgressDialog

Job = Callable[[], None]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]
Executor = Callable[[Job], None]
"""Runs a job somewhere: on a thread pool (the app) or at once (tests)."""
T = TypeVar("T")

SHOW_AFTER_MS = 400
"""Work that ends sooner shows no progress dialog: a flash of one is worse than none."""
POLL_MS = 80
"""How often the dialog takes the worker's latest report: often enough to look
live, seldom enough that a worker reporting thousands of steps costs nothing."""


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
        self._tasks: set[ProgressTask] = set()  # kept alive until they end

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

    def run_with_progress(
        self,
        title: str,
        work: Callable[[Progress], T],
        on_done: Callable[[T], object] | None = None,
        on_error: OnError | None = None,
        *,
        parent_widget: QWidget | None,
        on_cancelled: Callable[[], None] | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> ProgressTask:
        """Run ``work(progress)`` off the GUI thread with a progress dialog over
        ``parent_widget`` (window-modal, shown only if the work lasts more than
        ``show_after_ms``) whose Cancel button cancels ``progress``.

        Then, on the GUI thread: ``on_done(result)`` (what it returns is not used);
        or, if the work stopped with :class:`~nsdesk.domain.errors.CancelledError`,
        ``on_cancelled()`` (neither ``on_done`` nor ``on_error``); or
        ``on_error(error)`` (without it, the error goes to ``sys.excepthook``). The
        dialog is closed before any of them.
        """
        task = ProgressTask(title, parent_widget, show_after_ms, self)
        self._tasks.add(task)

        def done(result: T) -> None:
            self._end(task)
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            self._end(task)
            if isinstance(error, CancelledError):
                if on_cancelled is not None:
                    on_cancelled()
            elif on_error is not None:
                on_error(error)
            else:
                sys.excepthook(type(error), error, error.__traceback__)

        task.start()
        self.run(lambda: work(task.progress), done, failed)
        return task

    def _end(self, task: ProgressTask) -> None:
        task.finish()
        self._tasks.discard(task)

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
        that no backup or restore is cut off halfway). Tasks run with progress are
        cancelled first: they stop at their next safe point and leave nothing
        half-made. True if none is left."""
        if self._pool is None:
            return True
        self._pool.clear()
        for task in list(self._tasks):
            task.cancel()
        return self._pool.waitForDone(msecs)


class ProgressTask(QObject):
    """One task run with progress: its :class:`Progress` (given to the work), and
    the dialog that shows it once the work has lasted.

    The worker only stores its latest report in a slot (one atomic assignment);
    a timer on the GUI thread copies it into the dialog, so no widget is ever
    touched off the GUI thread and a flood of reports costs the GUI nothing.
    """

    def __init__(
        self, title: str, parent_widget: QWidget | None, show_after_ms: int, parent: QObject
    ):
        super().__init__(parent)
        self.title = title
        self.parent_widget = parent_widget
        self.dialog: ProgressDialog | None = None
        self.ended = False
        self.latest: tuple[int, int, str] | None = None
        self.progress = Progress(self._store, what=title)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self._show)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._update)

    def _store(self, done: int, total: int, text: str) -> None:
        self.latest = (done, total, text)  # the worker's side: no Qt, no widget

    def start(self) -> None:
        self._show_timer.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check (what the Cancel button does)."""
        self.progress.cancel()

    def _show(self) -> None:
        # lazy: the dialog's widgets (and Qt's namespace) load with the first long task
        from nsdesk.ui.widgets.progress_dialog import ProgressDialog

        if self.ended:
            return
        self.dialog = ProgressDialog(self.title, self.parent_widget)
        self.dialog.cancel_requested.connect(self.cancel)
        self._update()
        self.dialog.show()
        self._poll_timer.start()

    def _update(self) -> None:
        if self.dialog is not None and self.latest is not None:
            self.dialog.set_progress(*self.latest)

    def finish(self) -> None:
        """The work ended: stop the timers and close the dialog, if it showed."""
        self.ended = True
        self._show_timer.stop()
        self._poll_timer.stop()
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog = None
        self.deleteLater()
