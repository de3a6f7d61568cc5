"""File ▸ Open a shared register…: the dialog from the keyboard alone, the connection
file it saves, the password asked for (never stored), the register named in the
title, the banner and the recent desks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from nsdesk.domain.location import ServerAddress, read_server_file
from nsdesk.ui.desk.desk_wiring import DeskWiring
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.desk.shared_register_dialog import SharedRegisterDialog


def _fill_by_keyboard(qtbot, dialog: SharedRegisterDialog, address: ServerAddress) -> None:
    """Type every field, moving with Tab, as an officer without a mouse would."""
    qtbot.keyClicks(dialog.focusWidget(), address.host or "")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.port_edit
    qtbot.keyClicks(dialog.focusWidget(), str(address.port or ""))
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.database_edit
    qtbot.keyClicks(dialog.focusWidget(), address.database)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.user_edit
    qtbot.keyClicks(dialog.focusWidget(), address.user or "")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.tls_combo
    qtbot.keyClick(dialog.tls_combo, Qt.Key.Key_End)  # the last mode: no TLS


def test_the_dialog_is_filled_and_opened_from_the_keyboard_and_saves_a_connection_file(
    qtbot, tmp_path
):
    dialog = SharedRegisterDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.host_edit
    wanted = ServerAddress(
        "nsdesk", host="registers.ministry.example", port=5433, user="bob", sslmode="disable"
    )
    _fill_by_keyboard(qtbot, dialog, wanted)
    assert dialog.address() == wanted

    saved = tmp_path / "ministry"
    dialog.save_to(saved, wanted)
    file = tmp_path / "ministry.nsdesk-server"
    assert read_server_file(file) == wanted
    assert "password" not in file.read_text().split("\n", 2)[2]  # only the header names it
    assert f"Saved {file}" in dialog.error_label.text()

    qtbot.keyClick(dialog.database_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_register_without_a_database_is_not_opened_and_the_dialog_says_why(qtbot):
    dialog = SharedRegisterDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.host_edit, "registers.ministry.example")
    qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("Database: expected")
    assert dialog.focusWidget() is dialog.database_edit


@pytest.mark.server_desk
def test_a_shared_register_opened_from_the_menu_is_named_and_listed_in_recent_desks(
    qtbot, window, context, modal, demo_desk_location
):
    def fill(dialog):
        _fill_by_keyboard(qtbot, dialog, demo_desk_location)

    wiring = DeskWiring(context, window)  # what the app connects the menus with
    modal.click("Open", then=fill)
    window.actions_.open_shared.trigger()  # File ▸ Open a shared register…
    assert context.desk is not None
    assert wiring.window is window
    register = f"register on {demo_desk_location.register}"
    assert window.windowTitle() == f"{register} — Netherlands — nsdesk [DEMO]"
    assert register in window.workspace.banner.subtitle_label.text()
    recent = context.settings.recent_desks()
    assert recent[0] == ServerAddress(**{**_fields(demo_desk_location), "sslmode": "disable"})
    menu = [a.text() for a in window.actions_.recent_menu.actions()]
    assert menu[0].endswith(register)
    assert context.settings.last_desk is None  # a register may ask for a password at start
    context.settings.sync()
    assert "password" not in Path(context.settings.fileName()).read_text()


def _fields(address: ServerAddress) -> dict:
    return {name: getattr(address, name) for name in ServerAddress.__dataclass_fields__}


@pytest.mark.server_desk
def test_the_password_is_asked_for_when_pgpass_has_none_and_never_stored(
    qtbot, window, context, modal, demo_desk_location, pg_server, desk_copies
):
    login = f"pw_{demo_desk_location.database}"
    desk_copies.admin().execute(f"CREATE ROLE {login} LOGIN SUPERUSER PASSWORD 'right one'")
    pg_server.add_hba_lines(f"local all {login} scram-sha-256")
    address = ServerAddress(demo_desk_location.database, host=demo_desk_location.host, user=login)

    def type_password(text: str):
        def plan(dialog):
            dialog.findChild(QLineEdit).setText(text)

        return plan

    modal.click("OK", then=type_password("wrong one"))
    modal.click("OK", then=type_password("right one"))
    assert open_desk_into(context, window, address)
    asked = [said for title, said in modal.seen if title == "Password for the shared register"]
    assert len(asked) == 2
    assert "put it in your pgpass file" in asked[0]
    assert "refused that password" in asked[1]
    assert window.windowTitle().startswith(f"register on {address.register} — ")
    context.settings.sync()
    assert "right one" not in Path(context.settings.fileName()).read_text()
    assert str(context.settings.recent_desks()[0]) == str(address)  # no password in it
