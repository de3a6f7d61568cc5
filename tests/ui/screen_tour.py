"""Every main view and dialog of the app on one screen size, as PNGs, each checked
for what a small screen cuts off (:mod:`tests.ui.fit_check`).

Run in a process of its own, on a screen of the size wanted (Qt's offscreen
platform takes the screen from a JSON file; ``QT_SCALE_FACTOR=2`` makes it a
200 % screen)::

    python -m tests.ui.screen_tour DESK FOLDER

It opens DESK (a copy of the demo desk) in the main window made as large as the
screen (as a maximised window is), goes through every page and tab with a record
selected, opens every dialog the menus open (and the forms' own: a new record of
each kind, the chooser of themes), saves each as ``FOLDER/<name>.png`` and prints
one JSON line: ``{"shots": [...], "problems": {"<name>": [...]}}``.
"""

from __future__ import annotations

import faulthandler
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.ui.fit_check import fit_problems

FORM_FOCUS = "sensitivity"
"""The field a new record's form is scrolled to (the last one): the form must not
slide sideways and hide its labels when a field takes the focus."""


class Tour:
    """Shoots and checks; :attr:`problems` by shot name."""

    def __init__(self, app: QApplication, folder: Path):
        self.app = app
        self.folder = folder
        self.shots: list[str] = []
        self.problems: dict[str, list[str]] = {}
        screen = app.primaryScreen().availableGeometry()
        self.screen = (screen.width(), screen.height())

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    def shoot(self, name: str, widget: QWidget) -> None:
        print("shooting", name, file=sys.stderr)
        self.settle()
        image = widget.grab()
        image.save(str(self.folder / f"{name}.png"))
        self.shots.append(name)
        found = fit_problems(widget)
        width, height = self.screen
        if widget.width() > width or widget.height() > height:
            found.append(
                f"{widget.width()}×{widget.height()} does not fit the {width}×{height} screen"
            )
        if found:
            self.problems[name] = found

    def dialog(
        self, name: str, trigger: Callable[[], object], then=None, kind: type = QDialog
    ) -> None:
        """Run ``trigger``, which opens a dialog (modal or not) of ``kind``; do
        ``then(dialog)`` (what the user does first), shoot the dialog, and close it."""
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        seen: list[QDialog] = []

        def look(tries: int = 0) -> None:
            found = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, kind) and w.isVisible() and id(w) not in before
            ]
            if not found:
                if tries < 100:
                    QTimer.singleShot(20, lambda: look(tries + 1))
                return
            shown = found[-1]
            seen.append(shown)
            if then is not None:
                then(shown)
            self.shoot(name, shown)
            shown.reject()

        QTimer.singleShot(0, look)
        trigger()
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            self.app.processEvents()
            time.sleep(0.01)
        if not seen:
            self.problems[name] = ["the dialog did not open"]


def tour(desk: Path, folder: Path) -> Tour:
    """Shoot and check every view and dialog of ``desk`` on this screen."""
    from nsdesk.app import _answer_the_menus
    from nsdesk.ui.background import Background, run_now
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.desk.opening_flow import open_desk_into
    from nsdesk.ui.main_window import MainWindow
    from nsdesk.ui.settings import AppSettings
    from nsdesk.ui.workspace.workspace_view import PAGES

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shots = Tour(app, folder)
    window = MainWindow()
    window.resize(*shots.screen)
    window.show()
    context = AppContext(settings=AppSettings(), background=Background(executor=run_now))
    wiring = _answer_the_menus(context, window, probe=True)
    actions = window.actions_.by_name

    wiring.show_welcome()
    shots.shoot("welcome", window)
    assert open_desk_into(context, window, desk)

    for name, _label, registers in PAGES:
        window.workspace.show_page(name)
        shots.settle()
        tabs = window.workspace._tabs.get(window.workspace.pages.currentIndex())
        for number, register in enumerate(registers or (name,)):
            if tabs is not None:
                tabs.setCurrentIndex(number)
            view = window.workspace.current_register()
            if view is not None and view.model.rowCount():
                view.table.selectRow(0)
            shots.shoot(f"{name}" if register == name else f"{name}-{register}", window)
            if view is not None and view.definition.creatable:
                shots.dialog(f"new-{register}", actions["new_record"].trigger, _new_record_form)

    window.workspace.show_page("commitments")
    from nsdesk.ui.records.record_editor import ChooseManyDialog

    shots.dialog("new-commitment-themes", _choose_themes, kind=ChooseManyDialog)
    for action in (
        "shortcuts",
        "briefing",
        "export_workbook",
        "import_workbook",
        "import_history",
        "send_changes",
        "merge_changes",
        "conflicts",
        "merge_history",
        "backups",
        "desk_settings",
        "about",
        "search",
    ):
        shots.dialog(action, actions[action].trigger)
    context.close_desk()
    return shots


def _new_record_form(dialog: QDialog) -> None:
    """A field deep in the form takes the focus, as when the user tabs to it."""
    editor = getattr(dialog, "editor", None)
    if editor is not None and FORM_FOCUS in editor.fields:
        editor.fields[FORM_FOCUS].widget.setFocus()
        QApplication.processEvents()


def _choose_themes() -> None:
    """The chooser of themes, over a new commitment's form."""
    from nsdesk.domain.records import spec_for
    from nsdesk.ui.records.new_record_dialog import NewRecordDialog

    window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "workspace"))
    view = window.workspace.current_register()
    form = NewRecordDialog(spec_for("commitment"), view.data, parent=window)
    form.show()
    themes = form.editor.fields["themes"]
    themes.choose_button.click()
    form.reject()
    form.deleteLater()


def main() -> int:
    faulthandler.dump_traceback_later(120, exit=True)  # a dialog left open: say where
    QApplication.instance() or QApplication(sys.argv[:1])
    desk, folder = Path(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    done = tour(desk, folder)
    print(json.dumps({"shots": done.shots, "problems": done.problems}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
