"""What every "write one file from a dialog" action shares (File ▸ Briefing pack…,
File ▸ Export workbook…): one dialog at a time over the window, the choices
remembered per desk, the file written in the background with a progress dialog
that can cancel, and what was refused said in the status bar and a message.

The dialog's own output field (a default name in the folder used last time, the
file dialog, the checks before anything is written) is
:class:`~nsdesk.ui.widgets.form_parts.OutputFileField`.

Loaded at start-up with the flows that use it: only Qt's core is imported here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from nsdesk.ui.wording import as_sentence, error_text, is_refusal, sentence_case

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

    from nsdesk.services.desk import Desk
    from nsdesk.services.progress import Progress
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow
    from nsdesk.ui.settings import ChoiceScope

D = TypeVar("D", bound="QDialog")
T = TypeVar("T")

#: Chooses a file: (parent, title, suggested file or folder) -> the path, or None.
FileChooser = Callable[["QWidget", str, Path], Path | None]


def open_with_viewer(path: Path) -> bool:
    """Open ``path`` in the system's viewer for it; False if none would open it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DialogSlot(Generic[D]):
    """At most one dialog of a kind over the window: asked again while it shows,
    it is raised rather than made twice; once closed it is deleted."""

    def __init__(self) -> None:
        self.dialog: D | None = None

    def show(self, build: Callable[[], D], *, opened: Callable[[D], None] | None = None) -> D:
        """The dialog showing, raised; else ``build()``'s, opened window-modal and
        then given to ``opened``."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        dialog = build()
        dialog.finished.connect(lambda: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        if opened is not None:
            opened(dialog)
        return dialog

    def _closed(self, dialog: D) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()


@dataclass(frozen=True, slots=True)
class OutputWords:
    """How a flow names what it writes, in the sentences it says about it."""

    noun: str
    """What is written, without its article: "briefing pack", "workbook"."""
    made: str
    """The verb once it is done: "made", "written"."""
    progress_title: str
    """The progress dialog's title: "Making the briefing pack"."""


class OutputFileFlow(QObject):
    """The base of a flow that writes one file the user chose in a dialog.

    :attr:`open_file` opens a written file or its folder (tests put a callable that
    only records the path); :attr:`choose_save_file` replaces the file dialog
    (None: Qt's); :attr:`message_box` is the last message shown, for whoever needs
    to read it.
    """

    scope: ClassVar[ChoiceScope]
    """Where the app's settings keep this flow's choices, per desk."""
    words: ClassVar[OutputWords]

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(window)
        self.context = context
        self.window = window
        self.open_file: Callable[[Path], bool | None] = open_with_viewer
        self.choose_save_file: FileChooser | None = None
        self.message_box: QMessageBox | None = None

    # -- remembering --------------------------------------------------------------------
    def remembered(self, desk: Desk) -> dict[str, Any]:
        """The choices last made in this flow's dialogs on ``desk``."""
        return self.context.settings.remembered_choices(self.scope, desk.info().uuid)

    def remember(self, desk: Desk, **changes: Any) -> None:
        """Keep ``changes`` as the choices to start from next time on ``desk``."""
        self.context.settings.remember_choices(self.scope, desk.info().uuid, **changes)

    # -- writing --------------------------------------------------------------------------
    def write_file(
        self,
        out: Path,
        work: Callable[[Progress], T],
        done: Callable[[T], None],
        *,
        status: str,
    ) -> None:
        """Run ``work`` (which writes ``out``) in the background with a progress
        dialog that can cancel, saying ``status`` meanwhile; then ``done`` with its
        result, or say why nothing was written."""
        words = self.words
        self.window.show_status(status)
        self.context.background.run_with_progress(
            words.progress_title,
            work,
            done,
            lambda error: self.refused(out, error),
            parent_widget=self.window,
            on_cancelled=lambda: self.window.show_status(
                f"The {words.noun} {out.name} was not {words.made}: "
                "cancelled, and no file was left."
            ),
        )

    @staticmethod
    def refusal(error: BaseException) -> str | None:
        """A refusal in the user's words, as a sentence's start (None: a fault, for the
        app's error dialog)."""
        return sentence_case(error_text(error)) if is_refusal(error) else None

    def refused(self, out: Path, error: BaseException) -> None:
        """Say why ``out`` was not written: a refusal in the status bar and a message;
        anything unexpected goes to the app's error dialog, with the details, and the log."""
        words = self.words
        reason = self.refusal(error)
        if reason is None:
            self.window.show_status(f"The {words.noun} was not {words.made}: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        self.window.show_status(f"The {words.noun} was not {words.made}: {reason}")
        self.message(
            f"{sentence_case(words.noun)} not {words.made} — nsdesk",
            f"The {words.noun} {out.name} was not {words.made}.",
            as_sentence(reason),
        )

    def open_written(self, written: Path, target: Path | None = None) -> None:
        """Open the file ``written`` (or ``target``, its folder); say so if nothing would."""
        if self.open_file(target or written) is False:
            self.window.show_status(
                f"The {self.words.noun} was written to {written}, but nothing on this "
                "computer would open it.",
                more=str(written),
            )

    def message(
        self,
        title: str,
        text: str,
        informative: str,
        *,
        details: str = "",
        warning: bool = True,
        actions: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> QMessageBox:
        """Show a message over the window (or ``parent``) and keep it in
        :attr:`message_box` (see :func:`~nsdesk.ui.message_box.open_message`)."""
        # lazy: QMessageBox wakes PySide6's Qt namespace, which the first paint does without
        from nsdesk.ui.message_box import open_message

        self.message_box = open_message(
            parent or self.window,
            title,
            text,
            informative,
            details=details,
            warning=warning,
            actions=actions,
        )
        return self.message_box
