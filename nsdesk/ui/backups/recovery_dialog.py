"""Offering the newest good backup of a desk that cannot be trusted as it is.

Shown when a desk is damaged, or when the check after an unclean shutdown found
it damaged or missing work. It says plainly what was found, which backup would
replace the desk and what that would lose, and restores only when asked. The
desk as it is is never deleted: the restore keeps it aside first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.backups.restore import RestoreReport, restore_desk
from nsdesk.ui import wording
from nsdesk.ui.backups.backup_words import refusal_text, table_words
from nsdesk.ui.widgets.dialog_style import (
    fit_to_text,
    heading_label,
    note_label,
    section_label,
    text_label,
)

if TYPE_CHECKING:
    from nsdesk.services.backups.backups import BackupInfo
    from nsdesk.services.backups.crash_check import CrashCheck
    from nsdesk.ui.background import Background

_MAX_PROBLEMS = 6


def findings(check: CrashCheck | None, reason: str) -> list[str]:
    """What was found, one sentence per line: missing records first, then damage."""
    if check is None:
        return [wording.as_sentence(reason)]
    order = list(RECORD_SPECS)
    lines = []
    for table, (before, now) in sorted(
        check.lost.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
    ):
        lines.append(
            f"{table_words(table).capitalize()}: {before - now:,} of the {before:,} "
            "in the newest backup are missing from the desk."
        )
    problems = list(check.problems)
    if problems:
        lines.append("SQLite's check of the file reports damage:")
        for problem in problems[:_MAX_PROBLEMS]:
            lines.extend(f"    {line.strip()}" for line in problem.splitlines() if line.strip())
        if len(problems) > _MAX_PROBLEMS:
            lines.append(f"    …and {len(problems) - _MAX_PROBLEMS:,} more.")
    return lines


def cost(backup: BackupInfo, changes: int | None) -> str:
    """What restoring ``backup`` would lose, in words."""
    moment = wording.full_when(backup.taken_at)
    if changes is None:
        return f"Anything changed after {moment} is not in this backup and would be lost."
    if changes == 0:
        return f"No change recorded after {moment} would be lost."
    if changes == 1:
        return f"The one change recorded after {moment} is not in this backup and would be lost."
    return (
        f"The {changes:,} changes recorded after {moment} are not in this backup and would be lost."
    )


class RecoveryDialog(QDialog):
    """What is wrong with the desk and what restoring its newest good backup would
    cost; "Restore this backup" restores it (in the background) and accepts, with
    the :class:`~nsdesk.services.backups.backups.RestoreReport` in :attr:`report`."""

    def __init__(
        self,
        path: Path,
        *,
        reason: str,
        background: Background,
        check: CrashCheck | None = None,
        backup: BackupInfo | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.path = path
        self.background = background
        self.backup = check.newest_backup if check is not None else backup
        self.report: RestoreReport | None = None
        self.setWindowTitle(f"{path.name} needs attention — nsdesk")
        self.setMinimumWidth(520)

        if check is None:
            heading = f"{path.name} cannot be opened as it is."
        elif check.problems:
            heading = f"{path.name} was not closed properly last time, and it is damaged."
        else:
            heading = (
                f"{path.name} was not closed properly last time, and some of its work is missing."
            )
        self.heading_label = heading_label(heading)
        self.path_label = note_label(str(path))
        self.found_heading = section_label("What was found")
        self.findings_label = text_label("\n".join(findings(check, reason)))
        self.findings_label.setAccessibleName("What the check found")

        changes = check.changes_since_backup if check is not None else None
        if self.backup is not None:
            self.choice_heading = section_label("What restoring the newest good backup means")
            self.backup_label = text_label(
                f"The newest good backup is of {wording.full_when(self.backup.taken_at)} "
                f"({wording.count(self.backup.record_count, 'record')}, "
                f"{wording.reason_text(self.backup.reason).lower()}).\n"
                f"{cost(self.backup, changes)}\n"
                "The desk as it is now is not deleted: nsdesk first keeps it aside in the "
                "backups folder."
            )
        else:
            self.choice_heading = section_label("What you can do")
            self.backup_label = text_label(
                "There is no backup of this desk, so nsdesk cannot restore it. The file has "
                "been left exactly as it is. Keep it: it is the only copy of this desk, and "
                "whoever supports the delegation may be able to recover part of it."
            )
        self.backup_label.setAccessibleName("What restoring would mean")
        self.status_label = text_label()
        self.status_label.hide()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton("Restore this backup")
        if self.backup is not None:
            self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.path_label)
        layout.addSpacing(4)
        layout.addWidget(self.found_heading)
        layout.addWidget(self.findings_label)
        layout.addWidget(line)
        layout.addWidget(self.choice_heading)
        layout.addWidget(self.backup_label)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        fit_to_text(self, 600)

    def restore(self) -> None:
        """Restore the offered backup in the background; accept when it is done."""
        if self.backup is None:
            return
        backup_path = self.backup.path
        self._say(f"Restoring the backup of {wording.full_when(self.backup.taken_at)}…")
        self.restore_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.background.run(
            lambda: restore_desk(self.path, backup_path), self._restored, self._failed
        )

    def _restored(self, report: RestoreReport) -> None:
        self.report = report
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._say(f"The backup was not restored: {refusal_text(error)}")
        self.restore_button.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()
        fit_to_text(self, self.width())  # grow to show it; never squeeze what was said
