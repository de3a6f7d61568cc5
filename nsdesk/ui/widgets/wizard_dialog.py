"""The frame of a wizard over the window — the import of a workbook, the merge of a
changes file: pages shown one at a time, and under them a sentence about what is
happening beside the buttons < Back, Next >, Apply (any the wizard adds) and
Cancel, which reads Close on the last page.

While work runs in the background the wizard is busy: it says what it is doing
and nothing closes it (the progress dialog's Cancel stops the work first). Which
buttons show on which page, and when they may be pressed, is each wizard's own
(:meth:`WizardDialog._update_buttons`), as are its pages and what Next, Back and
Apply do. Back, Apply and Cancel are never default buttons: Return in a list must
not apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.dialog_style import note_label
from nsdesk.ui.widgets.sizing import fit_to_screen


class WizardDialog(QDialog):
    """Pages, a status sentence and the wizard's buttons; busy while work runs.

    A subclass makes its pages, hands them to :meth:`_lay_out`, shows its first
    page with :meth:`_show_page`, and says what :meth:`go_next`, :meth:`go_back`,
    :meth:`apply` and :meth:`_update_buttons` do."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.busy = False

    def _lay_out(
        self,
        pages: Sequence[QWidget],
        *,
        doing: str,
        applying: str,
        more: Sequence[QPushButton] = (),
    ) -> QVBoxLayout:
        """Stack ``pages`` over the buttons, and size the wizard to the screen;
        ``doing`` names the status sentence to assistive technology, ``applying``
        says what Apply does, ``more`` are buttons shown between Apply and Cancel.
        Returns the wizard's layout."""
        self.pages = QStackedWidget()
        for page in pages:
            self.pages.addWidget(page)

        self.status_label = note_label()
        self.status_label.setAccessibleName(doing)
        self.back_button = QPushButton("< &Back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton("&Next >")
        self.next_button.clicked.connect(self.go_next)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setAccessibleDescription(applying)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("Cancel")
        self.close_button.clicked.connect(self.reject)
        for button in (self.back_button, self.apply_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        for button in (self.back_button, self.next_button, self.apply_button, *more):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 1120, 720)
        return layout

    # -- what each wizard does ------------------------------------------------------------------
    def go_next(self) -> None:
        """Next >: read what the page holds, or move on."""
        raise NotImplementedError

    def go_back(self) -> None:
        """< Back, unless work is under way."""
        raise NotImplementedError

    def apply(self) -> None:
        """Apply: ask for what was previewed to be done."""
        raise NotImplementedError

    def _update_buttons(self) -> None:
        """Show, enable and make default the buttons the page and the busy state allow."""
        raise NotImplementedError

    # -- the frame ------------------------------------------------------------------------------
    def set_busy(self, text: str | None) -> None:
        """Work is under way (``text`` says what), or over (None)."""
        self.busy = text is not None
        self.say(text or "")
        self._update_buttons()

    def say(self, text: str) -> None:
        """A sentence beside the buttons about what just happened."""
        self.status_label.setText(text)

    def page(self) -> int:
        """The number of the page shown."""
        return self.pages.currentIndex()

    def _show_page(self, number: int) -> None:
        self.pages.setCurrentIndex(number)
        self.say("")
        self._update_buttons()

    def reject(self) -> None:
        """Close, unless work is under way (the progress dialog's Cancel stops it first)."""
        if self.busy:
            return
        super().reject()
