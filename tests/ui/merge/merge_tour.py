"""The merge's windows on one screen size, as PNGs, each checked for what a small
screen cuts off (:mod:`tests.ui.fit_check`): the send dialog, the merge wizard's
pages (a first contact's fingerprint, a trusted sender, the preview, the conflicts,
the result), the conflicts window, the merge history, and the register filtered to
its conflicts with the badge in the status bar.

Run in a process of its own, on a screen of the size wanted (as
:mod:`tests.ui.screen_tour`)::

    python -m tests.ui.merge.merge_tour DESK FOLDER

DESK is a copy of the demo desk; two laptops are made from it (Anna's and Ben's) and
the app runs as Ben. Prints one JSON line: ``{"shots": [...], "problems": {...}}``.
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.screen_tour import Tour


def stored_names(widget) -> list[str]:
    """Texts a user reads in ``widget`` that show a stored name ("next_steps"): a
    word with "_" (a path is a path, and may hold one)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QTreeWidget

    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    texts += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisibleTo(widget)]
    for table in widget.findChildren(QTableWidget):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                texts.append(item.text() if item is not None else "")
    for tree in widget.findChildren(QTreeWidget):
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for item in (top, *(top.child(n) for n in range(top.childCount()))):
                texts += [item.text(0), item.text(1)]
    return [
        word
        for text in texts
        for word in text.split()
        if "_" in word and "/" not in word and "\\" not in word
    ]


class MergeTour(Tour):
    """The screen tour's shots, and a stored name seen in a window is a problem too."""

    def shoot(self, name: str, widget) -> None:
        super().shoot(name, widget)
        if found := stored_names(widget):
            self.problems.setdefault(name, []).append(f"stored names shown: {found}")


def tour(desk: Path, folder: Path) -> Tour:
    """Make two laptops' desks that disagree, then shoot every merge window."""
    from nsdesk.ui.background import Background, run_now
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.desk.opening_flow import open_desk_into
    from nsdesk.ui.main_window import MainWindow
    from nsdesk.ui.merge.merge_flow import MergeFlow
    from nsdesk.ui.settings import AppSettings
    from tests.services.merge.laptops import Laptop, laptops

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shots = MergeTour(app, folder)
    laptop_folder = folder / "laptops"
    anna, ben = laptops(desk, laptop_folder, "anna", "ben")
    carl = Laptop("carl", laptop_folder / "carl", desk)  # a laptop Ben has never heard from
    anna.edit("commitment", "C-0003", {"title": "Physical protection upgrade at two sites"})
    anna.edit("commitment", "C-0002", {"next_steps": "Brief the minister before the summit"})
    anna.create(
        "commitment", {"title": "Regional workshop on nuclear forensics", "pledged_on": "2016"}
    )
    ben.edit("commitment", "C-0003", {"title": "Physical protection upgrade (three sites)"})
    ben.create("commitment", {"title": "Tabletop exercise with customs", "pledged_on": "2016"})
    carl.edit("commitment", "C-0004", {"next_steps": "Carl's next steps"})
    from_anna, from_carl = anna.send(), carl.send()

    os.environ["NSDESK_HOME"] = str(ben.home)
    window = MainWindow()
    window.resize(*shots.screen)
    window.show()
    context = AppContext(settings=AppSettings(), background=Background(executor=run_now))
    assert open_desk_into(context, window, ben.path)
    flow = MergeFlow(context, window)
    flow.documents = lambda: ben.folder

    wizard = flow.start_merge(from_carl)
    assert wizard is not None
    shots.shoot("merge-first-contact", wizard)
    wizard.reject()

    wizard = flow.start_merge(from_anna)
    assert wizard is not None
    shots.shoot("merge-verify", wizard)
    wizard.go_next()
    shots.shoot("merge-preview", wizard)
    wizard.go_next()
    shots.shoot("merge-conflicts", wizard)
    wizard.apply()
    shots.shoot("merge-result", wizard)
    wizard.accept()

    window.workspace.show_page("commitments")
    view = window.workspace.current_register()
    assert view is not None
    view.filter_bar.conflicts_check.setChecked(True)
    view.select_key("C-0003")
    shots.shoot("commitments-conflicts", window)
    marker = view.editor.fields["title"].marker
    view.detail_scroll.ensureWidgetVisible(marker)
    shots.shoot("commitments-conflict-marker", window)

    for name, show in (
        ("conflicts", flow.show_conflicts),
        ("merge-history", flow.show_history),
        ("send-changes", flow.start_send),
    ):
        dialog = show()
        assert dialog is not None
        shots.shoot(name, dialog)
        dialog.reject()
    context.close_desk()
    return shots


def main() -> int:
    faulthandler.dump_traceback_later(120, exit=True)
    QApplication.instance() or QApplication(sys.argv[:1])
    desk, folder = Path(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    done = tour(desk, folder)
    print(json.dumps({"shots": done.shots, "problems": done.problems}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
