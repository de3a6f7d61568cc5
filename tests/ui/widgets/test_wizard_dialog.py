"""The frame the import and the merge wizards share, on a wizard of its own (two
pages: a name, then what would be done): the buttons in their order, the sentence
beside them, and a busy wizard that does not close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from nsdesk.ui.widgets.wizard_dialog import WizardDialog

NAME, DONE = range(2)


class NamingWizard(WizardDialog):
    def __init__(self) -> None:
        super().__init__()
        self.name_edit = QLineEdit()
        self.name_edit.textChanged.connect(lambda _: self._update_buttons())
        self.done_label = QLabel()
        self.help_button = QPushButton("&Help")
        self.applied: list[str] = []
        self._lay_out(
            (self.name_edit, self.done_label),
            doing="What the naming is doing",
            applying="Name it, in one step",
            more=(self.help_button,),
        )
        self._show_page(NAME)

    def go_next(self) -> None:
        if not self.busy and self.name_edit.text():
            self.set_busy(f"Checking {self.name_edit.text()}…")

    def go_back(self) -> None:
        if not self.busy:
            self._show_page(NAME)

    def apply(self) -> None:
        self.applied.append(self.name_edit.text())
        self.done_label.setText(f"Named {self.name_edit.text()}.")
        self._show_page(DONE)

    def _update_buttons(self) -> None:
        page = self.page()
        self.back_button.setVisible(page == DONE)
        self.next_button.setVisible(page == NAME)
        self.next_button.setEnabled(not self.busy and bool(self.name_edit.text()))
        self.apply_button.setVisible(page == NAME)
        self.close_button.setText("Close" if page == DONE else "Cancel")
        self.close_button.setEnabled(not self.busy)


def shown_buttons(wizard: WizardDialog) -> list[str]:
    row = wizard.findChildren(QPushButton)
    row.sort(key=lambda b: b.mapTo(wizard, b.rect().topLeft()).x())
    return [b.text() for b in row if b.isVisible()]


def test_the_buttons_stand_in_order_and_return_never_presses_apply(qtbot):
    wizard = NamingWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert shown_buttons(wizard) == ["&Next >", "&Apply", "&Help", "Cancel"]
    assert wizard.status_label.accessibleName() == "What the naming is doing"
    assert wizard.apply_button.accessibleDescription() == "Name it, in one step"
    for button in (wizard.back_button, wizard.apply_button, wizard.close_button):
        assert not button.autoDefault()
    wizard.name_edit.setText("Anna")
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.applied == ["Anna"]
    assert shown_buttons(wizard) == ["< &Back", "&Help", "Close"]


def test_a_busy_wizard_says_what_it_does_and_does_not_close(qtbot):
    wizard = NamingWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.name_edit.setText("Ben")
    wizard.next_button.click()
    assert wizard.status_label.text() == "Checking Ben…"
    assert not wizard.close_button.isEnabled()
    wizard.reject()
    assert wizard.isVisible()
    wizard.set_busy(None)
    assert wizard.status_label.text() == ""
    assert wizard.close_button.isEnabled()
    wizard.reject()
    assert not wizard.isVisible()


def test_a_page_shown_again_starts_with_nothing_said(qtbot):
    wizard = NamingWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.name_edit.setText("Carl")
    wizard.apply()
    wizard.say("Named, and kept.")
    wizard.back_button.click()
    assert wizard.page() == NAME
    assert wizard.status_label.text() == ""
