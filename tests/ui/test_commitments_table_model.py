from datetime import date

from PySide6.QtCore import Qt

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import assess_deadline
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.services.overview import CommitmentRow
from nsdesk.ui.commitments_table_model import (
    COL_DEADLINE,
    COL_REF,
    COL_TARGET,
    COL_TITLE,
    CommitmentsTableModel,
)

TODAY = date(2026, 11, 22)


def row(ref, status, target):
    due = PartialDate.parse(target) if target else None
    return CommitmentRow(
        ref,
        f"Title of {ref}",
        status,
        "MFA",
        due,
        assess_deadline(status, due, TODAY),
        None,
        "INTERNAL",
    )


ROWS = [
    row("C-0002", CommitmentStatus.IN_PROGRESS, "2026-01"),
    row("C-10000", CommitmentStatus.PLEDGED, "2027-01-10"),
    row("C-0100", CommitmentStatus.COMPLETED, "2014"),
]


def test_the_model_behaves_as_qt_expects(qtmodeltester):
    model = CommitmentsTableModel()
    model.set_rows(ROWS)
    qtmodeltester.check(model)


def test_display_says_what_a_reader_needs():
    model = CommitmentsTableModel()
    model.set_rows(ROWS)
    text = lambda r, c: model.data(model.index(r, c))  # noqa: E731
    assert text(0, COL_DEADLINE) == "Late (295 days)"
    assert text(1, COL_DEADLINE) == "At risk"
    assert text(2, COL_DEADLINE) == "Closed"
    assert text(0, COL_TARGET) == "Jan 2026"
    assert "target Jan 2026 passed" in model.data(
        model.index(0, COL_DEADLINE), Qt.ItemDataRole.ToolTipRole
    )


def refs(model):
    return [model.data(model.index(r, COL_REF)) for r in range(model.rowCount())]


def test_sorting_orders_like_a_person_expects():
    model = CommitmentsTableModel()
    model.set_rows(ROWS)
    model.sort(COL_REF, Qt.SortOrder.AscendingOrder)
    assert refs(model) == ["C-0002", "C-0100", "C-10000"]  # not "C-0002, C-10000, C-0100"
    model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert refs(model) == ["C-0002", "C-10000", "C-0100"]  # late, at risk, closed
    model.sort(COL_TARGET, Qt.SortOrder.DescendingOrder)
    assert refs(model) == ["C-10000", "C-0002", "C-0100"]


def test_filtering_matches_any_column_and_keeps_the_sort(qtmodeltester):
    model = CommitmentsTableModel()
    model.set_rows(ROWS)
    model.sort(COL_REF, Qt.SortOrder.DescendingOrder)
    model.set_filter("  LATE ")
    assert refs(model) == ["C-0002"]
    model.set_filter("title of c-1")
    assert refs(model) == ["C-10000"]
    model.set_filter("")
    assert refs(model) == ["C-10000", "C-0100", "C-0002"]
    qtmodeltester.check(model)
    assert model.data(model.index(0, COL_TITLE), Qt.ItemDataRole.ToolTipRole) == "Title of C-10000"
