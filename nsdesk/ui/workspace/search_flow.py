"""Search everywhere (Ctrl+K): the dialog over the open desk, and opening the
record the user chose where it is listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow


def search_desk_flow(context: AppContext, window: MainWindow) -> None:
    """Ask what to find in the open desk; show the chosen record in its register."""
    desk = context.desk
    if desk is None:
        return
    # lazy: the search's services and its dialog load when first asked for
    from nsdesk.services.records.search import search_desk
    from nsdesk.ui.workspace.search_dialog import SearchDialog

    dialog = SearchDialog(lambda query: search_desk(desk, query), window)
    dialog.result_chosen.connect(lambda register, key: open_result(window, register, key))
    dialog.exec()
    dialog.deleteLater()


def open_result(window: MainWindow, register: str, key: str) -> None:
    if not window.workspace.open_register_record(register, key):
        window.show_status(f"{key} is not in the {register.replace('_', ' ')} list any more.")
