"""New desk, the demo desk and Desk settings, end to end in the window (background
work runs at once here: the ``context`` fixture's executor is synchronous)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QTableWidgetItem

from nsdesk.services.setup import demo
from nsdesk.services.setup.desk_settings import read_desk_settings
from nsdesk.ui.desk.desk_flow import (
    apply_desk_settings,
    create_desk_flow,
    demo_desk_path,
    edit_desk_settings_flow,
    open_demo_flow,
)
from nsdesk.ui.desk.opening_flow import open_desk_into


@pytest.fixture
def errors(window, monkeypatch):
    """What the window said went wrong (instead of a modal message box)."""
    said = []
    monkeypatch.setattr(window, "show_error", lambda title, text: said.append((title, text)))
    return said


def test_a_desk_created_for_a_state_is_made_and_opened(window, context, tmp_path, errors):
    path = tmp_path / "france.nsdesk"
    create_desk_flow(context, window, "FRA", " Delegation of France ", path)
    assert errors == []
    assert path.exists()
    assert context.desk is not None
    assert context.desk.path == path
    info = context.desk.info()
    assert (info.own_state_code, info.own_state_name) == ("FRA", "France")
    assert info.delegation == "Delegation of France"
    assert not info.is_demo


@pytest.mark.parametrize(
    ("state", "existing", "said"),
    [
        ("NLD", True, "already exists"),
        ("XYZ", False, "XYZ is not a state nsdesk knows"),
    ],
)
def test_a_refused_desk_is_explained_and_nothing_is_made(
    window, context, tmp_path, errors, state, existing, said
):
    folder = tmp_path / "desks"
    folder.mkdir()
    path = folder / "desk.nsdesk"
    if existing:
        path.write_bytes(b"someone's file")
    create_desk_flow(context, window, state, "", path)
    assert len(errors) == 1
    title, text = errors[0]
    assert title == "The desk was not created"
    assert said in text
    assert str(path) in text
    assert context.desk is None
    leftovers = sorted(p.name for p in folder.iterdir())
    assert leftovers == (["desk.nsdesk"] if existing else [])
    if existing:
        assert path.read_bytes() == b"someone's file"


def test_the_demo_is_made_once_then_reused(window, context, monkeypatch, errors):
    path = demo_desk_path()
    assert not path.exists()
    open_demo_flow(context, window)
    assert path.exists()
    assert context.desk is not None
    assert context.desk.path == path
    assert context.desk.info().is_demo
    desk = context.desk
    open_demo_flow(context, window)  # already open: left as it is
    assert context.desk is desk
    assert window.statusBar().currentMessage() == "demo.nsdesk is already open."
    context.close_desk()

    def no_second_demo(*_args, **_kwargs):
        raise AssertionError("the demo desk was made again")

    monkeypatch.setattr(demo, "create_demo_desk", no_second_demo)
    open_demo_flow(context, window)
    assert context.desk is not None
    assert context.desk.info().is_demo
    assert errors == []


def test_cancelling_the_demo_leaves_no_file_and_no_desk(window, context, monkeypatch, errors):
    build = demo.DemoBuilder.build

    def cancelled_half_way(self, progress=None):
        progress.cancel()  # as the dialog's Cancel button does, while the work runs
        return build(self, progress)

    monkeypatch.setattr(demo.DemoBuilder, "build", cancelled_half_way)
    open_demo_flow(context, window)
    assert context.desk is None
    assert errors == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert list(demo_desk_path().parent.iterdir()) == []


def test_desk_settings_change_the_delegation_the_desk_shows(window, context, new_desk_location):
    assert open_desk_into(context, window, new_desk_location)
    dialog = edit_desk_settings_flow(context, window)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.delegation_edit.text() == "Test delegation"
    dialog.delegation_edit.setText("Delegation of the Netherlands")
    dialog.prepared_by_edit.setText("J. Jansen")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert context.desk.info().delegation == "Delegation of the Netherlands"
    assert read_desk_settings(context.desk).prepared_by == "J. Jansen"
    assert window.statusBar().currentMessage() == "Desk settings saved."


def test_a_new_level_and_default_then_undone_by_applying_what_they_replaced(
    window, context, new_desk_location
):
    assert open_desk_into(context, window, new_desk_location)
    applied = []

    def apply(changes):  # what the window's undo command does: apply, keep the before
        applied.append(apply_desk_settings(context, window, changes))

    dialog = edit_desk_settings_flow(context, window, apply)
    dialog.add_level()
    table = dialog.levels_table
    table.item(0, 0).setText("secret")  # made capitals
    table.setItem(0, 1, QTableWidgetItem("Secret"))
    assert table.item(0, 0).text() == "SECRET"
    dialog.default_combo.setCurrentIndex(dialog.default_combo.findData("SECRET"))
    dialog.accept()
    assert context.desk.info().marking.codes[-1] == "SECRET"
    assert context.desk.info().default_sensitivity == "SECRET"
    (before,) = applied
    apply_desk_settings(context, window, before)  # undo
    assert "SECRET" not in context.desk.info().marking.codes
    assert context.desk.info().default_sensitivity == "INTERNAL"


def test_a_refused_level_is_said_beside_the_levels_and_the_dialog_stays(
    window, context, new_desk_location
):
    assert open_desk_into(context, window, new_desk_location)
    dialog = edit_desk_settings_flow(context, window)
    dialog.add_level()
    dialog.levels_table.item(0, 0).setText("TOP SECRET")  # a space: not a code
    dialog.levels_table.setItem(0, 1, QTableWidgetItem("Top secret"))
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.levels_error.isVisible()
    assert "capital letters" in dialog.levels_error.text()
    assert context.desk.info().marking.codes[-1] == "CONFIDENTIAL"
    dialog.remove_new_level()
    assert dialog.levels_table.rowCount() == 4
    dialog.reject()
    assert dialog.changes is None
