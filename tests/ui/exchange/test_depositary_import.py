"""File ▸ Import workbook… with a depositary's status list saved as CSV: the mapping
page is told what the table is (participation in ICSANT, as of a date, from a
source), the preview shows the new party, and Apply records it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nsdesk.domain.enums import Standing
from nsdesk.services.overview.party_standing import instrument_standings
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
from nsdesk.ui.exchange.import_wizard import MAPPING, PREVIEW, RESULT
from tests.conftest import DEMO_DAY


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    wanted = os.environ.get("NSDESK_SCREENSHOTS")
    target = Path(wanted) if wanted else tmp_path / "screens"
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_a_depositary_list_is_imported_as_participation(
    qtbot, window, context, demo_desk_location, tmp_path, shots
):
    assert open_desk_into(context, window, demo_desk_location)
    context.data.as_of = DEMO_DAY
    flow = ExchangeFlow(context, window)
    path = tmp_path / "ICSANT status.csv"
    path.write_text(
        "Participant;Signature;Ratification, Acceptance(A), Approval(AA), Accession(a)\r\n"
        "Afghanistan;29 Dec 2005;25 Mar 2013\r\n"
        "Netherlands (Kingdom of the)3;16 Sep 2005;30 Jun 2010 A\r\n"
        "Palau;15 Sep 2005;19 Jan 2024\r\n",
        encoding="cp1252",
    )
    wizard = flow.start_import(path)
    assert wizard.page() == MAPPING
    page = wizard.mapping_page
    page.choose_instrument("icsant")
    assert page.target_combo.currentText().startswith("Participation in ICSANT")
    assert page.mapping() == {
        "Participant": "party",
        "Signature": "signature",
        "Ratification, Acceptance(A), Approval(AA), Accession(a)": "consent",
    }
    assert page.combo("Participant").currentText() == "Party (state or organisation)"
    assert not wizard.next_button.isEnabled()  # the list's date and source are asked first
    assert page.error.text().startswith("As of: expected a date")
    page.set_list_details("2025-05-16", "UN Treaty Collection: ICSANT status")
    assert wizard.next_button.isEnabled()
    QApplication.processEvents()
    assert wizard.grab().save(str(shots / "import_depositary_mapping.png"))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    summary = wizard.preview_page.summary_label.text()
    assert summary.startswith("Depositary's list (participation) · 3 rows read")
    assert "no conflicts" in summary
    QApplication.processEvents()
    assert wizard.grab().save(str(shots / "import_depositary_preview.png"))
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == RESULT
    standings, _ = instrument_standings(context.desk, "icsant", date(2026, 1, 1))
    palau = next(s for s in standings if s.code == "PLW")
    assert (palau.standing, str(palau.since)) == (Standing.PARTY, "2024-01-19")
    wizard.reject()
