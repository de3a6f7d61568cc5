"""File ▸ Import workbook…: choose the file, match a foreign table's columns, check
every change, settle the conflicts, apply.

The wizard only shows and asks. It says what it wants through its signals
(:attr:`ImportWizard.preview_requested`, :attr:`ImportWizard.apply_requested`);
:mod:`nsdesk.ui.exchange.exchange_flow` does the work in the background and answers with
:meth:`ImportWizard.show_refusal`, :meth:`ImportWizard.show_mapping`,
:meth:`ImportWizard.show_preview` and :meth:`ImportWizard.show_result`. Nothing
changes in the desk before the user presses Apply.

Pages: (1) the file; (2) for a table nsdesk did not write, which field each of
its columns holds, and up to which marking the records it may change go (the
desk's default marking unless chosen higher); (3) the preview — record by record,
field by field, what is in the desk now and what the workbook says, the
conflicts to settle, the markings it would lower (Apply waits until that is
confirmed), the cells refused and the notes; (4) what the import did, and how to
undo it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label, text_label
from nsdesk.ui.widgets.form_parts import buddy
from nsdesk.ui.widgets.inline_error import InlineError, error_colour, is_dark, secondary_colour
from nsdesk.ui.wording import count

if TYPE_CHECKING:
    from nsdesk.services.exchange.apply import ImportResult
    from nsdesk.services.exchange.changes import FieldChange, ImportPreview, RecordChange
    from nsdesk.services.exchange.foreign_tables import ForeignTable

CHOOSE, MAPPING, PREVIEW, RESULT = range(4)
DESK, WORKBOOK = "desk", "workbook"
"""The two sides of a conflict (the values of :class:`~nsdesk.services.exchange.apply.Side`)."""
NOT_IMPORTED = ""
"""A foreign column's mapping when it is not imported."""

KIND_WORDS = {
    "return": "Return",
    "register": "Register workbook",
    "foreign": "Table nsdesk did not write",
}
KINDS_EXPLAINED = (
    (
        "A ministry's return",
        "The workbook exported for it with File ▸ Export workbook… and filled in: only "
        "the columns it may edit are read.",
    ),
    (
        "A register workbook",
        "Exported from this desk as the register: the yellow columns are read, and new "
        "commitments or agencies may be added in empty rows.",
    ),
    (
        "Another table",
        "A ministry's own tracker, a depositary list: you say which column holds what, and "
        "rows are matched to commitments by their Ref (C-0001…).",
    ),
)
SIDE_WORDS = {
    None: "Conflict: choose a side",
    DESK: "Conflict: keep the desk's value",
    WORKBOOK: "Conflict: take the workbook's",
}
BLOCKED = "Nothing can be imported until the workbook is corrected"
FIT_ROWS_AT_MOST = 300
"""Past this many refused cells, rows keep one line each."""
EXPAND_AT_MOST = 300
"""Past this many records only those with conflicts open: the rest are a click away."""

# Preview tree columns.
COL_WHAT, COL_CELL, COL_OLD, COL_NEW, COL_CONFLICT = range(5)
_ROLE = Qt.ItemDataRole.UserRole
_TITLE_ROLE = Qt.ItemDataRole.UserRole + 1  # a record row's text before its conflicts
_HISTORY_FIELDS = {"narrative", "evidence"}  # added to the history as a progress entry

#: Chooses a workbook to read: (parent, title, folder) -> the path, or None.
OpenChooser = Callable[[QWidget, str, Path], Path | None]


def conflict_colour(palette: QPalette) -> QColor:
    """An amber that marks a conflict's row and keeps the palette's text readable."""
    return QColor("#5b4708") if is_dark(palette) else QColor("#ffe9a8")


def counts_text(counts: Mapping[str, int]) -> str:
    """What an import did, in words: "1 record: 2 fields, 1 progress entry"."""
    parts = [count(counts.get("fields", 0), "field")]
    if counts.get("progress_entries"):
        parts.append(count(counts["progress_entries"], "progress entry", "progress entries"))
    if counts.get("targets"):
        parts.append(count(counts["targets"], "revised target"))
    if counts.get("created"):
        parts.append(f"{counts['created']:,} created")
    said = f"{count(counts.get('records', 0), 'record')}: {', '.join(parts)}"
    kept, taken = counts.get("conflicts_kept", 0), counts.get("conflicts_taken", 0)
    if kept or taken:
        said += f"; conflicts: {kept:,} kept the desk's value, {taken:,} took the workbook's"
    return said


def preview_summary(preview: ImportPreview) -> str:
    """The preview's first line: what the file is and what it would change."""
    kind = KIND_WORDS.get(preview.kind, preview.kind)
    if preview.kind == "return" and preview.agency:
        kind = f"Return from {preview.agency}"
        if not preview.recorded:
            kind += " (not recorded by this desk)"
    changes = (
        f"{count(len(preview.records), 'record')} and "
        f"{count(preview.field_changes, 'field')} would change"
        if preview.records
        else "nothing would change"
    )
    conflicts = count(preview.conflicts, "conflict") if preview.conflicts else "no conflicts"
    refused = count(len(preview.refused), "refused cell") if preview.refused else "no refused cells"
    rows = count(preview.rows_read, "row")
    return f"{kind} · {rows} read · {changes} · {conflicts} · {refused}"


class ImportWizard(QDialog):
    """The import of one workbook, page by page, over the window."""

    preview_requested = Signal(object, object)
    """(path, mapping): read this workbook and say what it would change; the
    mapping (header -> field key) is None unless the user matched a foreign table."""
    apply_requested = Signal(object, object)
    """(preview, resolutions): apply this preview; resolutions map
    (record key, column) to ``"desk"`` or ``"workbook"`` for every conflict."""

    def __init__(
        self,
        *,
        folder: Path,
        choose_file: OpenChooser | None = None,
        levels: Sequence[tuple[str, str]] = (),
        default_ceiling: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.folder = folder
        self._choose_file = choose_file
        self._levels = tuple(levels)  # (code, label), lowest first
        self._default_ceiling = default_ceiling
        self.preview: ImportPreview | None = None
        self.table: ForeignTable | None = None
        self._proposed: ImportPreview | None = None  # the preview made with the proposed mapping
        self._sides: dict[tuple[str, str], str | None] = {}
        self._field_items: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._mapping_combos: dict[str, QComboBox] = {}
        self.busy = False
        self.result: ImportResult | None = None
        self.setWindowTitle("Import workbook — nsdesk")

        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._result_page())

        self.status_label = note_label()
        self.status_label.setAccessibleName("What the import is doing")
        self.back_button = QPushButton("< &Back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton("&Next >")
        self.next_button.clicked.connect(self.go_next)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setAccessibleDescription("Make the changes listed, in one step")
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("Cancel")
        self.close_button.clicked.connect(self.reject)
        for button in (self.back_button, self.apply_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(1120, 720)
        self._show_page(CHOOSE)

    # -- page 1: the file ----------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Workbook to import")
        self.path_edit.setAccessibleDescription("The .xlsx file to read")
        self.path_edit.textChanged.connect(lambda *_: self._update_buttons())
        self.path_edit.textEdited.connect(lambda *_: self.refusal_error.clear_message())
        self.path_edit.returnPressed.connect(self.go_next)
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

        layout = QVBoxLayout(page)
        layout.addWidget(heading_label("Import a workbook — choose the file"))
        layout.addWidget(
            text_label(
                "Every cell is checked and every change is shown, field by field, before "
                "anything changes in the desk. Files saved by Excel or LibreOffice are both read."
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
        return page

    def browse(self) -> None:
        """Ask which workbook to import (the injectable file dialog), then preview it."""
        chooser = self._choose_file or _open_file_dialog
        chosen = chooser(self, "Import a workbook", self._start_folder())
        if chosen:
            self.choose_file(Path(chosen))

    def _start_folder(self) -> Path:
        typed = Path(self.path_edit.text().strip()).expanduser()
        if self.path_edit.text().strip() and typed.parent.is_dir():
            return typed.parent
        return self.folder if self.folder.is_dir() else Path.home()

    def choose_file(self, path: Path) -> None:
        """Import ``path``: show it and read it (as choosing it in the file dialog does)."""
        self.path_edit.setText(str(path))
        self.go_next()

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def show_refusal(self, problem: str, where: str | None = None) -> None:
        """The file is not a workbook nsdesk can read: say why, on the first page."""
        self.set_busy(None)
        at = f" ({where})" if where else ""
        self.refusal_error.show_message(
            f"{self.path().name} cannot be imported{at}: {problem.rstrip('.')}. "
            "Nothing was changed in the desk."
        )
        self._show_page(CHOOSE)
        self.path_edit.setFocus()

    # -- page 2: a foreign table's columns ----------------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = text_label()
        self.mapping_note = note_label()
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setAccessibleName("Columns of the table")
        self.mapping_error = InlineError(None, "Columns")
        self.ceiling_combo = QComboBox()
        self.ceiling_combo.setAccessibleName("Records the table may change")
        self.ceiling_combo.setAccessibleDescription(
            "The highest marking of a record this table may change"
        )
        for code, label in self._levels:
            said = f"Marked up to {label}"
            if code == self._default_ceiling:
                said += " (the desk's default marking)"
            self.ceiling_combo.addItem(said, code)
        self.ceiling_combo.currentIndexChanged.connect(lambda *_: self._update_buttons())
        ceiling_row = QHBoxLayout()
        ceiling_row.addWidget(buddy("&Records it may change:", self.ceiling_combo))
        ceiling_row.addWidget(self.ceiling_combo)
        ceiling_row.addStretch(1)
        self.ceiling_note = note_label(
            "A record marked higher is out of this table's reach: its rows are refused."
        )
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label("Import a workbook — match the columns"))
        layout.addWidget(self.mapping_intro)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.mapping_area, 1)
        layout.addWidget(self.mapping_error)
        if self._levels:
            layout.addLayout(ceiling_row)
            layout.addWidget(self.ceiling_note)
        else:
            self.ceiling_combo.hide()
            self.ceiling_note.hide()
        return page

    def show_mapping(
        self,
        table: ForeignTable,
        samples: Mapping[str, Sequence[str]],
        preview: ImportPreview,
    ) -> None:
        """Ask which field each column of a foreign ``table`` holds, starting from its
        proposed mapping; ``preview`` is what that mapping gives (shown if kept)."""
        self.set_busy(None)
        self.table = table
        self._proposed = preview
        chosen = self.ceiling_combo.findData(preview.ceiling or self._default_ceiling)
        if chosen >= 0:
            self.ceiling_combo.setCurrentIndex(chosen)
        self.mapping_intro.setText(
            f"nsdesk did not write {preview.path.name} (sheet {table.sheet}). Say which field "
            "each column holds. Rows are matched to commitments by the column imported as "
            "Ref; a blank cell never clears a value in the desk."
        )
        self.mapping_note.setText(
            "The choices used last time for a table with these columns are shown."
            if table.remembered
            else "The columns whose header nsdesk recognised are matched already; the "
            "choices are remembered for the next table with these columns."
        )
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for number, title in enumerate(("Column in the table", "Imported as", "Examples")):
            heading = section_label(title)
            heading.setWordWrap(False)
            grid.addWidget(heading, 0, number)
        self._mapping_combos = {}
        fields = table.fields()
        for row, header in enumerate((h for h in table.headers if h), start=1):
            if header in self._mapping_combos:
                continue  # the same header twice: one mapping names both (see the report)
            combo = QComboBox()
            combo.setAccessibleName(f"Imported as, for the column {header}")
            combo.addItem("(not imported)", NOT_IMPORTED)
            for key, field_header in fields:
                combo.addItem(field_header, key)
            index = combo.findData(table.mapping.get(header, NOT_IMPORTED))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(lambda *_: self._check_mapping())
            label = QLabel(header.replace("&", "&&"))
            label.setBuddy(combo)
            label.setToolTip(header)
            shown = ", ".join(samples.get(header, ())) or "(empty)"
            example = note_label(shown)
            example.setWordWrap(False)
            example.setToolTip(shown)
            example.setMinimumWidth(120)
            example.setAccessibleName(f"Examples from the column {header}")
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(example, row, 2)
            self._mapping_combos[header] = combo
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(self._mapping_combos) + 1, 1)
        self.mapping_area.setWidget(grid_holder)
        self._show_page(MAPPING)
        self._check_mapping()
        first = next(iter(self._mapping_combos.values()), None)
        if first is not None:
            first.setFocus()

    def foreign_ceiling(self) -> str | None:
        """The ceiling the user chose for a foreign table, or None for the desk's
        default marking (chosen or left alone)."""
        code = self.ceiling_combo.currentData()
        return None if not code or code == self._default_ceiling else code

    def set_foreign_ceiling(self, code: str) -> None:
        """Let a foreign table change records marked up to ``code``."""
        self.ceiling_combo.setCurrentIndex(self.ceiling_combo.findData(code))

    def mapping(self) -> dict[str, str]:
        """The user's mapping: header -> field key (``""``: not imported)."""
        return {header: combo.currentData() for header, combo in self._mapping_combos.items()}

    def set_mapping(self, header: str, key: str) -> None:
        """Import the column ``header`` as the field ``key`` (``""``: not at all)."""
        combo = self._mapping_combos[header]
        combo.setCurrentIndex(combo.findData(key))

    def _mapping_problem(self) -> str | None:
        mapping = self.mapping()
        names = dict(self.table.fields()) if self.table is not None else {}
        by_field: dict[str, list[str]] = {}
        for header, key in mapping.items():
            if key:
                by_field.setdefault(key, []).append(header)
        for key, headers in by_field.items():
            if len(headers) > 1:
                return (
                    f"{len(headers)} columns are imported as {names.get(key, key)} "
                    f"({', '.join(headers)}): import one of them only."
                )
        if "ref" not in by_field:
            return (
                "No column is imported as Ref: rows are matched to commitments by their Ref "
                "(C-0001…). Choose the column that holds it."
            )
        return None

    def _check_mapping(self) -> None:
        problem = self._mapping_problem()
        if problem:
            self.mapping_error.show_message(problem)
        else:
            self.mapping_error.clear_message()
        self._update_buttons()

    # -- page 3: the preview --------------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = section_label("")
        self.summary_label.setAccessibleName("What the workbook would change")
        self.blocked_label = InlineError(None, "Import")
        self.file_label = note_label()
        self.lowering_label = text_label()
        self.lowering_label.setAccessibleName("Markings the workbook lowers")
        self.lowering_check = QCheckBox("I confirm lowering these &markings")
        self.lowering_check.setAccessibleName("Confirm lowering these markings")
        self.lowering_check.toggled.connect(lambda *_: self._update_buttons())
        self.lowering_box = QWidget()
        lowering = QVBoxLayout(self.lowering_box)
        lowering.setContentsMargins(0, 0, 0, 0)
        lowering.addWidget(self.lowering_label)
        confirm = QHBoxLayout()  # as wide as its words: a click beside them does nothing
        confirm.addWidget(self.lowering_check)
        confirm.addStretch(1)
        lowering.addLayout(confirm)
        self.lowering_box.hide()

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Changes, by record and field")
        self.tree.setAccessibleDescription(
            "Each record the import would change, and under it each field: what is in the "
            "desk now and what the workbook says. Conflicts need a side."
        )
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(
            ["Record and field", "Cell", "In the desk now", "In the workbook", "Conflict"]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        # A record's row spans the whole width (its label is long); under it the
        # fields, whose old and new values share what the fixed columns leave.
        header = self.tree.header()
        header.setStretchLastSection(False)
        metrics = self.tree.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        widths = {
            COL_WHAT: metrics.horizontalAdvance("Progress since last update")
            + self.tree.indentation()
            + icon
            + 24,
            COL_CELL: metrics.horizontalAdvance("Commitments!AA1000") + 16,
            COL_CONFLICT: QFontMetrics(bold).horizontalAdvance(SIDE_WORDS[DESK]) + 24,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_OLD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_NEW, QHeaderView.ResizeMode.Stretch)

        self.keep_button = QPushButton("&Keep the desk's value")
        self.keep_button.setToolTip(
            "For the conflicts chosen in the list (a record: all of its conflicts)"
        )
        self.keep_button.clicked.connect(lambda: self.resolve_selected(DESK))
        self.take_button = QPushButton("&Take the workbook's")
        self.take_button.setToolTip(
            "For the conflicts chosen in the list (a record: all of its conflicts)"
        )
        self.take_button.clicked.connect(lambda: self.resolve_selected(WORKBOOK))
        self.keep_all_button = QPushButton("Keep the desk's for a&ll")
        self.keep_all_button.clicked.connect(lambda: self.resolve_all(DESK))
        self.take_all_button = QPushButton("Take the w&orkbook's for all")
        self.take_all_button.clicked.connect(lambda: self.resolve_all(WORKBOOK))
        self.conflict_buttons = QWidget()
        row = QHBoxLayout(self.conflict_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Conflicts:"))
        for button in (
            self.keep_button,
            self.take_button,
            self.keep_all_button,
            self.take_all_button,
        ):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        self.only_conflicts_check = QCheckBox("Show only the records with &conflicts")
        self.only_conflicts_check.setAccessibleName("Show only the records with conflicts")
        self.only_conflicts_check.toggled.connect(self._filter_records)
        row.addWidget(self.only_conflicts_check)

        # A table rather than a tree: its rows grow to show a reason whole (what the
        # cell should hold is the part the ministry needs to read).
        self.refused_list = QTableWidget(0, 4)
        self.refused_list.setAccessibleName("Refused cells")
        self.refused_list.setHorizontalHeaderLabels(
            ["Cell", "Column", "Value", "Why it is refused"]
        )
        self.refused_list.verticalHeader().hide()
        self.refused_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.refused_list.setWordWrap(True)
        self.refused_list.setShowGrid(False)
        self.refused_list.setAlternatingRowColors(True)
        refused_header = self.refused_list.horizontalHeader()
        refused_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        refused_header.sectionResized.connect(lambda *_: self._fit_refused_rows())
        refused_header.resizeSection(0, metrics.horizontalAdvance("Commitments!AA1000") + 16)
        refused_header.resizeSection(1, metrics.horizontalAdvance("M" * 12))
        refused_header.resizeSection(2, metrics.horizontalAdvance("M" * 10))
        refused_header.setStretchLastSection(True)
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName("Notes on the workbook")
        self.notes_list.setWordWrap(True)
        self.notes_list.setAlternatingRowColors(True)
        self.details_tabs = QTabWidget()
        self.details_tabs.setDocumentMode(True)
        self.details_tabs.setAccessibleName("Refused cells and notes")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(page)
        layout.addWidget(heading_label("Import a workbook — check the changes"))
        layout.addWidget(self.file_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.blocked_label)
        layout.addWidget(self.lowering_box)
        layout.addWidget(self.conflict_buttons)
        layout.addWidget(splitter, 1)
        return page

    def show_preview(self, preview: ImportPreview, *, message: str = "") -> None:
        """Show what ``preview`` would change; ``message`` says why it is shown again.
        Sides already chosen for conflicts that are still there are kept."""
        self.set_busy(None)
        earlier = {k: v for k, v in self._sides.items() if v is not None}
        self.preview = preview
        self._sides = {}
        self._field_items = {}
        self.file_label.setText(str(preview.path))
        self.summary_label.setText(preview_summary(preview))
        self.lowering_check.setChecked(False)  # a preview read again is confirmed again
        self.lowering_label.setText(lowering_text(preview))
        self.lowering_box.setVisible(bool(preview.lowered))
        tree = self.tree
        tree.setUpdatesEnabled(False)
        tree.clear()
        palette = tree.palette()
        quiet = QBrush(secondary_colour(palette))
        marked = QBrush(conflict_colour(palette))
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        expand = len(preview.records) <= EXPAND_AT_MOST
        items = []
        for record in preview.records:
            title = f"{record.label or record.key}   ·   {record.sheet} row {record.row}"
            if record.is_new:
                title += "   ·   new record"
            item = QTreeWidgetItem([title])
            item.setData(COL_WHAT, _ROLE, ("record", record.key))
            item.setData(COL_WHAT, _TITLE_ROLE, title)
            item.setToolTip(COL_WHAT, title)
            bold = QFont(item.font(COL_WHAT))
            bold.setBold(True)
            item.setFont(COL_WHAT, bold)
            for change in record.changes:
                child = self._field_item(record, change, quiet)
                if change.conflict:
                    side = earlier.get((record.key, change.column))
                    self._sides[(record.key, change.column)] = side
                    self._field_items[(record.key, change.column)] = child
                    child.setIcon(COL_WHAT, warning)
                    for column in range(tree.columnCount()):
                        child.setBackground(column, marked)
                item.addChild(child)
            items.append((item, bool(record.conflicts)))
        tree.addTopLevelItems([item for item, _ in items])
        for item, has_conflict in items:
            item.setFirstColumnSpanned(True)
            if expand or has_conflict:
                item.setExpanded(True)
        self._refresh_sides()
        self._filter_records(self.only_conflicts_check.isChecked() and bool(self._sides))
        tree.setUpdatesEnabled(True)
        if items:
            tree.setCurrentItem(items[0][0])

        error = QBrush(error_colour(palette))
        self.refused_list.setRowCount(len(preview.refused))
        for number, refused in enumerate(preview.refused):
            texts = (refused.where, refused.header, refused.value, refused.reason)
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if column == 0:
                    cell.setForeground(error)
                self.refused_list.setItem(number, column, cell)
        self._fit_refused_rows()
        self.notes_list.clear()
        self.notes_list.addItems(list(preview.notes))
        tabs = self.details_tabs
        tabs.clear()
        if preview.refused:
            tabs.addTab(self.refused_list, f"Refused cells ({len(preview.refused):,})")
        if preview.notes:
            tabs.addTab(self.notes_list, f"Notes ({len(preview.notes):,})")
        tabs.setVisible(bool(preview.refused or preview.notes))
        if preview.refused:  # what blocks the import gets as much room as the changes
            half = max(self.splitter.height(), 400) // 2
            self.splitter.setSizes([half, half])
        self.conflict_buttons.setVisible(bool(preview.conflicts))
        self._show_page(PREVIEW)
        if preview.refused:  # measured again at the width the page is laid out at
            self.layout().activate()
            self._fit_refused_rows()
        if message:
            self.say(message)
        (tree if preview.records else self.refused_list).setFocus()

    def _filter_records(self, only_conflicts: bool) -> None:
        """Hide the records without conflicts (or show them all again)."""
        root = self.tree.invisibleRootItem()
        with_conflicts = {key[0] for key in self._sides}
        for number in range(root.childCount()):
            item = root.child(number)
            item.setHidden(only_conflicts and item.data(COL_WHAT, _ROLE)[1] not in with_conflicts)

    def _fit_refused_rows(self) -> None:
        """Rows as tall as their reason needs (a long list keeps one line a row: measuring
        thousands of rows would stall the page; tooltips carry the rest)."""
        if self.refused_list.rowCount() <= FIT_ROWS_AT_MOST:
            self.refused_list.resizeRowsToContents()

    def _field_item(
        self, record: RecordChange, change: FieldChange, quiet: QBrush
    ) -> QTreeWidgetItem:
        if change.field in _HISTORY_FIELDS and not change.old:
            old = "(added to the history)"
        else:
            old = change.old or "(empty)"
        new = change.new or "(empty)"
        child = QTreeWidgetItem([change.header, change.cell, _one_line(old), _one_line(new), ""])
        child.setData(COL_WHAT, _ROLE, ("field", record.key, change.column))
        child.setToolTip(COL_WHAT, f"{change.header} ({change.cell})")
        child.setToolTip(COL_OLD, old)
        child.setToolTip(COL_NEW, new)
        child.setToolTip(COL_CELL, change.cell)
        if not change.old:
            child.setForeground(COL_OLD, quiet)
        if not change.new:
            child.setForeground(COL_NEW, quiet)
        return child

    # -- conflicts ----------------------------------------------------------------------------
    def lowering_confirmed(self) -> bool:
        """Whether the user confirmed the markings the preview lowers (True if none)."""
        return self.preview is not None and (
            not self.preview.lowered or self.lowering_check.isChecked()
        )

    def open_conflicts(self) -> int:
        """How many conflicts have no side yet."""
        return sum(1 for side in self._sides.values() if side is None)

    def resolutions(self) -> dict[tuple[str, str], str]:
        """The side chosen for each conflict: (record key, column) -> desk or workbook."""
        return {key: side for key, side in self._sides.items() if side is not None}

    def resolve(self, record_key: str, column: str | None, side: str) -> None:
        """Settle one conflict (``column``), or all of a record's (``column`` None)."""
        for key in self._sides:
            if key[0] == record_key and (column is None or key[1] == column):
                self._sides[key] = side
        self._refresh_sides()

    def resolve_all(self, side: str) -> None:
        """Settle every conflict the same way."""
        for key in self._sides:
            self._sides[key] = side
        self._refresh_sides()

    def _selected_conflicts(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for item in self.tree.selectedItems():
            data = item.data(COL_WHAT, _ROLE)
            if not data:
                continue
            if data[0] == "record":
                found += [k for k in self._sides if k[0] == data[1]]
            elif (data[1], data[2]) in self._sides:
                found.append((data[1], data[2]))
        return list(dict.fromkeys(found))

    def resolve_selected(self, side: str) -> None:
        """Settle the conflicts chosen in the list (a record: all of its conflicts)."""
        for key in self._selected_conflicts():
            self._sides[key] = side
        self._refresh_sides()

    def _tree_menu(self, where: QPoint) -> None:
        if not self._selected_conflicts():
            return
        menu = QMenu(self.tree)
        menu.addAction("Keep the desk's value", lambda: self.resolve_selected(DESK))
        menu.addAction("Take the workbook's", lambda: self.resolve_selected(WORKBOOK))
        menu.popup(self.tree.viewport().mapToGlobal(where))

    def _refresh_sides(self) -> None:
        open_font = QFont(self.tree.font())
        open_font.setBold(True)
        for key, item in self._field_items.items():
            side = self._sides.get(key)
            item.setText(COL_CONFLICT, SIDE_WORDS[side])
            item.setToolTip(COL_CONFLICT, _side_tip(side))
            item.setFont(COL_CONFLICT, open_font if side is None else self.tree.font())
        root = self.tree.invisibleRootItem()
        for number in range(root.childCount()):
            item = root.child(number)
            data = item.data(COL_WHAT, _ROLE)
            sides = [v for k, v in self._sides.items() if k[0] == data[1]]
            if sides:
                left = sum(1 for s in sides if s is None)
                said = (
                    f"{count(left, 'conflict')} to settle"
                    if left
                    else f"{count(len(sides), 'conflict')} settled"
                )
                item.setText(COL_WHAT, f"{item.data(COL_WHAT, _TITLE_ROLE)}   ·   {said}")
        self._update_buttons()

    # -- page 4: the result -------------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_heading = heading_label("The workbook was imported")
        self.result_label = text_label()
        self.result_label.setAccessibleName("What the import did")
        self.undo_label = text_label(
            "To undo this import, use File ▸ Import history… and choose “Undo import”. "
            "Ctrl+Z does not undo an import: it undoes your own edits, and those made "
            "before the import can no longer be undone with it."
        )
        self.undo_label.setAccessibleName("How to undo this import")
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_heading)
        layout.addWidget(self.result_label)
        layout.addSpacing(6)
        layout.addWidget(self.undo_label)
        layout.addStretch(1)
        return page

    def show_result(self, result: ImportResult) -> None:
        """Say what the import did, and how to undo it."""
        self.set_busy(None)
        self.result = result
        name = self.preview.path.name if self.preview is not None else "The workbook"
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
        self._show_page(RESULT)
        self.close_button.setFocus()

    # -- moving between pages -----------------------------------------------------------------
    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, number: int) -> None:
        self.pages.setCurrentIndex(number)
        self.say("")
        self._update_buttons()

    def go_next(self) -> None:
        """Read the file (page 1), or preview the mapped table (page 2)."""
        if self.busy or not self.next_button.isEnabled():
            return
        if self.page() == CHOOSE:
            self.refusal_error.clear_message()
            self.table = self._proposed = None
            self._sides = {}
            self.set_busy(f"Reading {self.path().name}…")
            self.preview_requested.emit(self.path(), None)
        elif self.page() == MAPPING:
            mapping = self.mapping()
            proposed = self._proposed
            ceiling = self.foreign_ceiling() or self._default_ceiling
            if (
                proposed is not None
                and dict(proposed.mapping) == mapping
                and (proposed.ceiling is None or proposed.ceiling == ceiling)
            ):
                self.show_preview(proposed)
                return
            self.set_busy("Reading the table with these columns…")
            self.preview_requested.emit(self.path(), mapping)

    def go_back(self) -> None:
        if self.busy:
            return
        if self.page() == PREVIEW and self.table is not None:
            self._show_page(MAPPING)
        elif self.page() in (MAPPING, PREVIEW):
            self._show_page(CHOOSE)
            self.path_edit.setFocus()

    def apply(self) -> None:
        """Ask for the preview to be applied with the sides chosen."""
        if self.busy or not self.apply_button.isEnabled() or self.preview is None:
            return
        self.set_busy("Importing…")
        self.apply_requested.emit(self.preview, self.resolutions())

    def set_busy(self, text: str | None) -> None:
        """Work is under way (``text`` says what), or over (None)."""
        self.busy = text is not None
        self.say(text or "")
        self._update_buttons()

    def say(self, text: str) -> None:
        """A sentence beside the buttons about what just happened."""
        self.status_label.setText(text)

    def reject(self) -> None:
        if self.busy:  # the progress dialog's Cancel stops the work; then the wizard closes
            return
        super().reject()

    def _update_buttons(self) -> None:
        page = self.page()
        busy = self.busy
        self.back_button.setVisible(page in (MAPPING, PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(page in (CHOOSE, MAPPING))
        self.apply_button.setVisible(page == PREVIEW)
        self.browse_button.setEnabled(not busy)
        self.path_edit.setEnabled(not busy)
        self.close_button.setText("Close" if page == RESULT else "Cancel")
        self.close_button.setEnabled(not busy)
        if page == CHOOSE:
            self.next_button.setEnabled(not busy and bool(self.path_edit.text().strip()))
            self.next_button.setDefault(True)
        elif page == MAPPING:
            self.next_button.setEnabled(not busy and self._mapping_problem() is None)
            self.next_button.setDefault(True)
        else:
            self.next_button.setDefault(False)
        if page == PREVIEW:
            self._update_preview_buttons(busy)

    def _update_preview_buttons(self, busy: bool) -> None:
        preview = self.preview
        left = self.open_conflicts()
        if preview is None:
            reason = "Nothing to import."
        elif preview.refused:
            reason = (
                f"{BLOCKED}: {count(len(preview.refused), 'cell was', 'cells were')} "
                "refused (listed below). Correct the workbook, then import it again."
            )
        elif not preview.records:
            reason = "The workbook changes nothing in the desk: there is nothing to import."
        elif left:
            reason = (
                f"Choose a side for {count(left, 'conflict')}: "
                f"{'that field was' if left == 1 else 'those fields were'} changed both in "
                "the desk and in the workbook since the export."
            )
        elif not self.lowering_confirmed():
            reason = (
                f"The workbook lowers the marking of {count(len(preview.lowered), 'record')}: "
                "confirm it below the summary, or correct the workbook."
            )
        else:
            reason = ""
        if reason:
            self.blocked_label.show_message(reason)
        else:
            self.blocked_label.clear_message()
        # Apply is never the default: Return in the list must not import the workbook.
        self.apply_button.setEnabled(not busy and not reason)
        self.apply_button.setToolTip(reason)
        selected = bool(self._selected_conflicts())
        self.keep_button.setEnabled(not busy and selected)
        self.take_button.setEnabled(not busy and selected)
        for button in (self.keep_all_button, self.take_all_button):
            button.setEnabled(not busy and bool(self._sides))


def lowering_text(preview: ImportPreview, most: int = 12) -> str:
    """The records whose marking the preview lowers, and to what, in a sentence."""
    lowered = preview.lowered
    if not lowered:
        return ""
    named = [
        f"{m.label.split()[0] if m.label else m.key} ({m.cell}) from {m.old} to {m.new}"
        for m in lowered[:most]
    ]
    more = f"; and {len(lowered) - most:,} more" if len(lowered) > most else ""
    return (
        f"This workbook lowers the marking of {count(len(lowered), 'record')}: "
        f"{'; '.join(named)}{more}. Once lowered, a record leaves the desk in exports "
        "marked at its new level. Nothing is imported until you confirm it."
    )


def sample_values(rows: Iterable[Sequence[Any]], headers: Sequence[str], most: int = 3):
    """A few values of each column, as a person reads them, for the mapping page."""
    found: dict[str, list[str]] = {h: [] for h in headers if h}
    for values in rows:
        for index, header in enumerate(headers):
            if not header or index >= len(values) or values[index] is None:
                continue
            shown = _one_line(str(values[index]).strip())[:40]
            column = found[header]
            if shown and shown not in column and len(column) < most:
                column.append(shown)
    return found


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _side_tip(side: str | None) -> str:
    if side is None:
        return (
            "This field was changed both in the desk and in the workbook since the export: "
            "choose which value to keep."
        )
    if side == DESK:
        return "The desk keeps its value; the workbook's is not imported."
    return "The workbook's value replaces the desk's."


def _open_file_dialog(parent: QWidget, title: str, folder: Path) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    text, _ = QFileDialog.getOpenFileName(
        parent, title, str(folder), "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
    )
    return Path(text) if text else None
