"""The one background-task helper: work off the GUI thread, outcome back on it."""

from __future__ import annotations

import sys
import threading
import time

from nsdesk.ui.background import Background, run_now


def test_work_runs_off_the_gui_thread_and_its_result_comes_back_on_it(qtbot):
    background = Background()
    gui = threading.get_ident()
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        time.sleep(0.05)  # the GUI thread stays free meanwhile
        return 42

    def done(result):
        seen["result"] = result
        seen["delivered_on"] = threading.get_ident()

    background.run(work, done)
    assert background.busy
    qtbot.waitUntil(lambda: "result" in seen, timeout=5_000)
    assert seen["result"] == 42
    assert seen["worker"] != gui
    assert seen["delivered_on"] == gui
    assert not background.busy


def test_an_error_comes_back_on_the_gui_thread(qtbot):
    background = Background()
    errors = []
    background.run(lambda: 1 / 0, None, lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    error, thread = errors[0]
    assert isinstance(error, ZeroDivisionError)
    assert thread == threading.get_ident()


def test_an_error_nobody_handles_goes_to_the_excepthook(qtbot, monkeypatch):
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: hooked.append(error))
    Background(executor=run_now).run(lambda: {}["missing"])
    assert len(hooked) == 1
    assert isinstance(hooked[0], KeyError)
    assert hooked[0].__traceback__ is not None  # the log gets where it happened


def test_tasks_run_one_at_a_time_in_order(qtbot):
    """Backups and restores touch the same file: the app runs them in turn."""
    background = Background()
    events = []

    def task(name):
        events.append(("start", name))
        time.sleep(0.03)
        events.append(("end", name))
        return name

    done = []
    for name in ("backup", "restore"):
        background.run(lambda n=name: task(n), done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5_000)
    assert events == [
        ("start", "backup"),
        ("end", "backup"),
        ("start", "restore"),
        ("end", "restore"),
    ]
    assert done == ["backup", "restore"]


def test_waiting_at_exit_lets_the_running_task_finish(qtbot):
    background = Background()
    finished = threading.Event()

    def slow():
        time.sleep(0.1)
        finished.set()

    background.run(slow)
    assert background.wait(5_000)
    assert finished.is_set()


def test_the_synchronous_executor_delivers_before_run_returns():
    results = []
    Background(executor=run_now).run(lambda: "done", results.append)
    assert results == ["done"]
