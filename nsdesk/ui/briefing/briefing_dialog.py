"""File ▸ Briefing pack…: what the pack is for, what it holds, and where it goes.

The dialog only asks: the profile, the event, the as-of day, the baseline, the
audience ceiling, the paper, the sections (checked and ordered) and the output
file. :meth:`BriefingDialog.request` and :meth:`BriefingDialog.output_path` give
the answer to :mod:`nsdesk.ui.briefing.briefing_flow`, which makes the pack. Saving and
deleting profiles go through the :class:`ProfileKeeper` it is given, so the
dialog never writes to the desk itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.briefing.model import PAPER_SIZES, SECTIONS
from nsdesk.domain.errors import NsdeskError
from nsdesk.services.briefing.pack import BriefingRequest
from nsdesk.services.briefing.profiles import BriefingChoices, BriefingProfile
from nsdesk.ui.briefing.section_list import SectionList
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label
from nsdesk.ui.widgets.form_parts import OutputFileField, SaveChooser, buddy, choose, stacked
from nsdesk.ui.widgets.inline_error import InlineError
from nsdesk.ui.widgets.sizing import fit_to_screen, narrow_combo
from nsdesk.ui.wording import error_text

NO_CHOICE = ""
"""What the event and baseline drop-downs hold for "(no event)" / "(no baseline)"."""

AS_LAST_USED = "(as last used)"
CEILING_NOTE = (
    "Records marked above the ceiling are left out everywhere; "
    "the pack is marked with the highest level it contains."
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True, slots=True)
class ProfileKeeper:
    """How the dialog reads, saves and retires the desk's profiles (the flow
    binds these to the open desk's services)."""

    load: Callable[[], tuple[BriefingProfile, ...]]
    save: Callable[[BriefingProfile], None]
    retire: Callable[[str], None]


def default_file_name(event: str | None, as_of: date) -> str:
    """ "Briefing 2016 Nuclear Security Summit 2026-11-22.pdf" (``event`` is the
    event's name, never its key): safe on every file system."""
    words = ["Briefing", *([event] if event else []), as_of.isoformat()]
    name = _UNSAFE.sub("-", " ".join(words))
    return re.sub(r"\s+", " ", name).strip(" .") + ".pdf"


class BriefingDialog(QDialog):
    """The choices of one briefing pack, starting from the defaults of ``choices``
    and, over them, what was ``remembered`` from the last pack made on this desk.

    ``profiles`` None (or a ``read_only_reason``) leaves the profiles to choose
    from but not to save or delete.
    """

    def __init__(
        self,
        choices: BriefingChoices,
        *,
        as_of: date,
        desk_folder: Path,
        profiles: ProfileKeeper | None = None,
        remembered: Mapping[str, Any] | None = None,
        read_only_reason: str | None = None,
        choose_file: SaveChooser | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.choices = choices
        self.desk_folder = desk_folder
        self.keeper = profiles if not read_only_reason else None
        self._profiles: dict[str, BriefingProfile] = {p.name: p for p in choices.profiles}
        self._remembered = dict(remembered or {})
        self.setWindowTitle("Briefing pack — nsdesk")

        # -- the profile ------------------------------------------------------------
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setAccessibleDescription(
            "A saved set of sections and options; choosing one sets them"
        )
        self.profile_combo.activated.connect(self._profile_chosen)
        self.save_profile_button = QPushButton("&Save as profile…")
        self.save_profile_button.setAccessibleDescription(
            "Save the sections, paper, ceiling and baseline under a name"
        )
        self.save_profile_button.clicked.connect(self.save_as_profile)
        self.delete_profile_button = QPushButton("Delete profi&le")
        self.delete_profile_button.setAccessibleDescription("Delete the chosen profile")
        self.delete_profile_button.clicked.connect(self.delete_profile)
        if self.keeper is None:
            why = (
                f"Profiles cannot be saved or deleted: {read_only_reason}."
                if read_only_reason
                else "Profiles cannot be saved here."
            )
            for widget in (self.save_profile_button, self.delete_profile_button):
                widget.setEnabled(False)
                widget.setToolTip(why)
        self.profile_error = InlineError(self.profile_combo, "Profile")

        # -- what the pack is about -------------------------------------------------
        self.event_combo = QComboBox()
        self.event_combo.setAccessibleName("Event")
        self.event_combo.addItem("(no event)", NO_CHOICE)
        self._event_choices = choices.events
        for choice in choices.events:
            self.event_combo.addItem(choice.label, choice.key)
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setAccessibleName("As of")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("d MMM yyyy")
        self.as_of_edit.setDate(QDate(as_of.year, as_of.month, as_of.day))
        self.baseline_combo = QComboBox()
        self.baseline_combo.setAccessibleName("Baseline")
        self.baseline_combo.addItem("(no baseline)", NO_CHOICE)
        for choice in choices.baselines:
            self.baseline_combo.addItem(choice.label, choice.key)
        self.ceiling_combo = QComboBox()
        self.ceiling_combo.setAccessibleName("Audience ceiling")
        self.ceiling_combo.setAccessibleDescription(CEILING_NOTE)
        for choice in choices.levels:  # lowest first, as a choice reads best
            self.ceiling_combo.addItem(f"{choice.label} ({choice.key})", choice.key)
        self.paper_combo = QComboBox()
        self.paper_combo.setAccessibleName("Paper")
        for paper in PAPER_SIZES:
            self.paper_combo.addItem(paper, paper)

        # -- the Universalization section's lobbying list -------------------------------
        self.party_to_combo = QComboBox()
        self.party_to_combo.setAccessibleName("Lobbying list: party to")
        self.not_party_to_combo = QComboBox()
        self.not_party_to_combo.setAccessibleName("Lobbying list: but not party to")
        for combo in (self.party_to_combo, self.not_party_to_combo):
            for choice in choices.instruments:
                combo.addItem(choice.label, choice.key)
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName("Lobbying list: region")
        for choice in choices.regions:
            self.region_combo.addItem(choice.label, choice.key)
        for combo in (self.party_to_combo, self.not_party_to_combo, self.region_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)

        # -- the sections -------------------------------------------------------------
        self.sections_list = SectionList()
        self.sections_list.itemChanged.connect(lambda *_: self._update_buttons())
        self.sections_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.sections_list.rearranged.connect(self._update_buttons)
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("Print the chosen section earlier (Alt+Up in the list)")
        self.up_button.clicked.connect(lambda: self.sections_list.move_current(-1))
        self.down_button = QPushButton("Move &down")
        self.down_button.setToolTip("Print the chosen section later (Alt+Down in the list)")
        self.down_button.clicked.connect(lambda: self.sections_list.move_current(1))
        self.sections_error = InlineError(self.sections_list, "Sections")

        # -- where it goes ------------------------------------------------------------
        self.output = OutputFileField(  # its default name follows the event and the day
            desk_folder=desk_folder,
            remembered_folder=self._remembered.get("folder"),
            suffix=".pdf",
            noun="the PDF file",
            description="The PDF file the pack is written to",
            file_filter="PDF files (*.pdf)",
            chooser=choose_file,
        )
        self.output_edit, self.output_error = self.output.edit, self.output.error
        self.output_edit.textChanged.connect(lambda *_: self._update_buttons())
        self.choose_button = self.output.button
        self.open_check = QCheckBox("Open the pack when it is &made")
        self.open_check.setAccessibleName("Open the pack when it is made")
        self.open_check.setChecked(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "C&reate", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleDescription("Make the briefing pack")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._lay_out(read_only_reason)
        # Return makes the pack from wherever the focus is; the other buttons take a click.
        for other in (
            self.save_profile_button,
            self.delete_profile_button,
            self.up_button,
            self.down_button,
            self.choose_button,
        ):
            other.setAutoDefault(False)
        self.create_button.setDefault(True)
        self._fill_profiles(None)
        self._apply_remembered()
        self._update_default_path()
        self._update_buttons()
        self.event_combo.currentIndexChanged.connect(self._update_default_path)
        self.as_of_edit.dateChanged.connect(self._update_default_path)
        # Filled now: a long name (an ICONS conference's) must not push the dialog
        # past a small screen's edge; the list that drops down still shows it whole.
        for combo in (self.profile_combo, self.event_combo, self.baseline_combo):
            narrow_combo(combo)
        fit_to_screen(self, 900, self.sizeHint().height())

    def _lay_out(self, read_only_reason: str | None) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_combo, 1)
        profile_row.addWidget(self.save_profile_button)
        profile_row.addWidget(self.delete_profile_button)
        profile_cell = stacked(profile_row, self.profile_error)
        ceiling_cell = stacked(self.ceiling_combo, note_label(CEILING_NOTE))
        rows = [
            (buddy("Pro&file", self.profile_combo), profile_cell),
            (buddy("&Event", self.event_combo), self.event_combo),
            (buddy("&As of", self.as_of_edit), self.as_of_edit),
            (buddy("&Baseline", self.baseline_combo), self.baseline_combo),
            (buddy("Audience &ceiling", self.ceiling_combo), ceiling_cell),
            (buddy("&Paper", self.paper_combo), self.paper_combo),
            (buddy("Lobb&ying list", self.party_to_combo), self._lobbying_row()),
        ]
        for label, cell in rows:
            form.addRow(label, cell)

        move_buttons = QVBoxLayout()
        move_buttons.addWidget(self.up_button)
        move_buttons.addWidget(self.down_button)
        move_buttons.addStretch(1)
        list_row = QHBoxLayout()
        list_row.addWidget(self.sections_list, 1)
        list_row.addLayout(move_buttons)

        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.choose_button)
        output_form = QFormLayout()
        output_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        output_label = buddy("&Output file", self.output_edit)
        output_form.addRow(output_label, stacked(output_row, self.output_error, self.open_check))
        labels = [label for label, _cell in rows]
        # The two forms read as one: their fields start at the same place.
        width = max(label.sizeHint().width() for label in [*labels, output_label])
        for label in [*labels, output_label]:
            label.setMinimumWidth(width)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Briefing pack"))
        layout.addWidget(
            note_label(
                "A PDF of the desk as of a day, for an event, for an audience no higher "
                "than the ceiling."
            )
        )
        layout.addLayout(form)
        layout.addSpacing(6)
        sections_label = section_label("Sec&tions")
        sections_label.setTextFormat(Qt.TextFormat.AutoText)  # "&t" is a mnemonic here
        sections_label.setText("Sec&tions")
        sections_label.setBuddy(self.sections_list)
        layout.addWidget(sections_label)
        layout.addLayout(list_row, 1)
        layout.addWidget(self.sections_error)
        layout.addSpacing(6)
        layout.addLayout(output_form)
        if read_only_reason:
            layout.addWidget(
                note_label(f"The desk is read-only ({read_only_reason}); the pack only reads it.")
            )
        layout.addWidget(self.buttons)

        order = [
            self.profile_combo,
            self.save_profile_button,
            self.delete_profile_button,
            self.event_combo,
            self.as_of_edit,
            self.baseline_combo,
            self.ceiling_combo,
            self.paper_combo,
            self.party_to_combo,
            self.not_party_to_combo,
            self.region_combo,
            self.sections_list,
            self.up_button,
            self.down_button,
            self.output_edit,
            self.choose_button,
            self.open_check,
            self.create_button,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _lobbying_row(self) -> QWidget:
        """ "Party to [CPPNM] but not to [A/CPPNM] in [region]": the Universalization
        section's list of the states to press."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("party to"))
        row.addWidget(self.party_to_combo, 1)
        row.addWidget(QLabel("but not to"))
        row.addWidget(self.not_party_to_combo, 1)
        row.addWidget(QLabel("in"))
        row.addWidget(self.region_combo, 2)
        cell = QWidget()
        cell.setLayout(row)
        return cell

    # -- profiles ---------------------------------------------------------------------------
    def _fill_profiles(self, chosen: str | None) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(AS_LAST_USED, None)
        for name in sorted(self._profiles, key=str.casefold):
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        combo.blockSignals(False)
        self._update_buttons()

    def profile_names(self) -> list[str]:
        """The saved profiles the drop-down offers, in its order."""
        combo = self.profile_combo
        return [combo.itemText(i) for i in range(1, combo.count())]

    def choose_profile(self, name: str | None) -> None:
        """Choose a saved profile by name (None: as last used), as the drop-down does."""
        index = self.profile_combo.findData(name) if name else 0
        self.profile_combo.setCurrentIndex(max(index, 0))
        self._profile_chosen(self.profile_combo.currentIndex())

    def _profile_chosen(self, index: int) -> None:
        self.profile_error.clear_message()
        name = self.profile_combo.itemData(index)
        if name is None:
            self._apply_remembered()
        elif (profile := self._profiles.get(name)) is not None:
            self.sections_list.set_checked(profile.sections)
            options = profile.options
            if "paper" in options:
                choose(self.paper_combo, options["paper"])
            if "ceiling" in options:
                choose(self.ceiling_combo, options["ceiling"])
            if "baseline" in options:
                choose(self.baseline_combo, options["baseline"] or NO_CHOICE)
            for key, combo in self._lobbying_combos():
                if key in options:
                    choose(combo, options[key])
        self._update_buttons()

    def current_profile(self) -> BriefingProfile:
        """The sections and options on screen, as a profile of the chosen name."""
        return BriefingProfile(
            self.profile_combo.currentData() or "",
            self.sections_list.checked(),
            {
                "paper": self.paper_combo.currentData(),
                "ceiling": self.ceiling_combo.currentData(),
                "baseline": self.baseline_combo.currentData(),
                **{key: combo.currentData() for key, combo in self._lobbying_combos()},
            },
        )

    def save_as_profile(self) -> bool:
        """Ask a name and save the sections and options under it; True if saved."""
        keeper = self.keeper
        if keeper is None:  # a read-only desk: the button is disabled
            return False
        name, ok = QInputDialog.getText(
            self,
            "Save as profile — nsdesk",
            "Name of the profile (the sections, paper, ceiling and baseline are saved):",
            QLineEdit.EchoMode.Normal,
            self.profile_combo.currentData() or "",
        )
        name = name.strip()
        if not ok or not name:
            return False
        existing = next((n for n in self._profiles if n.casefold() == name.casefold()), None)
        if existing is not None and existing != self.profile_combo.currentData():
            answer = QMessageBox.question(
                self,
                "Replace profile — nsdesk",
                f"A profile named “{existing}” exists. Replace its sections and options?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        shown = self.current_profile()
        profile = BriefingProfile(existing or name, shown.sections, shown.options)
        return self._change_profiles(keeper, lambda: keeper.save(profile), profile.name)

    def delete_profile(self) -> bool:
        """Delete the chosen profile, once the user confirms; True if deleted."""
        name = self.profile_combo.currentData()
        keeper = self.keeper
        if keeper is None or name is None:  # read-only, or no profile chosen
            return False
        answer = QMessageBox.question(
            self,
            "Delete profile — nsdesk",
            f"Delete the profile “{name}”? Packs already made are not changed.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._change_profiles(keeper, lambda: keeper.retire(name), None)

    def _change_profiles(
        self, keeper: ProfileKeeper, change: Callable[[], None], chosen: str | None
    ) -> bool:
        self.profile_error.clear_message()
        try:
            change()
            profiles = keeper.load()
        except (NsdeskError, OSError) as error:
            said = error_text(error, at_field=True)
            self.profile_error.show_message(f"The profile was not saved: {said}.")
            return False
        self._profiles = {p.name: p for p in profiles}
        self._fill_profiles(chosen)
        return True

    # -- remembering -----------------------------------------------------------------------
    def remembered(self) -> dict[str, Any]:
        """The choices to start from next time on this desk (plain values, for settings)."""
        return {
            "event": self.event_combo.currentData(),
            "baseline": self.baseline_combo.currentData(),
            "ceiling": self.ceiling_combo.currentData(),
            "paper": self.paper_combo.currentData(),
            **{key: combo.currentData() for key, combo in self._lobbying_combos()},
            "sections": list(self.sections_list.checked()),
            "order": self.sections_list.order(),
            "open_after": self.open_check.isChecked(),
            "folder": str(self.output_path().parent) if self.output_edit.text().strip() else "",
        }

    def _apply_remembered(self) -> None:
        """The defaults of the choices, then what was used last time where it still fits."""
        last = self._remembered
        choices = self.choices
        choose(self.event_combo, last.get("event", choices.default_event or NO_CHOICE))
        choose(self.baseline_combo, last.get("baseline", choices.default_baseline or NO_CHOICE))
        choose(self.ceiling_combo, last.get("ceiling", choices.default_ceiling))
        choose(self.paper_combo, last.get("paper", PAPER_SIZES[0]))
        choose(self.party_to_combo, last.get("party_to", "cppnm"))
        choose(self.not_party_to_combo, last.get("not_party_to", "cppnm_a"))
        choose(self.region_combo, last.get("region", choices.default_region))
        sections = last.get("sections")
        if isinstance(sections, list | tuple) and sections:
            self.sections_list.set_checked(list(sections), list(last.get("order") or []))
        else:
            self.sections_list.set_checked([s.key for s in SECTIONS])
        if "open_after" in last:
            self.open_check.setChecked(bool(last["open_after"]))

    # -- the output file --------------------------------------------------------------
    def _update_default_path(self) -> None:
        key = self.event_combo.currentData()
        name = next((c.name or c.label for c in self._event_choices if c.key == key), None)
        self.output.propose(default_file_name(name, self.as_of()))

    def set_output_path(self, path: Path, *, confirmed: bool = False) -> None:
        """Write the pack to ``path``; ``confirmed``: the user already agreed to
        replace it if it exists."""
        self.output.set_path(path, confirmed=confirmed)

    def output_path(self) -> Path:
        """The PDF file to write: relative paths are in the desk's folder, and
        ".pdf" is added when the name has no such ending."""
        return self.output.path()

    # -- the answer ------------------------------------------------------------------------
    def as_of(self) -> date:
        """The day the pack shows the desk as of."""
        day = self.as_of_edit.date()
        return date(day.year(), day.month(), day.day())

    @property
    def open_when_made(self) -> bool:
        """Whether to open the pack once it is made."""
        return self.open_check.isChecked()

    def request(self) -> BriefingRequest:
        """What to make, as the briefing service takes it."""
        return BriefingRequest(
            event=self.event_combo.currentData() or None,
            as_of=self.as_of(),
            baseline=self.baseline_combo.currentData() or None,
            sections=self.sections_list.checked(),
            ceiling=self.ceiling_combo.currentData(),
            paper=self.paper_combo.currentData(),
            use_defaults=False,  # "(no event)" means none, not the next one
            party_to=self.party_to_combo.currentData() or "cppnm",
            not_party_to=self.not_party_to_combo.currentData() or "cppnm_a",
            region=self.region_combo.currentData(),
        )

    def _lobbying_combos(self) -> tuple[tuple[str, QComboBox], ...]:
        return (
            ("party_to", self.party_to_combo),
            ("not_party_to", self.not_party_to_combo),
            ("region", self.region_combo),
        )

    def _update_buttons(self) -> None:
        row = self.sections_list.current_row()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.sections_list.topLevelItemCount() - 1)
        has_sections = bool(self.sections_list.checked())
        has_path = bool(self.output_edit.text().strip())
        self.create_button.setEnabled(has_sections and has_path)
        self.create_button.setToolTip(
            ""
            if has_sections and has_path
            else "Check at least one section"
            if not has_sections
            else "Choose the file to write"
        )
        if has_sections:
            self.sections_error.clear_message()
        else:
            self.sections_error.show_message("Check at least one section to make a pack.")
        self.delete_profile_button.setEnabled(
            self.keeper is not None and self.profile_combo.currentData() is not None
        )

    def accept(self) -> None:
        """Close with the choices, once the output file can be written."""
        if not self.create_button.isEnabled():
            return
        if self.output.checked_path(self) is not None:
            super().accept()
