"""Automatic backups while a desk is open: on opening, then only when it changed."""

from __future__ import annotations

import pytest

from nsdesk.services.backups.backups import PERIODIC_MINUTES, list_backups
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui.background import Background
from nsdesk.ui.backups.backup_flow import auto_backup_for
from nsdesk.ui.desk.opening_flow import open_desk_into

# About automatic backups of a desk file.
pytestmark = pytest.mark.file_desk


def reasons(path):
    return [b.reason for b in list_backups(path)]


def add_commitment(desk, title="Host a workshop"):
    RecordService(desk).create("commitment", {"title": title, "pledged_on": "2016"})


def test_opening_a_desk_backs_it_up_and_says_when(window, context, demo_desk_path):
    context.auto_backup = auto_backup_for(window, context.background)
    assert open_desk_into(context, window, demo_desk_path)
    assert reasons(demo_desk_path) == ["on-open"]
    assert window.statusBar().currentMessage().startswith("Backed up at ")
    assert context.auto_backup.timer.isActive()
    assert context.auto_backup.timer.interval() == PERIODIC_MINUTES * 60_000


def test_the_periodic_check_backs_up_only_a_changed_desk(window, context, demo_desk_path):
    context.auto_backup = auto_backup_for(window, context.background)
    assert open_desk_into(context, window, demo_desk_path)
    context.auto_backup.check_periodically()
    assert reasons(demo_desk_path) == ["on-open"]  # nothing changed: no new copy
    add_commitment(context.desk)
    context.auto_backup.check_periodically()
    assert reasons(demo_desk_path) == ["periodic", "on-open"]
    assert list_backups(demo_desk_path)[0].counts["commitment"] == 61
    context.auto_backup.check_periodically()
    assert reasons(demo_desk_path) == ["periodic", "on-open"]


def test_the_timer_backs_up_changes_in_the_background(qtbot, window, demo_desk_path):
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.settings import AppSettings

    background = Background(window)  # a real thread pool
    context = AppContext(settings=AppSettings(), background=background)
    context.auto_backup = auto_backup_for(window, background, interval_ms=50)
    try:
        assert open_desk_into(context, window, demo_desk_path)
        qtbot.waitUntil(lambda: reasons(demo_desk_path) == ["on-open"], timeout=10_000)
        add_commitment(context.desk)
        qtbot.waitUntil(lambda: reasons(demo_desk_path)[:1] == ["periodic"], timeout=10_000)
        qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
        assert window.statusBar().currentMessage().startswith("Backed up at ")
    finally:
        context.close_desk()
        background.wait()


def test_a_read_only_desk_is_not_backed_up_by_the_timer(window, context, demo_desk_path):
    context.auto_backup = auto_backup_for(window, context.background)
    context.read_only = True
    assert open_desk_into(context, window, demo_desk_path)
    assert not context.auto_backup.timer.isActive()


def test_a_failed_backup_is_logged_and_said_without_interrupting(
    window, context, demo_desk_path, nsdesk_home, log_here
):
    (nsdesk_home / "data").mkdir(parents=True)
    (nsdesk_home / "data" / "backups").write_text("a file where the backups folder should be")
    context.auto_backup = auto_backup_for(window, context.background)
    assert open_desk_into(context, window, demo_desk_path)
    message = window.statusBar().currentMessage()
    assert message.startswith("The automatic backup of demo.nsdesk failed:")
    assert message.endswith("The desk itself is unchanged.")
    assert f"The details are in {log_here}" in window.statusBar().toolTip()
    assert "backing up" in log_here.read_text()
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"
    assert context.auto_backup.timer.isActive()  # it tries again at the next tick


def test_the_app_backs_up_the_desk_it_opens_once_it_is_shown(demo_desk_path, nsdesk_home):
    """The whole app, in its own process (its event loop ends with quit(), which a
    later test's dialogs in this process would inherit)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from nsdesk.app import run_app\n"
        "from nsdesk.services.backups.backups import list_backups\n"
        "from nsdesk.ui.main_window import MainWindow\n"
        "app = QApplication(sys.argv[:1])\n"
        "desk = Path(sys.argv[1])\n"
        "def inspect():\n"
        "    if not list_backups(desk):\n"
        "        QTimer.singleShot(50, inspect)\n"
        "        return\n"
        "    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))\n"
        "    QTimer.singleShot(200, lambda: (print(win.windowTitle()), "
        "print(win.statusBar().currentMessage()), QApplication.quit()))\n"
        "QTimer.singleShot(100, inspect)\n"
        "QTimer.singleShot(20_000, QApplication.quit)\n"
        "sys.exit(run_app(desk))\n"
    )
    env = dict(os.environ, NSDESK_HOME=str(nsdesk_home), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code, str(demo_desk_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    title, status = result.stdout.splitlines()[-2:]
    assert title.startswith("demo.nsdesk — Netherlands")
    assert status.startswith("Backed up at ")
    assert reasons(demo_desk_path) == ["on-open"]
