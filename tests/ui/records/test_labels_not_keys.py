"""Internal keys never reach the screen (labels, not keys) and the words a list
says are grammatical: a theme is made, listed, headed and chosen by its label;
events and instruments are named, not keyed; "an event", "1 baseline"."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from nsdesk.domain.records import spec_for
from nsdesk.services.records.registers import REGISTERS
from nsdesk.ui.records.new_record_dialog import NewRecordDialog
from nsdesk.ui.records.record_editor import ChooseManyDialog
from nsdesk.ui.records.register_view import RegisterView

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")  # nuclear_forensics, gb_2016_nscg


def register(qtbot, demo_data, name: str) -> RegisterView:
    view = RegisterView(REGISTERS[name])
    qtbot.addWidget(view)
    view.set_data(demo_data)
    view.resize(1200, 700)
    view.show()
    demo_data.actions.records_changed.connect(view.records_changed)
    return view


def visible_texts(view: RegisterView) -> str:
    """What the list and the pane show: headers, cells, heading, every field."""
    model = view.model
    cells = [
        str(model.index(r, c).data() or "")
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if not view.table.isColumnHidden(c)
    ]
    fields = []
    for entry in view.editor.fields.values():
        widget = entry.widget
        text = getattr(widget, "currentText", None) or getattr(widget, "text", None)
        fields.append(text() if callable(text) else "")
        if hasattr(entry, "line"):
            fields.append(entry.line.text())
    return "\n".join([view.detail_title.text(), *cells, *fields])


@pytest.mark.parametrize("name", ["themes", "gift_baskets", "events", "instruments"])
def test_a_record_known_by_a_key_shows_no_key(qtbot, demo_data, name):
    view = register(qtbot, demo_data, name)
    view.table.selectRow(0)
    QApplication.processEvents()
    assert "code" not in view.editor.fields  # no "Key *" to type into
    assert "Key" not in [
        view.model.headerData(c, 1)
        for c in range(view.model.columnCount())
        if not view.table.isColumnHidden(c)
    ]
    shown = visible_texts(view)
    assert not SNAKE.findall(view.detail_title.text()), view.detail_title.text()
    assert not SNAKE.findall(shown), SNAKE.findall(shown)[:5]


def test_a_new_theme_takes_a_key_from_its_label_and_is_shown_by_it(qtbot, demo_data):
    themes = register(qtbot, demo_data, "themes")
    themes.select_key("nuclear_forensics")
    themes.retire_current()  # its key stays taken while it is retired
    dialog = NewRecordDialog(spec_for("theme"), demo_data, parent=themes)
    qtbot.addWidget(dialog)
    assert next(f.spec.label for f in dialog.editor.fields.values()) == "Label"
    dialog.editor.fields["label"].widget.setText("Nuclear forensics")
    dialog.create()
    assert dialog.created is not None
    assert dialog.created.key == "nuclear_forensics_2"
    assert themes.current_key() == "nuclear_forensics_2"
    assert themes.detail_title.text() == "Nuclear forensics"
    demo_data.actions.undo_stack.undo()
    assert themes.model.row_of("nuclear_forensics_2") is None


def test_the_themes_of_a_commitment_read_as_their_labels(qtbot, demo_data, monkeypatch):
    view = register(qtbot, demo_data, "commitments")
    assert view.select_key("C-0001")
    themes = view.editor.fields["themes"]
    assert themes.line.text() == "Nuclear forensics"
    offered: list[list[str]] = []

    def choose(dialog: ChooseManyDialog) -> int:
        offered.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        for i in range(dialog.list.count()):
            if dialog.list.item(i).text() == "Transport security":
                dialog.list.item(i).setCheckState(dialog.list.item(i).checkState().Checked)
        return ChooseManyDialog.DialogCode.Accepted

    monkeypatch.setattr(view.editor, "_choose_many_dialog", choose)
    themes.choose_button.click()
    assert "Transport security" in offered[0]
    assert not [label for label in offered[0] if SNAKE.search(label)]
    assert themes.line.text() == "Nuclear forensics; Transport security"
    values = demo_data.values("commitment", "C-0001")
    assert set(values["themes"]) == {"nuclear_forensics", "transport_security"}  # keys kept


def test_made_at_names_the_event_not_its_key(qtbot, demo_data):
    view = register(qtbot, demo_data, "commitments")
    assert view.select_key("C-0001")
    made_at = view.editor.fields["origin_event"].widget
    assert made_at.currentText().startswith("2010 Nuclear Security Summit")
    assert "nss2010" not in made_at.currentText()


def test_lists_and_prompts_say_their_nouns_grammatically(qtbot, demo_data):
    baselines = register(qtbot, demo_data, "baselines")
    assert baselines.filter_bar.count_label.text() == "1 baseline"
    events = register(qtbot, demo_data, "events")
    assert events.empty_label.text() == "Select an event to see and edit it."
    items = register(qtbot, demo_data, "action_items")
    assert items.empty_label.text() == "Select an action item to see and edit it."
