"""File ▸ Send changes…, Merge changes…, Conflicts… and Merge history…: desks kept
on several laptops, brought together from the window.

Send: the dialog asks (what, up to which marking, a passphrase, where) and names the
marking the file will carry before it is saved; the file is written in the
background with a progress dialog that can cancel, then a message says what was
written, with "Show the folder".

Merge: the wizard (:mod:`nsdesk.ui.merge.merge_wizard`) asks for the file; the flow
reads it (``examine_changes``: sender, key, counts), trusts the key if the user
confirmed its fingerprint, previews the merge in a transaction rolled back, and
applies it — off the UI thread, with progress and Cancel, one transaction after a
backup, so Cancel leaves the desk as it was — with the decisions taken on the
conflicts page, then settles the identity clashes the user decided. Every page then
reads the desk again and the undo stack is cleared (its steps were made before the
desk changed under them). The open conflicts show as a badge in the status bar.

Only Qt's core is imported here: the dialogs and the services load when first asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Signal

from nsdesk.domain.changes_errors import MergeStaleError
from nsdesk.domain.errors import NsdeskError
from nsdesk.ui.output_file import DialogSlot, FileChooser, OutputFileFlow, OutputWords
from nsdesk.ui.wording import count, error_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton, QWidget

    from nsdesk.services.desk import Desk
    from nsdesk.services.merge.outcome import MergeReport, OpenItem
    from nsdesk.services.merge.sending import SentChanges
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow
    from nsdesk.ui.merge.conflicts_badge import ConflictsBadge
    from nsdesk.ui.merge.conflicts_dialog import ConflictsDialog
    from nsdesk.ui.merge.merge_history_dialog import MergeHistoryDialog
    from nsdesk.ui.merge.merge_wizard import MergeWizard
    from nsdesk.ui.merge.send_dialog import SendChangesDialog

SEND_TITLE = "Writing the changes file"
PREVIEW_TITLE = "Reading the changes file"
APPLY_TITLE = "Merging the changes"
STALE = (
    "The desk changed after this preview was made, so it was read again: check the "
    "changes and the conflicts, then apply."
)


def documents_folder() -> Path:
    """Where a changes file is proposed: the user's documents folder (their home when
    the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class MergeFlow(OutputFileFlow):
    """Answers File ▸ Send changes…, Merge changes…, Conflicts… and Merge history…,
    and keeps the status bar's conflicts badge up to date.

    :attr:`choose_open_file` replaces the merge's file dialog, :attr:`ask_value` the
    conflicts' Edit box (tests; None: Qt's); :attr:`documents` is where a changes file
    is proposed."""

    scope = "merge"
    words = OutputWords(noun="changes file", made="written", progress_title=SEND_TITLE)

    sent = Signal(Path)
    """A changes file was written to this file."""
    merged = Signal(int)
    """A changes file was merged; the merge's number in the merge history."""
    desk_changed = Signal()
    """A merge, a settlement or an undo changed the desk."""

    def __init__(self, context: AppContext, window: MainWindow):
        super().__init__(context, window)
        self.choose_open_file: FileChooser | None = None
        self.ask_value: Callable[[QWidget, OpenItem, str], str | None] | None = None
        self.documents: Callable[[], Path] = documents_folder
        self.today: Callable[[], date] = date.today
        self._send: DialogSlot[SendChangesDialog] = DialogSlot()
        self._wizard: DialogSlot[MergeWizard] = DialogSlot()
        self._conflicts: DialogSlot[ConflictsDialog] = DialogSlot()
        self._history: DialogSlot[MergeHistoryDialog] = DialogSlot()
        self._badge: ConflictsBadge | None = None
        self._watched: object | None = None  # the desk's data whose edits recount the badge
        window.send_changes_requested.connect(self.start_send)
        window.merge_changes_requested.connect(self.start_merge)
        window.conflicts_requested.connect(self.show_conflicts)
        window.merge_history_requested.connect(self.show_history)
        window.desk_shown.connect(self.refresh_badge)

    @property
    def send_dialog(self) -> SendChangesDialog | None:
        return self._send.dialog

    @property
    def wizard(self) -> MergeWizard | None:
        return self._wizard.dialog

    @property
    def conflicts_dialog(self) -> ConflictsDialog | None:
        return self._conflicts.dialog

    @property
    def history_dialog(self) -> MergeHistoryDialog | None:
        return self._history.dialog

    @property
    def badge(self) -> ConflictsBadge:
        """The status bar's count of open conflicts (click: the conflicts)."""
        if self._badge is None:
            # lazy: the badge's button is made with the flow, after the first paint
            from nsdesk.ui.merge.conflicts_badge import ConflictsBadge

            self._badge = ConflictsBadge()
            self._badge.clicked.connect(self.show_conflicts)
            self.window.statusBar().insertPermanentWidget(0, self._badge)
        return self._badge

    def _writable(self, what: str) -> Desk | None:
        desk = self.context.desk
        if desk is None:
            return None
        if desk.read_only:
            self.window.show_status(
                f"{what}: the desk is read-only ({self.context.read_only_reason})."
            )
            return None
        return desk

    # -- the badge ----------------------------------------------------------------------------
    def refresh_badge(self) -> None:
        """Count the desk's open conflicts, clashes and review items again."""
        desk = self.context.desk
        if desk is None:
            self.badge.show_counts({})
            return
        # lazy: the services load late (this one reads a table, without the merge engine)
        from nsdesk.services.merge.open_records import open_item_counts

        data = self.context.data
        if data is not None and data is not self._watched:
            # An edit of a field in conflict settles it, as the editor's marker does.
            self._watched = data
            data.actions.records_changed.connect(lambda *_: self.refresh_badge())

        self.badge.show_counts(open_item_counts(desk))

    # -- send ---------------------------------------------------------------------------------
    def start_send(self) -> SendChangesDialog | None:
        """Show the send dialog over the window (None if no desk is open).

        Sending changes nothing in the desk, so a read-only desk can send too."""
        desk = self.context.desk
        if desk is None:
            return None
        return self._send.show(lambda: self._send_dialog(desk))

    def _send_dialog(self, desk: Desk) -> SendChangesDialog:
        # lazy: the dialog and the sending services load on the first send
        from nsdesk.services.audit import default_actor_name
        from nsdesk.services.merge.send_preview import preview_send
        from nsdesk.ui.merge.send_dialog import SendChangesDialog

        info = desk.info()
        folder = Path(self.remembered(desk).get("send_folder") or self.documents())
        dialog = SendChangesDialog(
            preview=lambda everything, ceiling: preview_send(
                desk, everything=everything, ceiling=ceiling
            ),
            background=self.context.background,
            levels=tuple((level.code, level.label) for level in info.marking.levels),
            desk_name=desk.path.stem,
            laptop=default_actor_name(),
            today=self.today(),
            folder=folder if folder.is_dir() else self.documents(),
            choose_file=self.choose_save_file,
            parent=self.window,
        )
        dialog.accepted.connect(lambda: self._send_chosen(desk, dialog))
        return dialog

    def _send_chosen(self, desk: Desk, dialog: SendChangesDialog) -> None:
        out = dialog.output_path()
        self.remember(desk, send_folder=str(out.parent))
        self.send(
            desk,
            out,
            everything=dialog.everything(),
            ceiling=dialog.ceiling(),
            passphrase=dialog.passphrase(),
        )

    def send(
        self,
        desk: Desk,
        out: Path,
        *,
        everything: bool = False,
        ceiling: str | None = None,
        passphrase: str | None = None,
    ) -> None:
        """Write the changes file ``out`` in the background, then say what it holds."""
        # lazy: the sending services load on the first send
        from nsdesk.services.merge.sending import export_changes

        replace = out.exists()  # the dialog asked before
        self.write_file(
            out,
            lambda progress: export_changes(
                desk,
                out,
                everything=everything,
                ceiling=ceiling,
                passphrase=passphrase,
                replace=replace,
            ),
            lambda written: self._sent(desk, written),
            status=f"Writing the changes file {out.name}…",
        )

    def _sent(self, desk: Desk, written: SentChanges) -> None:
        from nsdesk.ui.merge.merge_words import applied_text  # lazy: with the first send

        label = desk.info().marking.label(written.marking)
        self.window.show_status(
            f"Changes file written: {count(written.changes, 'change')} to "
            f"{written.path.name}, marked {label}",
            more=str(written.path),
        )
        said = [
            f"{count(written.changes, 'change')} ({applied_text(written.counts)}), of records "
            f"marked up to {label}: handle the file as {label}."
        ]
        if written.withheld:
            said.append(
                f"{count(written.withheld, 'record')} marked above the ceiling stayed here."
            )
        said.append(
            "It is encrypted: tell the receiver the passphrase apart from the file."
            if written.encrypted
            else "It is not encrypted."
        )
        said.append(f"This laptop's key: {written.fingerprint}.")
        box = self.message(
            "Changes file written — nsdesk",
            f"The changes were written to {written.path.name}.",
            " ".join(said) + f"\n\n{written.path.parent}",
            warning=False,
            actions=("Show in folder",),
        )

        def clicked(button: QAbstractButton) -> None:
            if button.text() == "Show in folder":
                self.open_written(written.path, written.path.parent)

        box.buttonClicked.connect(clicked)
        self.sent.emit(written.path)

    # -- merge --------------------------------------------------------------------------------
    def start_merge(self, path: Path | None = None) -> MergeWizard | None:
        """Show the merge wizard over the window, reading ``path`` at once if given."""
        desk = self._writable("Nothing can be merged")
        if desk is None:
            return None
        return self._wizard.show(
            lambda: self._merge_wizard(desk),
            opened=lambda wizard: None if path is None else wizard.choose_file(path),
        )

    def _merge_wizard(self, desk: Desk) -> MergeWizard:
        from nsdesk.ui.merge.merge_wizard import MergeWizard  # lazy: the first merge

        folder = Path(self.remembered(desk).get("merge_folder") or self.documents())
        wizard = MergeWizard(
            folder=folder if folder.is_dir() else desk.path.parent,
            choose_file=self.choose_open_file,
            ask_value=self.ask_value,
            parent=self.window,
        )
        wizard.examine_requested.connect(
            lambda path, passphrase: self.examine(desk, wizard, path, passphrase)
        )
        wizard.preview_requested.connect(
            lambda path, passphrase, fingerprint, sender: self.preview(
                desk, wizard, path, passphrase, fingerprint, sender
            )
        )
        wizard.apply_requested.connect(
            lambda preview, decisions, clashes: self.apply(
                desk, wizard, preview, decisions, clashes
            )
        )
        wizard.conflicts_requested.connect(self.show_conflicts)
        return wizard

    def examine(self, desk: Desk, wizard: MergeWizard, path: Path, passphrase: str | None) -> None:
        """Read what the file at ``path`` is, and show it on the wizard's first page."""
        # lazy: the merge's services load on the first merge
        from nsdesk.services.merge.changes_files import examine_changes
        from nsdesk.services.merge.sender_keys import earlier_keys

        def work() -> tuple[Any, list[str]]:
            report = examine_changes(path, desk, passphrase)
            replica = report.envelope.sender_replica if report.envelope else ""
            return report, earlier_keys(desk, replica) if replica else []

        self.remember(desk, merge_folder=str(Path(path).parent))
        self.context.background.run(
            work,
            lambda found: wizard.show_examined(*found),
            lambda error: self._refused(wizard, error),
        )

    def preview(
        self,
        desk: Desk,
        wizard: MergeWizard,
        path: Path,
        passphrase: str | None,
        fingerprint: str | None,
        sender: str | None,
        *,
        message: str = "",
    ) -> None:
        """Trust the key the user confirmed, then show what merging would do."""
        # lazy: the merge's services load on the first merge
        from nsdesk.services.merge.incoming import incoming_changes
        from nsdesk.services.merge.merging import preview_merge
        from nsdesk.services.merge.trust import trust_key

        def work(progress):
            if fingerprint is not None:
                trust_key(desk, fingerprint, label=sender)
            report = preview_merge(desk, path, passphrase, progress=progress)
            return report, incoming_changes(desk, path, passphrase)

        self.context.background.run_with_progress(
            PREVIEW_TITLE,
            work,
            lambda found: wizard.show_preview(found[0], found[1], message=message),
            lambda error: self._refused(wizard, error),
            parent_widget=wizard,
            on_cancelled=lambda: self._stopped(
                wizard, "Reading the changes file was cancelled; nothing was changed."
            ),
        )

    def apply(
        self,
        desk: Desk,
        wizard: MergeWizard,
        preview: MergeReport,
        decisions: Mapping[tuple[str, str], Any],
        clashes: Mapping[str, bool],
    ) -> None:
        """Merge the previewed file in the background, with the decisions taken."""
        # lazy: the merge's services load on the first merge
        from nsdesk.services.merge.conflicts import settle_clash
        from nsdesk.services.merge.merging import apply_merge
        from nsdesk.services.merge.open_records import open_item_counts

        passphrase = wizard.verify_page.passphrase()

        def work(progress):
            report = apply_merge(
                desk,
                preview.path,
                passphrase,
                decisions=dict(decisions),
                preview=preview,
                progress=progress,
            )
            settled = []
            for clash in report.clashes:
                same = clashes.get(clash.record_uuid)
                if same is None or clash.id is None:
                    continue
                try:
                    settled.append(settle_clash(desk, clash.id, same=same).said)
                except NsdeskError as error:  # merged all the same: this one stays open
                    settled.append(
                        f"{clash.key}: not settled ({error_text(error)}); settle it in "
                        "File ▸ Conflicts…"
                    )
            return report, settled, sum(open_item_counts(desk).values())

        self.context.background.run_with_progress(
            APPLY_TITLE,
            work,
            lambda found: self._applied(wizard, *found),
            lambda error: self._apply_refused(desk, wizard, preview, error),
            parent_widget=wizard,
            on_cancelled=lambda: self._stopped(
                wizard, "The merge was cancelled: nothing was changed in the desk."
            ),
        )

    def _applied(
        self, wizard: MergeWizard, report: MergeReport, settled: list[str], left: int
    ) -> None:
        wizard.show_result(report, settled, left)
        self._changed()
        self.window.show_status(
            f"Merged {report.path.name} from {report.sender_label}: "
            f"{count(report.applied_total, 'change')} applied, "
            f"{count(left, 'item')} left open. Undo it from File ▸ Merge history…",
            more=str(report.path),
        )
        if report.merge_id is not None:
            self.merged.emit(report.merge_id)

    def _apply_refused(
        self, desk: Desk, wizard: MergeWizard, preview: MergeReport, error: BaseException
    ) -> None:
        if isinstance(error, MergeStaleError):
            page = wizard.verify_page
            self.preview(desk, wizard, preview.path, page.passphrase(), None, None, message=STALE)
            return
        reason = self.refusal(error)
        wizard.set_busy(None)
        if reason is None:
            wizard.say("The changes were not merged: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        wizard.say(f"The changes were not merged: {reason}")
        self.message(
            "Changes not merged — nsdesk",
            f"{preview.path.name} was not merged.",
            f"{reason.rstrip('.')}. Nothing was changed in the desk.",
            parent=wizard,
        )

    def _refused(self, wizard: MergeWizard, error: BaseException) -> None:
        reason = self.refusal(error)
        if reason is None:
            wizard.set_busy(None)
            sys.excepthook(type(error), error, error.__traceback__)
            return
        problem = getattr(error, "problem", None)
        wizard.show_refusal(problem if isinstance(problem, str) else reason)

    def _stopped(self, wizard: MergeWizard, text: str) -> None:
        wizard.set_busy(None)
        wizard.say(text)

    # -- conflicts and history ------------------------------------------------------------
    def show_conflicts(self) -> ConflictsDialog | None:
        """Show the desk's open conflicts, clashes and review items."""
        desk = self.context.desk
        if desk is None:
            return None
        return self._conflicts.show(lambda: self._conflicts_dialog(desk))

    def _conflicts_dialog(self, desk: Desk) -> ConflictsDialog:
        from nsdesk.ui.merge.conflicts_dialog import ConflictsDialog  # lazy: when first asked

        dialog = ConflictsDialog(
            desk,
            background=self.context.background,
            read_only_reason=self.context.read_only_reason,
            ask_value=self.ask_value,
            parent=self.window,
        )
        dialog.settled.connect(lambda: self._changed(conflicts=False))
        dialog.history_requested.connect(self.show_history)
        return dialog

    def show_history(self) -> MergeHistoryDialog | None:
        """Show the desk's merge history, where a merge is undone."""
        desk = self.context.desk
        if desk is None:
            return None
        return self._history.show(lambda: self._history_dialog(desk))

    def _history_dialog(self, desk: Desk) -> MergeHistoryDialog:
        # lazy: the dialog and the merge services load when first asked
        from nsdesk.services.merge.merges import list_merges, undo_merge
        from nsdesk.ui.merge.merge_history_dialog import MergeHistoryDialog

        dialog = MergeHistoryDialog(
            lambda: list_merges(desk),
            lambda merge_id: undo_merge(desk, merge_id),
            background=self.context.background,
            desk_name=desk.path.name,
            read_only_reason=self.context.read_only_reason,
            parent=self.window,
        )
        dialog.merge_undone.connect(self._undone)
        return dialog

    def _undone(self, merge_id: int, values: int) -> None:
        self._changed()
        self.window.show_status(
            f"Merge {merge_id} undone: {count(values, 'value')} put back as they were."
        )

    def _changed(self, *, conflicts: bool = True) -> None:
        """The desk changed under the views: every page reads it again, the undo steps
        made before are dropped (they would write over it), the badge is counted, and
        the conflicts window (unless it made the change) reads them again."""
        if self.window.has_workspace:
            self.window.workspace.reload()
        self.window.undo_stack.clear()
        self.refresh_badge()
        if conflicts and self._conflicts.dialog is not None:
            self._conflicts.dialog.refresh()
        self.desk_changed.emit()
