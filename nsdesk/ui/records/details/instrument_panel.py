"""Under an instrument's fields: where the own state stands, its pipeline of
steps (planned against actual), a strip to record a step, and the catalogue's
facts with their sources.

Recording the first step on an instrument the state has no participation record
for creates that record too; both are one undo step (a macro on the stack), and
the step's values are checked before anything is written, so a bad date never
leaves a participation without its step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.enums import DOMESTIC_STEPS, MilestoneKind
from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.fields import coerce
from nsdesk.domain.participation import PipelineStep, StepState
from nsdesk.domain.records import spec_for
from nsdesk.domain.validation import check_not_future
from nsdesk.services.records.details.instrument import InstrumentDetail
from nsdesk.ui.records.commands import RecordActions
from nsdesk.ui.records.details.detail_panel import DetailPanel
from nsdesk.ui.widgets.inline_error import FormStrip, error_colour, plain_label, secondary_colour

STEP_KINDS = (*DOMESTIC_STEPS, *(k for k in MilestoneKind if not k.is_domestic))
"""The order of the step list: the domestic steps first, as officers record them most."""


def step_sentence(step: PipelineStep) -> str:
    """One step as a screen reader and the tooltip say it."""
    said = f"{step.kind.label}{' (domestic)' if step.kind.is_domestic else ''}: "
    said += step.state.label.lower()
    if step.planned:
        said += f", planned {step.planned.display()}"
    if step.actual:
        said += f", actual {step.actual.display()}"
    if step.responsible_agency:
        said += f", {step.responsible_agency}"
    if step.reference:
        said += f", {step.reference}"
    return said


def step_details(step: PipelineStep) -> str:
    """Who is responsible for a step and its reference, as the line under it reads
    ("MFA · Kamerstuk 36 123"); empty when neither is recorded."""
    return " · ".join(part for part in (step.responsible_agency, step.reference) if part)


class PipelineView(QWidget):
    """The steps as a column: a filled dot for a step taken, an outline for one
    planned, a red outline and "late" for one planned before today and not taken,
    a dashed outline for one expected but not planned; under a step, who is
    responsible for it and its reference. Painted, so it is crisp at any scale;
    the accessible description lists every step."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.steps: tuple[PipelineStep, ...] = ()
        self.setAccessibleName("Pipeline of steps")
        self.setMouseTracking(True)  # the tooltip follows the step under the pointer
        # As tall as its steps: in a scrolling pane it is never squeezed.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_steps(self, steps: Sequence[PipelineStep]) -> None:
        """Show ``steps`` in their order (and say them to assistive technology)."""
        self.steps = tuple(steps)
        self.setAccessibleDescription("; ".join(step_sentence(s) for s in self.steps))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return int(self.fontMetrics().height() * 1.7)

    def step_rows(self) -> list[tuple[int, int]]:
        """Where each step is drawn: (top, height), under the heading row; a step
        with an agency or a reference has a line more."""
        row_h, line_h = self._row_height(), self.fontMetrics().height()
        rows, top = [], row_h
        for step in self.steps:
            height = row_h + (line_h if step_details(step) else 0)
            rows.append((top, height))
            top += height
        return rows

    def step_at(self, y: int) -> int | None:
        """The number of the step drawn at height ``y`` (None: the heading, or below)."""
        for number, (top, height) in enumerate(self.step_rows()):
            if top <= y < top + height:
                return number
        return None

    def _columns(self) -> tuple[float, float, float, float]:
        """x of the dots, the step, the planned and the actual column."""
        metrics = self.fontMetrics()
        date_width = metrics.horizontalAdvance("30 Sep 2026") + 12
        actual_x = self.width() - date_width
        return metrics.height() * 0.7, metrics.height() * 1.6, actual_x - date_width, actual_x

    def sizeHint(self) -> QSize:
        rows = self.step_rows()
        bottom = rows[-1][0] + rows[-1][1] if rows else self._row_height()
        return QSize(420, bottom)

    def minimumSizeHint(self) -> QSize:
        """Room for the longest step's name and both dates: a narrow pane scrolls
        down, it does not cut "Parliament approval" to "Parliament a…"."""
        metrics = self.fontMetrics()
        names = max((metrics.horizontalAdvance(s.kind.label) for s in self.steps), default=0)
        _dot, step_x, planned_x, actual_x = self._columns()
        dates = int(actual_x - planned_x) * 2
        return QSize(int(step_x) + names + 12 + dates, self._row_height() * (len(self.steps) + 1))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """The tooltip is the step under the pointer (Qt shows a widget's own tooltip;
        overriding ``event()`` for it crashed under PySide when a tip outlived a pane)."""
        number = self.step_at(int(event.position().y()))
        self.setToolTip(step_sentence(self.steps[number]) if number is not None else "")
        super().mouseMoveEvent(event)

    def texts(self) -> list[tuple[QRectF, str]]:
        """Every text the timeline draws, where it draws it, in the order painted:
        the heading, then each step's cells and the line under it."""
        metrics = self.fontMetrics()
        row_h, line_h = self._row_height(), metrics.height()
        _dot_x, *starts = self._columns()
        ends = (*starts[1:], float(self.width()))
        drawn = [
            (QRectF(x, 0, right - x - 6, row_h), word)
            for x, right, word in zip(starts, ends, ("Step", "Planned", "Actual"), strict=True)
        ]
        for step, (top, _height) in zip(self.steps, self.step_rows(), strict=True):
            late = step.state is StepState.LATE
            words = (
                step.kind.label + (" — late" if late else ""),
                step.planned.display() if step.planned else "",
                step.actual.display() if step.actual else "",
            )
            drawn += [
                (QRectF(x, top, right - x - 6, row_h), word)
                for x, right, word in zip(starts, ends, words, strict=True)
            ]
            if details := step_details(step):
                drawn.append(
                    (
                        QRectF(
                            starts[0],
                            top + row_h - line_h * 0.35,
                            self.width() - starts[0] - 6,
                            line_h,
                        ),
                        details,
                    )
                )
        return drawn

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette, metrics = self.palette(), self.fontMetrics()
        text, quiet = palette.color(QPalette.ColorRole.WindowText), secondary_colour(palette)
        alarm, fill = error_colour(palette), palette.color(QPalette.ColorRole.Highlight)
        row_h = self._row_height()
        dot_x = self._columns()[0]
        rows = self.step_rows()
        drawn = iter(self.texts())

        def cells(colours: Sequence[QColor]) -> None:
            for colour in colours:
                rect, word = next(drawn)
                painter.setPen(colour)
                painter.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignVCenter,
                    metrics.elidedText(word, Qt.TextElideMode.ElideRight, int(rect.width())),
                )

        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        cells((text, text, text))
        painter.setFont(self.font())
        if len(rows) > 1:  # the rule joining the dots runs behind them
            painter.setPen(QPen(quiet, 1.5))
            first, last = rows[0][0] + row_h / 2, rows[-1][0] + row_h / 2
            painter.drawLine(QPointF(dot_x, first), QPointF(dot_x, last))
        radius = metrics.height() * 0.32
        for step, (top, _height) in zip(self.steps, rows, strict=True):
            late, done = step.state is StepState.LATE, step.state is StepState.DONE
            unplanned = step.state is StepState.NOT_PLANNED
            pen = QPen(fill if done else alarm if late else text, 2)
            painter.setPen(QPen(quiet, 1.5, Qt.PenStyle.DotLine) if unplanned else pen)
            painter.setBrush(fill if done else palette.color(QPalette.ColorRole.Base))
            painter.drawEllipse(QPointF(dot_x, top + row_h / 2), radius, radius)
            cells((alarm if late else quiet if unplanned else text, alarm if late else quiet, text))
            if step_details(step):
                cells((quiet,))  # who is responsible, and the reference
        painter.end()


class InstrumentDetailPanel(DetailPanel[InstrumentDetail]):
    """The own state's standing and pipeline, a step strip, and the catalogue facts."""

    watches = frozenset({"milestone", "participation", "instrument"})

    def __init__(
        self,
        actions: RecordActions,
        load: Callable[[str], InstrumentDetail],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ):
        super().__init__(actions, load, parent)
        self._today = today

        self.status_label = plain_label(name="Our status")
        bold = self.status_label.font()
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.pipeline = PipelineView()
        self.strip = FormStrip("Record a step")
        self.kind_combo = QComboBox()
        for kind in STEP_KINDS:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.currentIndexChanged.connect(self._explain_step)
        self.planned_edit = QLineEdit()
        self.actual_edit = QLineEdit()
        for edit in (self.planned_edit, self.actual_edit):
            edit.setPlaceholderText("2027-06-30, 2027-06 or 2027")
        self.agency_edit = QLineEdit()
        self.agency_edit.setPlaceholderText("Agency code, e.g. MFA")
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText("Bill number, note verbale, gazette…")
        self.record_button = QPushButton("&Record step")
        self.record_button.setAccessibleName("Record the step")
        self.record_button.clicked.connect(self.record_step)
        self.strip.add_field("Ste&p", self.kind_combo, field="Step")
        self.strip.add_field("P&lanned", self.planned_edit, field="Planned")
        self.strip.add_field("Act&ual", self.actual_edit, field="Actual")
        self.strip.add_field("Responsible a&gency", self.agency_edit, field="Responsible agency")
        self.strip.add_field("Re&ference", self.reference_edit, field="Reference")
        self.step_hint = plain_label(name="What recording does")
        self.step_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.strip.form.addRow(self.step_hint)
        self.strip.add_buttons(self.record_button, hint="Ctrl+Return")
        self.strip.on_submit(self.record_step)

        self.facts_box = QGroupBox("Catalogue facts")
        self.facts_box.setAccessibleName("Catalogue facts")
        # A grid, not a form layout: QFormLayout keeps the height of a wrapped value
        # measured at an older width, cutting long facts short.
        self.facts = QGridLayout(self.facts_box)
        self.facts.setColumnStretch(1, 1)
        self.sources_label = plain_label(name="Sources")
        self._fact_rows: list[QWidget] = []
        self._show_facts(())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status_label, self.pipeline, self.strip, self.facts_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.show_record(None)

    # -- showing ---------------------------------------------------------------------
    def show_record(self, key: str | None) -> None:
        """Show the instrument ``key`` (code or UUID), or nothing for ``None``; the
        step list starts at the first step a newly shown instrument has not taken."""
        changed = key != self.key
        super().show_record(key)
        if changed:
            self._choose_next_step()

    def clear_input(self) -> None:
        for edit in (self.planned_edit, self.actual_edit, self.agency_edit, self.reference_edit):
            edit.clear()

    def clear_errors(self) -> None:
        self.strip.clear_errors()

    def update_enabled(self) -> None:
        self.strip.setEnabled(self.editable)  # a read-only desk: the pipeline and facts show

    def show_detail(self, detail: InstrumentDetail | None) -> None:
        """Show the own state's standing, its pipeline, and the catalogue facts."""
        self._show_facts(detail.facts if detail is not None else ())
        if detail is None:
            self.status_label.setText("No instrument is shown.")
            self.pipeline.set_steps(())
            self.sources_label.clear()
            return
        self.status_label.setText(self._status_text(detail))
        self.pipeline.set_steps(detail.pipeline)
        self.sources_label.setText(
            "\n".join(f"• {s.title}" + (f" — {s.url}" if s.url else "") for s in detail.sources)
            or "None cited."
        )
        self._explain_step()

    def _show_facts(self, facts: Sequence[Any]) -> None:
        """The catalogue's facts, a label and its value a row, then the sources."""
        for widget in self._fact_rows:
            self.facts.removeWidget(widget)
            widget.hide()  # at once: deleteLater waits for the event loop
            widget.deleteLater()
        self._fact_rows = []
        top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        rows = [(plain_label(f.label), plain_label(f.value, name=f.label)) for f in facts]
        for number, (label, value) in enumerate(rows):
            self.facts.addWidget(label, number, 0, top)
            self.facts.addWidget(value, number, 1)
            self._fact_rows += [label, value]
        sources = plain_label("Sources")
        self._fact_rows.append(sources)
        self.facts.addWidget(sources, len(rows), 0, top)
        self.facts.addWidget(self.sources_label, len(rows), 1)

    def _choose_next_step(self) -> None:
        """Point the step list at the first step planned and not taken, else the
        first expected one."""
        if self.detail is None:
            return
        pipeline = self.detail.pipeline
        waiting = [s for s in pipeline if s.state in (StepState.PLANNED, StepState.LATE)]
        waiting += [s for s in pipeline if s.state is StepState.NOT_PLANNED]
        if waiting:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(waiting[0].kind.value))

    @staticmethod
    def _status_text(detail: InstrumentDetail) -> str:
        assessment = detail.assessment
        said = f"{detail.own_state}: {assessment.status.label}"
        if assessment.since:
            said += f" since {assessment.since.display()}"
        if detail.participation_uuid is None:
            said += " (no participation recorded yet)"
        step = assessment.next_step
        if step is not None and step.planned is not None:
            late = " — late" if step.planned.latest() < detail.as_of else ""
            said += f"\nNext step: {step.kind.label}, planned {step.planned.display()}{late}"
        return said

    def _pending(self, kind: MilestoneKind) -> str | None:
        """The step of ``kind`` that is planned but not yet taken (to complete it)."""
        if self.detail is None:
            return None
        for line in self.detail.milestones:
            if line.kind is kind and line.actual is None:
                return line.uuid
        return None

    def _explain_step(self) -> None:
        kind = MilestoneKind(self.kind_combo.currentData())
        pending = self._pending(kind)
        if pending is not None:
            said = f"Completes (or re-plans) the {kind.label.lower()} already planned."
        elif self.detail is not None and self.detail.participation_uuid is None:
            said = f"Also starts {self.detail.own_state}'s participation record (one undo step)."
        else:
            said = ""
        self.step_hint.setText(said)
        self.step_hint.setVisible(bool(said))

    # -- recording a step ------------------------------------------------------------
    def _checked_values(self) -> dict[str, Any]:
        """The strip's values, checked as the desk will check them (before anything
        is written); ``ValidationError`` names the field at fault."""
        spec = spec_for("milestone")
        raw = {
            "kind": self.kind_combo.currentData(),
            "planned": self.planned_edit.text(),
            "actual": self.actual_edit.text(),
            "responsible_agency": self.agency_edit.text(),
            "reference": self.reference_edit.text(),
        }
        values = {name: coerce(spec.field(name), value) for name, value in raw.items()}
        if values["planned"] is None and values["actual"] is None:
            raise ValidationError("Actual", "the date the step was taken, or a planned date")
        check_not_future("Actual", values["actual"], self._today())
        if values["responsible_agency"]:
            try:
                self.record_actions.service.identify("agency", values["responsible_agency"])
            except ValidationError as error:
                raise ValidationError("Responsible agency", error.expected, error.value) from None
        return {name: value for name, value in values.items() if value is not None}

    def record_step(self) -> bool:
        """Record the strip's step as one undoable action (with the participation
        record when the state has none); on a refusal say why beside the field and
        write nothing. True when the step was recorded."""
        detail = self.detail
        if detail is None or self.read_only:
            return False
        self.strip.clear_errors()
        try:
            values = self._checked_values()
            kind = MilestoneKind(values["kind"])
            values["kind"] = kind.value
            pending = self._pending(kind)
            if pending is not None:
                self.record_actions.update(
                    "milestone",
                    pending,
                    values,
                    text=f"Record {kind.label.lower()} for {detail.short_name}",
                )
            elif detail.participation_uuid is not None:
                self.record_actions.create(
                    "milestone",
                    {**values, "participation": detail.participation_uuid},
                    text=f"Record {kind.label.lower()} for {detail.short_name}",
                )
            else:
                self._start_participation(detail, values)
        except NsdeskError as error:
            self.strip.show_error(error)
            return False
        self.clear_input()
        self.refresh()
        self._choose_next_step()
        self.kind_combo.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _start_participation(self, detail: InstrumentDetail, values: dict[str, Any]) -> None:
        # Checked beforehand, so a refusal here is rare (an agency retired meanwhile):
        # the macro then takes back the participation it made, so no redo can bring
        # it back without its step.
        label = MilestoneKind(values["kind"]).label.lower()
        with self.record_actions.macro(f"Record {label} for {detail.short_name}"):
            if detail.retired_participation_uuid is not None:
                participation = self.record_actions.restore(
                    "participation", detail.retired_participation_uuid
                ).uuid
            else:
                participation = self.record_actions.create(
                    "participation", {"party": detail.own_state, "instrument": detail.uuid}
                ).uuid
            self.record_actions.create("milestone", {**values, "participation": participation})
