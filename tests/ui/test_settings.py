"""The app's settings file: every key read back as written, the defaults before
anything was written, and a hand-edited file that does not stop the app."""

from __future__ import annotations

import os
import stat

from PySide6.QtCore import QByteArray

from nsdesk.ui.settings import AppSettings


def test_nothing_written_yet_gives_the_declared_defaults(tmp_path):
    settings = AppSettings(tmp_path / "config" / "settings.ini")
    if os.name == "posix":  # the recent desks' paths: a folder only its owner reads
        assert stat.S_IMODE((tmp_path / "config").stat().st_mode) == 0o700
    assert settings.last_desk is None
    assert settings.recent_desks() == []
    assert settings.window_geometry() is None
    assert settings.window_state() is None
    assert settings.workspace_page() == "dashboard"
    assert settings.register_layout("commitments") == {}
    assert settings.remembered_choices("briefing", "any-desk") == {}


def test_the_window_and_the_registers_come_back_as_they_were_left(tmp_path):
    settings = AppSettings(tmp_path / "settings.ini")
    settings.set_window_state(QByteArray(b"tool bars"))
    settings.set_workspace_page("instruments")
    settings.set_register_layout("commitments", {"header": QByteArray(b"columns")})
    settings.sync()
    again = AppSettings(tmp_path / "settings.ini")
    assert again.window_state() == QByteArray(b"tool bars")
    assert again.workspace_page() == "instruments"
    # Only what was saved: the pane sizes keep the register's own default.
    assert again.register_layout("commitments") == {"header": QByteArray(b"columns")}
    assert again.register_layout("agencies") == {}


def test_the_choices_are_remembered_per_desk_and_per_dialog(tmp_path):
    settings = AppSettings(tmp_path / "settings.ini")
    settings.remember_choices("exchange", "desk-a", export={"kind": "return", "agency": "MFA"})
    settings.remember_choices("exchange", "desk-a", import_folder="/tmp/returns")
    settings.remember_choices("briefing", "desk-a", paper="Letter")
    settings.sync()
    again = AppSettings(tmp_path / "settings.ini")
    assert again.remembered_choices("exchange", "desk-a") == {
        "export": {"kind": "return", "agency": "MFA"},
        "import_folder": "/tmp/returns",
    }
    assert again.remembered_choices("briefing", "desk-a") == {"paper": "Letter"}
    assert again.remembered_choices("exchange", "desk-b") == {}  # another desk starts afresh


def test_a_hand_edited_file_falls_back_on_the_defaults(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text("[briefing]\ndesk-a=not json at all\ndesk-b=[1, 2]\n", encoding="utf-8")
    settings = AppSettings(path)
    assert settings.remembered_choices("briefing", "desk-a") == {}
    assert settings.remembered_choices("briefing", "desk-b") == {}
    settings.remember_choices("briefing", "desk-a", paper="A4")
    assert settings.remembered_choices("briefing", "desk-a") == {"paper": "A4"}


def test_a_list_typed_where_text_belongs_gives_the_default(tmp_path):
    # An INI value with a comma reads back as a list: nsdesk treats it as unset.
    path = tmp_path / "settings.ini"
    text = "[workspace]\npage=instruments, history\n[desks]\nlast=a, b\n"
    path.write_text(text, encoding="utf-8")
    settings = AppSettings(path)
    assert settings.workspace_page() == "dashboard"
    assert settings.last_desk is None
