"""Help ▸ About: the version, catalogue, schema and libraries; the desk's folder,
its backups and the log, each opened by a button; the app's icon; desks handed
over by the desktop; and the refusal to start a broken installation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFileOpenEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from nsdesk import __version__, locations
from nsdesk.services.backups.backups import backup_folder
from nsdesk.store.migrate import SCHEMA_HEAD
from nsdesk.ui.about_dialog import AboutDialog, show_about
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.icons import ICON_SIZES, app_icon


class FileManager(QObject):
    """Stands where the desktop's file manager would: receives the file:// URLs
    Qt is asked to open (QDesktopServices' own hook for this)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def file_manager():
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "show")
    yield manager
    QDesktopServices.unsetUrlHandler("file")


def texts(dialog: AboutDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def about_for(window, context, qtbot) -> AboutDialog:
    window.actions_.about.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), AboutDialog))
    return QApplication.activeModalWidget()


@pytest.fixture
def wired(window, context):
    """The window with Help ▸ About connected as the app connects it."""
    window.about_requested.connect(lambda: show_about(context, window))
    return window


def test_about_shows_what_this_copy_is(wired, context, qtbot, demo_desk_path):
    assert open_desk_into(context, wired, demo_desk_path)
    dialog = about_for(wired, context, qtbot)
    shown = texts(dialog)
    assert f"nsdesk {__version__}" in shown
    assert SCHEMA_HEAD in shown
    assert any(text.startswith("2026.12.2 (as of ") for text in shown)
    for label in ("Qt (PySide6):", "Python:", "SQLite:", "reportlab:", "openpyxl:"):
        assert label in shown
    logos = [label for label in dialog.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(logos) == 1
    assert logos[0].pixmap().width() == 64
    dialog.close()


def test_about_opens_the_desks_folder_its_backups_and_the_log(
    wired, context, qtbot, demo_desk_path, file_manager
):
    assert open_desk_into(context, wired, demo_desk_path)
    dialog = about_for(wired, context, qtbot)
    desk = context.desk
    backups = backup_folder(desk.info().uuid, desk.path, desk.backups_root)
    assert str(backups) in texts(dialog)
    for key in ("desk", "backups", "logs"):
        dialog.open_buttons[key].click()
    assert file_manager.opened == [demo_desk_path.parent, backups, locations.log_dir()]
    assert locations.log_dir().is_dir()  # made, so the file manager has something to show
    if os.name == "posix":  # the modes mean nothing on Windows (the profile's ACL keeps it)
        assert stat.S_IMODE(locations.log_dir().stat().st_mode) == 0o700  # owner-only
    dialog.close()


def test_copy_details_puts_the_version_lines_on_the_clipboard(wired, context, qtbot):
    dialog = about_for(wired, context, qtbot)  # no desk open: still answers
    assert str(locations.desks_dir()) in texts(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"nsdesk {__version__}\n")
    assert f"Desk schema   {SCHEMA_HEAD}" in copied
    assert dialog.copy_button.text() == "Copied"
    dialog.close()


def test_the_app_icon_has_every_size_a_desktop_asks_for(qapp):
    from nsdesk.app import application

    assert application() is qapp
    assert not qapp.windowIcon().isNull()  # every window, the task bar, Alt-Tab
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(ICON_SIZES)
    image = icon.pixmap(32, 32).toImage()
    navy = image.pixelColor(3, 16)  # the background, left of the shield
    assert navy.blue() > navy.red() + 40, navy.name()


def test_a_desk_handed_over_by_the_desktop_is_opened(qapp, window, qtbot, tmp_path):
    """macOS hands a double-clicked desk over as a file-open event, possibly before
    the window is ready; it is opened once it is, and at once afterwards."""
    from nsdesk.app import DeskFileOpener

    opener = DeskFileOpener(qapp, window)
    early, late = tmp_path / "early.nsdesk", tmp_path / "late.nsdesk"
    QApplication.sendEvent(qapp, QFileOpenEvent(str(early)))
    assert opener.take_waiting() == early
    with qtbot.waitSignal(window.desk_requested) as opened:
        QApplication.sendEvent(qapp, QFileOpenEvent(str(late)))
    assert opened.args == [late]
    qapp.removeEventFilter(opener)


def test_a_broken_installation_is_refused_in_a_window(qapp, monkeypatch, capsys):
    """nsdesk-gui started on a broken installation: a message says why and the
    process ends with status 4, before any desk is opened."""
    from nsdesk.cli import main

    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "False")
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(box.windowTitle() + "\n" + box.text())
        box.close()

    QTimer.singleShot(20, read_and_close)
    assert main([]) == 4
    assert seen
    assert seen[0].startswith("nsdesk cannot start\n")
    assert "OPENPYXL_DEFUSEDXML is set to 'False'" in seen[0]
    assert "nsdesk will not start" in capsys.readouterr().err
