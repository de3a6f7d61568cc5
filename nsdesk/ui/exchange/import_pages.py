"""The import wizard's pages around the preview: (1) the file, (2) for a table
nsdesk did not write, what it is (progress on commitments, or a depositary's list
read as participation in one instrument, with its date and source), which field
each column holds and up to which marking the records it may change go, (4) what
the import did and how to undo it. The preview itself is
:mod:`nsdesk.ui.exchange.preview_page`.

Each page shows and asks; the wizard moves between them and says when the
buttons may be used (each page emits ``changed`` when that may have changed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import ValidationError
from nsdesk.services.exchange.changes import ParticipationTarget
from nsdesk.services.exchange.depositary import depositary_fields
from nsdesk.ui.exchange.import_words import KINDS_EXPLAINED, counts_text
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label, text_label
from nsdesk.ui.widgets.form_parts import buddy
from nsdesk.ui.widgets.inline_error import InlineError

if TYPE_CHECKING:
    from nsdesk.services.exchange.apply import ImportResult
    from nsdesk.services.exchange.changes import ImportPreview
    from nsdesk.services.exchange.foreign_tables import ForeignTable

NOT_IMPORTED = ""
"""A foreign column's mapping when it is not imported."""

#: Chooses a workbook to read: (parent, title, folder) -> the path, or None.
OpenChooser = Callable[[QWidget, str, Path], Path | None]


class ChoosePage(QWidget):
    """Page 1: the workbook to import, typed or chosen in the file dialog; why it
    was refused, if it was."""

    changed = Signal()
    """The path typed changed."""
    chosen = Signal()
    """The user asked to read the file (Return in the field, or the file dialog)."""

    def __init__(self, *, folder: Path, choose_file: OpenChooser | None = None):
        super().__init__()
        self.folder = folder
        self._choose_file = choose_file
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Workbook to import")
        self.path_edit.setAccessibleDescription("The .xlsx or .csv file to read")
        self.path_edit.textChanged.connect(lambda *_: self.changed.emit())
        self.path_edit.textEdited.connect(lambda *_: self.refusal_error.clear_message())
        self.path_edit.returnPressed.connect(self.chosen)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.setAccessibleDescription("Choose the workbook to import")
        self.browse_button.clicked.connect(self.browse)
        self.refusal_error = InlineError(self.path_edit, "Workbook")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.refusal_error)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy("&Workbook", self.path_edit), cell)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Import a workbook — choose the file"))
        layout.addWidget(
            text_label(
                "Every cell is checked and every change is shown, field by field, before "
                "anything changes in the desk. Files saved by Excel or LibreOffice are both read, "
                "and tables saved as CSV."
            )
        )
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(16)
        layout.addWidget(section_label("What can be imported"))
        for kind, said in KINDS_EXPLAINED:
            title = section_label(kind)
            title.setContentsMargins(12, 4, 0, 0)
            explained = note_label(said)
            explained.setContentsMargins(12, 0, 0, 0)
            layout.addWidget(title)
            layout.addWidget(explained)
        layout.addSpacing(12)
        layout.addWidget(
            note_label(
                "The desk is backed up just before an import, and an import can be undone "
                "as a whole from File ▸ Import history…"
            )
        )
        layout.addStretch(1)

    def browse(self) -> None:
        """Ask which workbook to import (the injectable file dialog), then read it."""
        chooser = self._choose_file or _open_file_dialog
        chosen = chooser(self, "Import a workbook", self._start_folder())
        if chosen:
            self.set_path(Path(chosen))
            self.chosen.emit()

    def _start_folder(self) -> Path:
        typed = Path(self.path_edit.text().strip()).expanduser()
        if self.path_edit.text().strip() and typed.parent.is_dir():
            return typed.parent
        return self.folder if self.folder.is_dir() else Path.home()

    def set_path(self, path: Path) -> None:
        """Put ``path`` in the field, as if typed."""
        self.path_edit.setText(str(path))

    def path(self) -> Path:
        """The workbook the field names (``~`` expanded)."""
        return Path(self.path_edit.text().strip()).expanduser()

    def has_path(self) -> bool:
        """Whether a path was typed or chosen at all."""
        return bool(self.path_edit.text().strip())

    def show_refusal(self, problem: str, where: str | None = None) -> None:
        """The file is not a workbook nsdesk can read: say why, under the field."""
        at = f" ({where})" if where else ""
        self.refusal_error.show_message(
            f"{self.path().name} cannot be imported{at}: {problem.rstrip('.')}. "
            "Nothing was changed in the desk."
        )
        self.path_edit.setFocus()

    def set_busy(self, busy: bool) -> None:
        """While a file is read, the field and the file dialog wait."""
        self.browse_button.setEnabled(not busy)
        self.path_edit.setEnabled(not busy)


class MappingPage(QWidget):
    """Page 2: what a foreign table is — progress on commitments, or a depositary's
    status list read as participation in one instrument (with the date it was
    current and where it came from) — which field each column holds, and the highest
    marking of a record the table may change."""

    changed = Signal()
    """The target, the mapping or the ceiling changed."""

    def __init__(
        self,
        *,
        levels: Sequence[tuple[str, str]],
        default_ceiling: str | None,
        instruments: Sequence[tuple[str, str]] = (),
    ):
        super().__init__()
        self._default_ceiling = default_ceiling
        self.table: ForeignTable | None = None
        self.proposed: ImportPreview | None = None  # the preview made with the proposed mapping
        self._combos: dict[str, QComboBox] = {}
        self._samples: Mapping[str, Sequence[str]] = {}
        self._mappings: dict[str | None, dict[str, str]] = {}  # per target, as last chosen
        self.intro = text_label()
        self.target_combo = QComboBox()
        self.target_combo.setAccessibleName("What the table is")
        self.target_combo.setAccessibleDescription(
            "Progress on commitments, or a depositary's list of the parties to an instrument"
        )
        self.target_combo.addItem("Progress on commitments (rows matched by their Ref)", None)
        for code, name in instruments:
            self.target_combo.addItem(f"Participation in {name} (a depositary's list)", code)
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.as_of_edit = QLineEdit()
        self.as_of_edit.setAccessibleName("The list is as of")
        self.as_of_edit.setPlaceholderText("2025-05-16")
        self.as_of_edit.textChanged.connect(lambda *_: self.check())
        self.source_edit = QLineEdit()
        self.source_edit.setAccessibleName("Source of the list")
        self.source_edit.setPlaceholderText("UN Treaty Collection, ICSANT status")
        self.source_edit.textChanged.connect(lambda *_: self.check())
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Web address of the list")
        self.url_edit.setPlaceholderText("https://treaties.un.org/… (if any)")
        self.list_box = QWidget()
        list_form = QFormLayout(self.list_box)
        list_form.setContentsMargins(0, 0, 0, 0)
        list_form.addRow(buddy("List as &of:", self.as_of_edit), self.as_of_edit)
        list_form.addRow(buddy("&Source:", self.source_edit), self.source_edit)
        list_form.addRow(buddy("&Web address:", self.url_edit), self.url_edit)
        self.list_note = note_label(
            "Each row becomes the party's participation: steps the desk lacks are added; a "
            "date the desk holds differently (the catalogue's or your own) is a conflict "
            "for you to settle. The list is cited, with its date, on every step it sets."
        )
        self.note = note_label()
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setAccessibleName("Columns of the table")
        self.error = InlineError(None, "Columns")
        self.ceiling_combo = QComboBox()
        self.ceiling_combo.setAccessibleName("Records the table may change")
        self.ceiling_combo.setAccessibleDescription(
            "The highest marking of a record this table may change"
        )
        for code, label in levels:  # lowest first
            said = f"Marked up to {label}"
            if code == default_ceiling:
                said += " (the desk's default marking)"
            self.ceiling_combo.addItem(said, code)
        self.ceiling_combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.ceiling_box = QWidget()
        ceiling_layout = QVBoxLayout(self.ceiling_box)
        ceiling_layout.setContentsMargins(0, 0, 0, 0)
        ceiling_row = QHBoxLayout()
        ceiling_row.addWidget(buddy("&Records it may change:", self.ceiling_combo))
        ceiling_row.addWidget(self.ceiling_combo)
        ceiling_row.addStretch(1)
        ceiling_layout.addLayout(ceiling_row)
        ceiling_layout.addWidget(
            note_label("A record marked higher is out of this table's reach: its rows are refused.")
        )
        target_row = QHBoxLayout()
        target_row.addWidget(buddy("&The table is:", self.target_combo))
        target_row.addWidget(self.target_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Import a workbook — match the columns"))
        layout.addWidget(self.intro)
        if instruments:
            layout.addLayout(target_row)
        else:
            self.target_combo.hide()
        layout.addWidget(self.list_box)
        layout.addWidget(self.list_note)
        layout.addWidget(self.note)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.ceiling_box)
        if not levels:
            self.ceiling_box.hide()
        self.list_box.hide()
        self.list_note.hide()

    def show_table(
        self, table: ForeignTable, samples: Mapping[str, Sequence[str]], preview: ImportPreview
    ) -> None:
        """Ask what ``table`` is and which field each of its columns holds, starting
        from its proposed mapping; ``preview`` is what that mapping gives (shown if kept)."""
        self.table = table
        self.proposed = preview
        self._samples = samples
        self._mappings = {}
        chosen = self.ceiling_combo.findData(preview.ceiling or self._default_ceiling)
        if chosen >= 0:
            self.ceiling_combo.setCurrentIndex(chosen)
        self.intro.setText(
            f"nsdesk did not write {preview.path.name} (sheet {table.sheet}). Say what the "
            "table is and which field each column holds. A blank cell never clears a value "
            "in the desk."
        )
        self.target_combo.blockSignals(True)
        self.target_combo.setCurrentIndex(0)
        self.target_combo.blockSignals(False)
        self._show_columns()

    def _target_chosen(self) -> None:
        if self.table is not None:
            self._show_columns()

    def _show_columns(self) -> None:
        table = self.table
        assert table is not None
        as_list = self.instrument() is not None
        self.list_box.setVisible(as_list)
        self.list_note.setVisible(as_list)
        self.ceiling_box.setVisible(not as_list and self.ceiling_combo.count() > 0)
        remembered = table.participation_remembered if as_list else table.remembered
        self.note.setText(
            "The choices used last time for a table with these columns are shown."
            if remembered
            else "The columns whose header nsdesk recognised are matched already; the "
            "choices are remembered for the next table with these columns."
        )
        key = "participation" if as_list else None
        mapping = self._mappings.get(key) or dict(
            table.participation_mapping if as_list else table.mapping
        )
        fields = depositary_fields() if as_list else table.fields()
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for number, title in enumerate(("Column in the table", "Imported as", "Examples")):
            heading = section_label(title)
            heading.setWordWrap(False)
            grid.addWidget(heading, 0, number)
        self._combos = {}
        for row, header in enumerate((h for h in table.headers if h), start=1):
            if header in self._combos:
                continue  # the same header twice: one mapping names both (see the report)
            combo = QComboBox()
            combo.setAccessibleName(f"Imported as, for the column {header}")
            combo.addItem("(not imported)", NOT_IMPORTED)
            for field_key, field_header in fields:
                combo.addItem(field_header, field_key)
            index = combo.findData(mapping.get(header, NOT_IMPORTED))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(lambda *_: self._remember_columns())
            label = QLabel(header.replace("&", "&&"))
            label.setBuddy(combo)
            label.setToolTip(header)
            shown = ", ".join(self._samples.get(header, ())) or "(empty)"
            example = note_label(shown)
            example.setWordWrap(False)
            example.setToolTip(shown)
            example.setMinimumWidth(120)
            example.setAccessibleName(f"Examples from the column {header}")
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(example, row, 2)
            self._combos[header] = combo
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(self._combos) + 1, 1)
        self.area.setWidget(grid_holder)
        self.check()

    def _remember_columns(self) -> None:
        self._mappings["participation" if self.instrument() else None] = self.mapping()
        self.check()

    def focus_first(self) -> None:
        """Put the focus on what the table is (or the first column's drop-down)."""
        if self.target_combo.isVisible():
            self.target_combo.setFocus()
            return
        first = next(iter(self._combos.values()), None)
        if first is not None:
            first.setFocus()

    def combo(self, header: str) -> QComboBox:
        """The drop-down that says which field the column ``header`` holds."""
        return self._combos[header]

    def instrument(self) -> str | None:
        """The instrument whose depositary's list the table is (None: commitments)."""
        return self.target_combo.currentData()

    def choose_instrument(self, code: str | None) -> None:
        """Read the table as the list of ``code``'s parties (None: as progress)."""
        self.target_combo.setCurrentIndex(max(self.target_combo.findData(code), 0))

    def set_list_details(self, as_of: str, source: str, url: str = "") -> None:
        """The date the list was current, where it came from and its address."""
        self.as_of_edit.setText(as_of)
        self.source_edit.setText(source)
        self.url_edit.setText(url)

    def target(self) -> ParticipationTarget | None:
        """The depositary's list the table is, or None (progress on commitments, or
        details still missing: see :meth:`problem`)."""
        code = self.instrument()
        if code is None:
            return None
        try:
            return ParticipationTarget.of(
                code, self.as_of_edit.text(), self.source_edit.text(), self.url_edit.text()
            )
        except ValidationError:
            return None

    def foreign_ceiling(self) -> str | None:
        """The ceiling the user chose, or None for the desk's default marking (chosen
        or left alone)."""
        code = self.ceiling_combo.currentData()
        return None if not code or code == self._default_ceiling else code

    def set_foreign_ceiling(self, code: str) -> None:
        """Let the table change records marked up to ``code``."""
        self.ceiling_combo.setCurrentIndex(self.ceiling_combo.findData(code))

    def mapping(self) -> dict[str, str]:
        """The user's mapping: header -> field key (``""``: not imported)."""
        return {header: combo.currentData() for header, combo in self._combos.items()}

    def set_mapping(self, header: str, key: str) -> None:
        """Import the column ``header`` as the field ``key`` (``""``: not at all)."""
        combo = self._combos[header]
        combo.setCurrentIndex(combo.findData(key))

    def kept_preview(self) -> ImportPreview | None:
        """The preview made with the proposed mapping, if the user kept the mapping
        and the ceiling it was made with (no need to read the table again)."""
        proposed = self.proposed
        ceiling = self.foreign_ceiling() or self._default_ceiling
        if (
            proposed is not None
            and self.instrument() is None
            and dict(proposed.mapping) == self.mapping()
            and (proposed.ceiling is None or proposed.ceiling == ceiling)
        ):
            return proposed
        return None

    def problem(self) -> str | None:
        """Why the mapping cannot be used (two columns for one field, no Ref or party,
        a list without its date or source), or None."""
        as_list = self.instrument() is not None
        fields = depositary_fields() if as_list else (self.table.fields() if self.table else ())
        names = dict(fields)
        by_field: dict[str, list[str]] = {}
        for header, key in self.mapping().items():
            if key:
                by_field.setdefault(key, []).append(header)
        for key, headers in by_field.items():
            if len(headers) > 1:
                return (
                    f"{len(headers)} columns are imported as {names.get(key, key)} "
                    f"({', '.join(headers)}): import one of them only."
                )
        if as_list:
            if "party" not in by_field:
                return (
                    "No column is imported as the party: choose the column naming the "
                    "states (their names, or ISO codes such as NLD)."
                )
            try:
                ParticipationTarget.of(
                    self.instrument() or "", self.as_of_edit.text(), self.source_edit.text()
                )
            except ValidationError as error:
                return f"{error.field}: expected {error.expected}."
            return None
        if "ref" not in by_field:
            return (
                "No column is imported as Ref: rows are matched to commitments by their Ref "
                "(C-0001…). Choose the column that holds it."
            )
        return None

    def check(self) -> None:
        """Say what is wrong with the mapping, if anything."""
        problem = self.problem()
        if problem:
            self.error.show_message(problem)
        else:
            self.error.clear_message()
        self.changed.emit()


class ResultPage(QWidget):
    """Page 4: what the import did, and how to undo it."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = heading_label("The workbook was imported")
        self.result_label = text_label()
        self.result_label.setAccessibleName("What the import did")
        self.undo_label = text_label(
            "To undo this import, use File ▸ Import history… and choose “Undo import”. "
            "Ctrl+Z does not undo an import: it undoes your own edits, and those made "
            "before the import can no longer be undone with it."
        )
        self.undo_label.setAccessibleName("How to undo this import")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.result_label)
        layout.addSpacing(6)
        layout.addWidget(self.undo_label)
        layout.addStretch(1)

    def show_result(self, result: ImportResult, name: str) -> None:
        """Say what the import of the file ``name`` did."""
        counts = {
            "records": result.records,
            "fields": result.fields,
            "progress_entries": result.progress_entries,
            "targets": result.targets,
            "created": result.created,
            "conflicts_kept": result.conflicts_kept,
            "conflicts_taken": result.conflicts_taken,
        }
        self.result_label.setText(
            f"{name} was imported into the desk: {counts_text(counts)}.\n\n"
            "A backup of the desk was taken just before, and every change is in the "
            "history, marked as imported from this file."
        )


def _open_file_dialog(parent: QWidget, title: str, folder: Path) -> Path | None:
    text, _ = QFileDialog.getOpenFileName(
        parent,
        title,
        str(folder),
        "Excel workbooks and CSV tables (*.xlsx *.xlsm *.csv);;All files (*)",
    )
    return Path(text) if text else None
