"""The kind-specific detail panels on real desks, driven as a user drives them:
keys typed into the strips, Ctrl+Return, radio buttons clicked, and the real undo
stack undone."""

import itertools
import sys
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
)
from sqlalchemy import func, select

from nsdesk import diagnostics
from nsdesk.domain.enums import GiftBasketRole, MilestoneKind
from nsdesk.domain.participation import StepState
from nsdesk.services.records.details.agency import agency_detail
from nsdesk.services.records.details.commitment import commitment_detail
from nsdesk.services.records.details.gift_basket import gift_basket_detail
from nsdesk.services.records.details.instrument import instrument_detail
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.registers import load_register
from nsdesk.store import tables as t
from nsdesk.ui.error_dialog import UnexpectedErrors
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.agency_panel import AgencyDetailPanel
from nsdesk.ui.records.details.commitment_panel import ENTRY_ROLE, CommitmentDetailPanel
from nsdesk.ui.records.details.gift_basket_panel import GiftBasketDetailPanel
from nsdesk.ui.records.details.instrument_panel import InstrumentDetailPanel
from tests.conftest import DEMO_DAY


def actions_for(desk) -> RecordActions:
    return RecordActions(RecordService(desk, today=lambda: DEMO_DAY), QUndoStack())


def rows(desk, table) -> int:
    """Every row of ``table``, retired ones included: what was ever written."""
    with desk.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def ctrl_return(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def shown(qtbot, panel, key):
    qtbot.addWidget(panel)
    panel.show_record(key)
    panel.show()
    return panel


def commitment_panel(qtbot, desk, actions, key="C-0007"):
    panel = CommitmentDetailPanel(
        actions, lambda k: commitment_detail(desk, k, as_of=DEMO_DAY), today=lambda: DEMO_DAY
    )
    return shown(qtbot, panel, key)


def register_status(desk, ref) -> str:
    (row,) = load_register(desk, "commitments", as_of=DEMO_DAY, keys=[ref])
    return row.status


# -- commitments -------------------------------------------------------------------


def test_progress_is_recorded_from_the_keyboard_and_undone(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = commitment_panel(qtbot, demo_desk, actions)
    assert panel.date_edit.text() == DEMO_DAY.isoformat()
    assert panel.status_combo.currentData() == "in_progress"  # the current status
    before = panel.timeline.item(0).data(ENTRY_ROLE)

    panel.date_edit.selectAll()
    qtbot.keyClicks(panel.date_edit, "2026-11-20")
    qtbot.keyClicks(panel.status_combo, "Stalled")
    qtbot.keyClicks(panel.narrative_edit, "Bill held up in committee <b>again</b>")
    qtbot.keyClicks(panel.evidence_edit, "Letter of the minister")
    ctrl_return(qtbot, panel.evidence_edit)

    assert register_status(demo_desk, "C-0007") == "stalled"
    newest = panel.timeline.item(0).data(ENTRY_ROLE)
    assert (newest.entry_date.isoformat(), newest.status.value) == ("2026-11-20", "stalled")
    assert newest.narrative == "Bill held up in committee <b>again</b>"  # as typed, not markup
    assert "Letter of the minister" in panel.timeline.item(0).text()
    assert panel.status_label.text() == "Status now: Stalled"
    assert (panel.narrative_edit.toPlainText(), panel.evidence_edit.text()) == ("", "")
    assert panel.focusWidget() is panel.date_edit  # ready for the next entry
    assert actions.undo_stack.count() == 1

    actions.undo_stack.undo()
    assert register_status(demo_desk, "C-0007") == "in_progress"
    assert panel.timeline.item(0).data(ENTRY_ROLE).uuid == before.uuid
    assert panel.status_label.text() == "Status now: In progress"


def test_a_future_date_is_refused_beside_the_date_and_nothing_is_written(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = commitment_panel(qtbot, demo_desk, actions)
    entries = rows(demo_desk, t.status_entry)
    panel.date_edit.setText((DEMO_DAY + timedelta(days=3)).isoformat())
    qtbot.keyClicks(panel.narrative_edit, "Planned for next week")
    ctrl_return(qtbot, panel.narrative_edit)

    said = panel.strip.error_for("Date")
    assert "not after today (2026-11-22)" in said
    assert panel.date_edit.accessibleDescription() == said
    assert panel.focusWidget() is panel.date_edit
    assert rows(demo_desk, t.status_entry) == entries
    assert actions.undo_stack.count() == 0
    assert panel.narrative_edit.toPlainText() == "Planned for next week"  # kept to fix the date

    panel.date_edit.setText(DEMO_DAY.isoformat())
    panel.add_button.click()
    assert panel.strip.error_for("Date") == ""
    assert rows(demo_desk, t.status_entry) == entries + 1


def test_the_strip_tabs_date_status_progress_evidence_add(qtbot, demo_desk):
    panel = commitment_panel(qtbot, demo_desk, actions_for(demo_desk))
    order = [panel.date_edit, panel.status_combo, panel.narrative_edit, panel.evidence_edit]
    order.append(panel.add_button)
    panel.date_edit.setFocus()
    for current, following in itertools.pairwise(order):
        assert panel.focusWidget() is current
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        assert panel.focusWidget() is following


def test_read_only_shows_the_history_but_takes_no_entry(qtbot, demo_desk):
    panel = commitment_panel(qtbot, demo_desk, actions_for(demo_desk))
    panel.set_read_only(True)
    assert not panel.strip.isEnabled()
    assert panel.timeline.count() > 3
    assert panel.add_entry() is False
    panel.show_record(None)
    assert panel.timeline.count() == 0


# -- gift baskets --------------------------------------------------------------------


def basket_panel(qtbot, desk, actions, key="gb_2012_nssc"):
    panel = GiftBasketDetailPanel(actions, lambda k: gift_basket_detail(desk, k))
    return shown(qtbot, panel, key)


def role_button(panel, role):
    return panel.role_buttons.button(list(GiftBasketRole).index(role))


def test_marking_our_role_is_stored_and_undone(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = basket_panel(qtbot, demo_desk, actions)
    assert role_button(panel, GiftBasketRole.SIGNATORY).isChecked()
    qtbot.mouseClick(role_button(panel, GiftBasketRole.LEAD), Qt.MouseButton.LeftButton)
    assert gift_basket_detail(demo_desk, "gb_2012_nssc").own_role is GiftBasketRole.LEAD
    assert actions.undo_stack.count() == 1

    actions.undo_stack.undo()
    assert gift_basket_detail(demo_desk, "gb_2012_nssc").own_role is GiftBasketRole.SIGNATORY
    assert role_button(panel, GiftBasketRole.SIGNATORY).isChecked()


def test_signatories_over_time_say_whether_we_are_listed(qtbot, demo_desk):
    panel = basket_panel(qtbot, demo_desk, actions_for(demo_desk), "gb_2016_insider_threats")
    model = panel.snapshots_model
    assert [model.item(r, 0).text() for r in range(model.rowCount())] == [
        "1 Apr 2016",
        "Feb 2020",
        "2021",
    ]
    # The 2016 list names us; a later count naming only INTERPOL is a partial list,
    # never "not listed"; counts that take in INTERPOL say so.
    assert [model.item(r, 2).text() for r in range(3)] == [
        "NLD listed",
        "list incomplete",
        "list incomplete",
    ]
    assert model.item(0, 1).text() == "28 incl. organisations"
    assert "INMM 2021" in panel.sources_label.text()  # the latest snapshot's sources
    panel.show_record("gb_2012_nssc")
    assert panel.snapshots_model.item(0, 2).text() == "NLD listed"


def test_an_action_item_is_added_and_opened(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = basket_panel(qtbot, demo_desk, actions)
    qtbot.mouseClick(panel.new_item_button, Qt.MouseButton.LeftButton)
    assert panel.item_strip.isVisible()
    qtbot.keyClicks(panel.item_title, "Send the annual training figures")
    qtbot.keyClicks(panel.item_agency, "NOSUCH")
    ctrl_return(qtbot, panel.item_agency)
    assert "existing agency" in panel.item_strip.error_for("Agency")
    assert panel.items_model.rowCount() == 2

    panel.item_agency.setText("mfa")
    qtbot.keyClicks(panel.item_due, "2027-03")
    ctrl_return(qtbot, panel.item_due)
    assert panel.items_model.rowCount() == 3
    ref = panel.items_model.item(2, 0).text()
    assert panel.items_model.item(2, 1).text() == "Send the annual training figures"
    assert not panel.item_strip.isVisible()

    panel.items.setCurrentIndex(panel.items_model.index(2, 1))
    with qtbot.waitSignal(panel.record_requested) as opened:
        qtbot.keyClick(panel.items, Qt.Key.Key_Return)
    assert opened.args == ["action_items", ref]
    actions.undo_stack.undo()
    assert panel.items_model.rowCount() == 2


# -- instruments ------------------------------------------------------------------------


def instrument_panel(qtbot, desk, actions, key):
    panel = InstrumentDetailPanel(
        actions, lambda k: instrument_detail(desk, k, as_of=DEMO_DAY), today=lambda: DEMO_DAY
    )
    return shown(qtbot, panel, key)


def choose_step(panel, kind: MilestoneKind) -> None:
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(kind.value))


@pytest.fixture
def mfa(desk):
    RecordService(desk, today=lambda: DEMO_DAY).create(
        "agency", {"code": "MFA", "name": "Ministry of Foreign Affairs"}
    )


@pytest.mark.usefixtures("mfa")
def test_a_domestic_step_starts_the_participation_in_one_undo_step(qtbot, desk):
    # the CNS: the catalogue holds no Dutch participation in it
    actions = actions_for(desk)
    panel = instrument_panel(qtbot, desk, actions, "cns")
    assert "no participation recorded yet" in panel.status_label.text()
    choose_step(panel, MilestoneKind.PARLIAMENT_APPROVAL)
    qtbot.keyClicks(panel.actual_edit, "2026-10-01")
    qtbot.keyClicks(panel.agency_edit, "mfa")
    qtbot.keyClicks(panel.reference_edit, "Kamerstuk 36 123")
    ctrl_return(qtbot, panel.reference_edit)

    detail = instrument_detail(desk, "cns", as_of=DEMO_DAY)
    assert detail.participation_uuid is not None
    (milestone,) = detail.milestones
    assert (milestone.kind, str(milestone.actual), milestone.responsible_agency) == (
        MilestoneKind.PARLIAMENT_APPROVAL,
        "2026-10-01",
        "MFA",
    )
    step = next(s for s in panel.pipeline.steps if s.kind is MilestoneKind.PARLIAMENT_APPROVAL)
    assert step.state is StepState.DONE
    assert "Parliament approval (domestic): done" in panel.pipeline.accessibleDescription()
    assert actions.undo_stack.count() == 1
    assert panel.actual_edit.text() == ""

    actions.undo_stack.undo()
    undone = instrument_detail(desk, "cns", as_of=DEMO_DAY)
    assert undone.participation_uuid is None
    assert undone.milestones == ()
    assert {s.state for s in panel.pipeline.steps} == {StepState.NOT_PLANNED}

    actions.undo_stack.redo()
    assert len(instrument_detail(desk, "cns", as_of=DEMO_DAY).milestones) == 1


@pytest.mark.usefixtures("mfa")
@pytest.mark.parametrize(
    ("field", "actual", "agency", "expected"),
    [
        ("Actual", "2026-13", "", "a month like 2026-03"),
        ("Actual", "2026-12-01", "", "not after today"),
        ("Actual", "", "", "a planned date"),
        ("Responsible agency", "2026-10-01", "NOSUCH", "existing agency"),
    ],
)
def test_a_refused_step_leaves_no_half_step(qtbot, desk, field, actual, agency, expected):
    actions = actions_for(desk)
    panel = instrument_panel(qtbot, desk, actions, "icsant")
    before = (rows(desk, t.participation), rows(desk, t.milestone))
    choose_step(panel, MilestoneKind.CABINET_APPROVAL)
    qtbot.keyClicks(panel.actual_edit, actual)
    qtbot.keyClicks(panel.agency_edit, agency)
    panel.record_button.click()
    assert expected in panel.strip.error_for(field)
    assert (rows(desk, t.participation), rows(desk, t.milestone)) == before
    assert actions.undo_stack.count() == 0


@pytest.mark.usefixtures("mfa")
def test_a_step_refused_after_the_participation_was_made_takes_it_back(qtbot, desk):
    # An agency retired since: found by the check, refused by the desk on writing.
    RecordService(desk, today=lambda: DEMO_DAY).retire("agency", "MFA")
    actions = actions_for(desk)
    panel = instrument_panel(qtbot, desk, actions, "cns")
    choose_step(panel, MilestoneKind.CABINET_APPROVAL)
    qtbot.keyClicks(panel.actual_edit, "2026-10-01")
    qtbot.keyClicks(panel.agency_edit, "MFA")
    panel.record_button.click()
    assert "not retired" in panel.strip.error_for("Responsible agency")
    assert instrument_detail(desk, "cns").participation_uuid is None
    assert (actions.undo_stack.count(), actions.undo_stack.canRedo()) == (0, False)
    # The participation made and taken back is brought back, not duplicated.
    panel.agency_edit.clear()
    panel.record_button.click()
    assert instrument_detail(desk, "cns").participation_uuid is not None
    assert participations_in(desk, "cns") == 1


def participations_in(desk, code) -> int:
    """Participation rows (retired ones included) for the instrument ``code``."""
    p, i = t.participation, t.instrument
    with desk.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(p)
            .join(i, i.c.id == p.c.instrument_id)
            .where(i.c.code == code)
        ).scalar_one()


def test_recording_a_planned_step_completes_it(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = instrument_panel(qtbot, demo_desk, actions, "cppnm_a")
    # The step list points at the step planned and not yet taken.
    assert panel.kind_combo.currentData() == "implementing_legislation"
    assert "already planned" in panel.step_hint.text()
    milestones = rows(demo_desk, t.milestone)
    qtbot.keyClicks(panel.actual_edit, "2026-11-02")
    ctrl_return(qtbot, panel.actual_edit)
    assert rows(demo_desk, t.milestone) == milestones
    step = next(s for s in panel.pipeline.steps if s.kind is MilestoneKind.IMPLEMENTING_LEGISLATION)
    assert (step.state, str(step.planned), str(step.actual)) == (
        StepState.DONE,
        "2026-12",
        "2026-11-02",
    )
    actions.undo_stack.undo()
    step = next(s for s in panel.pipeline.steps if s.kind is MilestoneKind.IMPLEMENTING_LEGISLATION)
    assert step.state is StepState.PLANNED


@pytest.mark.usefixtures("mfa")
def test_hovering_a_step_says_who_is_responsible_and_the_reference(
    qtbot, desk, monkeypatch, log_here
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    errors = UnexpectedErrors()
    diagnostics.install_excepthook(errors)  # as the app does: an error would open the dialog
    panel = instrument_panel(qtbot, desk, actions_for(desk), "icsant")
    choose_step(panel, MilestoneKind.PARLIAMENT_APPROVAL)
    qtbot.keyClicks(panel.actual_edit, "2026-10-01")
    qtbot.keyClicks(panel.agency_edit, "mfa")
    qtbot.keyClicks(panel.reference_edit, "Kamerstuk 36 123")
    ctrl_return(qtbot, panel.reference_edit)

    timeline = panel.pipeline
    row = next(
        number
        for number, step in enumerate(timeline.steps, start=1)  # row 0 is the heading
        if step.kind is MilestoneKind.PARLIAMENT_APPROVAL
    )
    at = QPoint(timeline.width() // 2, int((row + 0.5) * timeline._row_height()))
    # The pointer moves onto the step (sent, not QTest's mouseMove: the pointer may
    # already be there from an earlier test, and then Qt sends no move at all).
    QApplication.sendEvent(
        timeline,
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(at),
            QPointF(timeline.mapToGlobal(at)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    said = timeline.toolTip()  # what Qt shows when the pointer rests there
    assert "Parliament approval (domestic): done" in said
    assert "MFA" in said
    assert "Kamerstuk 36 123" in said
    assert errors.dialog is None
    assert not log_here.exists()  # nothing unexpected was logged either


@pytest.mark.usefixtures("mfa")
def test_the_timeline_shows_who_is_responsible_and_the_reference_under_the_step(qtbot, desk):
    panel = instrument_panel(qtbot, desk, actions_for(desk), "icsant")
    timeline = panel.pipeline
    heights = timeline.sizeHint().height()
    choose_step(panel, MilestoneKind.PARLIAMENT_APPROVAL)
    qtbot.keyClicks(panel.actual_edit, "2026-10-01")
    qtbot.keyClicks(panel.agency_edit, "mfa")
    qtbot.keyClicks(panel.reference_edit, "Kamerstuk 36 123")
    ctrl_return(qtbot, panel.reference_edit)
    QApplication.processEvents()

    drawn = timeline.texts()
    words = [word for _rect, word in drawn]
    step = words.index("Parliament approval")
    assert words[step : step + 4] == [
        "Parliament approval",
        "",
        "1 Oct 2026",
        "MFA · Kamerstuk 36 123",
    ]
    rect = drawn[step + 3][0]
    assert timeline.sizeHint().height() > heights  # a line more, not squeezed in
    assert rect.bottom() <= timeline.height()  # inside the timeline, not cut off
    assert rect.width() > timeline.fontMetrics().horizontalAdvance("MFA · Kamerstuk 36 123")
    # Something is drawn there: the line is on screen, not only in the tooltip.
    image = timeline.grab().toImage()
    background = image.pixel(int(rect.right()) - 2, int(rect.center().y()))
    inked = sum(
        image.pixel(x, int(rect.center().y())) != background
        for x in range(int(rect.left()), int(rect.right()))
    )
    assert inked > 10


def test_catalogue_facts_and_sources_show_as_plain_text(qtbot, demo_desk):
    panel = instrument_panel(qtbot, demo_desk, actions_for(demo_desk), "cppnm_a")
    assert panel.sources_label.textFormat() is Qt.TextFormat.PlainText
    assert "UNODC" in panel.sources_label.text()
    assert panel.sources_label.text().count("• ") == 13  # with the addendum's corrections
    labels = [
        panel.facts.itemAtPosition(row, 0).widget().text() for row in range(panel.facts.rowCount())
    ]
    assert labels[:2] == ["Kind", "Joining mechanism"]
    panel.set_read_only(True)
    assert not panel.strip.isEnabled()


# -- agencies --------------------------------------------------------------------------


def test_a_contact_is_added_and_a_nameless_one_refused(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panel = shown(
        qtbot,
        AgencyDetailPanel(actions, lambda k: agency_detail(demo_desk, k, as_of=DEMO_DAY)),
        "MFA",
    )
    assert panel.contacts_model.rowCount() == 2
    qtbot.keyClicks(panel.role_edit, "Treaty officer")
    ctrl_return(qtbot, panel.role_edit)
    assert "required" in panel.strip.error_for("Name")
    assert panel.focusWidget() is panel.name_edit
    assert actions.undo_stack.count() == 0

    qtbot.keyClicks(panel.name_edit, "Joost de Vries")
    qtbot.keyClicks(panel.email_edit, "joost@mfa.example")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    names = [c.name for c in agency_detail(demo_desk, "MFA").contacts]
    assert "Joost de Vries" in names
    assert panel.contacts_model.rowCount() == 3
    assert panel.strip.error_for("Name") == ""
    actions.undo_stack.undo()
    assert panel.contacts_model.rowCount() == 2


def test_every_control_has_an_accessible_name(qtbot, demo_desk):
    actions = actions_for(demo_desk)
    panels = [
        commitment_panel(qtbot, demo_desk, actions),
        basket_panel(qtbot, demo_desk, actions),
        instrument_panel(qtbot, demo_desk, actions, "cppnm_a"),
        shown(qtbot, AgencyDetailPanel(actions, lambda k: agency_detail(demo_desk, k)), "MFA"),
    ]
    basket = panels[1]
    basket.open_new_item()
    for panel in panels:
        controls = [
            control
            for kind in (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit)
            for control in panel.findChildren(kind)
            # Qt's own parts of a control (a header, a table's corner) are named by it.
            if control.isVisibleTo(panel)
            and not isinstance(control, QHeaderView)
            and control.focusPolicy() != Qt.FocusPolicy.NoFocus
        ]
        assert len(controls) >= 3
        unnamed = [c for c in controls if not c.accessibleName()]
        assert not unnamed, [type(c).__name__ for c in unnamed]
