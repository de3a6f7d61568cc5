"""What the window does for File ▸ New desk…, Open desk…, Open the demo desk and
Desk settings…, and for the welcome screen's buttons.

New desks (and the demo, the first time) are made on the background helper with
a progress dialog that can cancel; a cancelled or refused desk leaves no file.
Once made, a desk is opened like any other (:func:`~nsdesk.ui.desk.opening_flow.open_desk_into`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from nsdesk import locations
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.private_files import make_private_folders
from nsdesk.services.setup.demo import create_demo_desk
from nsdesk.services.setup.new_desk import create_desk
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.wording import as_sentence, error_text, is_refusal

if TYPE_CHECKING:
    from nsdesk.services.progress import Progress
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.desk.desk_settings_dialog import Apply, DeskSettingsDialog
    from nsdesk.ui.main_window import MainWindow

DEMO_FILE_NAME = "demo.nsdesk"


def demo_desk_path() -> Path:
    """Where the demo desk lives: in nsdesk's own data folder, not among the user's
    documents, made the first time it is asked for and reused after."""
    return locations.data_dir() / DEMO_FILE_NAME


def create_desk_flow(
    context: AppContext, window: MainWindow, state: str, delegation: str, path: Path
) -> None:
    """Create a desk for ``state`` (ISO3) at ``path`` in the background, with a
    progress dialog that can cancel, then open it. A refusal (the file exists, the
    folder cannot be written, the state is unknown) is shown and nothing is made."""
    context.background.run_with_progress(
        f"Creating {path.name}",
        lambda progress: create_desk(
            path, state=state, delegation=delegation.strip() or None, progress=progress
        )[0],
        lambda created: open_desk_into(context, window, created),
        lambda error: _refused(window, "The desk was not created", path, error),
        parent_widget=window,
        on_cancelled=lambda: window.show_status(
            f"{path.name} was not created: cancelled, and nothing was left behind."
        ),
    )


def open_demo_flow(context: AppContext, window: MainWindow) -> None:
    """Open the demo desk; the first time (or if it was deleted) make it first, in
    the background with a progress dialog that can cancel."""
    path = demo_desk_path()
    if path.exists():
        _open_unless_open(context, window, path)
        return

    def make(progress: Progress) -> Path:
        if path.exists():  # made by a second click while the first was making it
            return path
        make_private_folders(path.parent)  # nsdesk's own data folder: owner-only
        return create_demo_desk(path, progress=progress)[0]

    context.background.run_with_progress(
        "Creating the demo desk",
        make,
        lambda made: _open_unless_open(context, window, made),
        lambda error: _refused(window, "The demo desk could not be made", path, error),
        parent_widget=window,
        on_cancelled=lambda: window.show_status("The demo desk was not made: cancelled."),
    )


def _open_unless_open(context: AppContext, window: MainWindow, path: Path) -> None:
    desk = context.desk
    if desk is not None and desk.is_file and desk.path.resolve() == path.resolve():
        window.show_status(f"{path.name} is already open.")
        return
    open_desk_into(context, window, path)


def choose_and_open(window: MainWindow) -> Path | None:
    """Ask which desk file to open; the window's ``desk_requested`` signal carries
    the choice to the flow that opens it. None if the user cancelled."""
    folder = locations.desks_dir()
    text, _ = QFileDialog.getOpenFileName(
        window,
        "Open desk",
        str(folder) if folder.is_dir() else "",
        "nsdesk desks (*.nsdesk);;All files (*)",
    )
    if not text:
        return None
    window.desk_requested.emit(Path(text))
    return Path(text)


def apply_desk_settings(
    context: AppContext, window: MainWindow, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply ``changes`` to the open desk in one audited step and return the values
    they replaced, which applied in turn undo them. A refusal
    (:class:`~nsdesk.domain.errors.ValidationError`) changes nothing and is raised."""
    # lazy: the desk settings' services load the ORM, which only editing them needs
    from nsdesk.services.setup.desk_settings import update_desk_settings

    desk = context.desk
    if desk is None:
        raise RuntimeError("no desk is open")
    before = update_desk_settings(desk, **changes)
    window.show_status("Desk settings saved.")
    return before.changes()


def edit_desk_settings_flow(
    context: AppContext,
    window: MainWindow,
    apply: Apply | None = None,
) -> DeskSettingsDialog | None:
    """File ▸ Desk settings…: the open desk's settings in a window-modal dialog. On
    OK the wanted values go to ``apply`` (by default :func:`apply_desk_settings`;
    the window passes one that also records an undo step and refreshes what shows
    the delegation and the marking). None if no desk is open."""
    # lazy: the desk settings' services load the ORM, which only editing them needs
    from nsdesk.services.setup.desk_settings import read_desk_settings
    from nsdesk.ui.desk.desk_settings_dialog import DeskSettingsDialog

    desk = context.desk
    if desk is None:
        return None
    dialog = DeskSettingsDialog(
        read_desk_settings(desk),
        apply=apply or (lambda changes: apply_desk_settings(context, window, changes)),
        read_only_reason=context.read_only_reason,
        parent=window,
    )
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _refused(window: MainWindow, title: str, path: Path, error: BaseException) -> None:
    """Say why a desk was not made, in the user's words; anything unexpected goes to
    the error dialog (through the excepthook) with its traceback."""
    if not is_refusal(error):
        sys.excepthook(type(error), error, error.__traceback__)
        return
    if isinstance(error, ValidationError) and error.field == "state":
        reason = f"{error.value!s} is not a state nsdesk knows ({error.expected})"
    elif isinstance(error, PermissionError):
        reason = f"nsdesk may not write in {path.parent}; choose another folder"
    elif isinstance(error, OSError):
        reason = f"{error_text(error)}; nothing was changed"
    else:
        reason = error_text(error)
    window.show_error(title, f"{path}\n\n{as_sentence(reason)}")
    window.back_to_desk()
