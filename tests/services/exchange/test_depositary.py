"""A depositary's status list imports as participation: the list is made here from
the catalogue's ICSANT rows (the addendum's, as shipped), the way the UN Treaty
Collection writes them, with a few dates changed and one party the catalogue lacks;
saved as a CSV (Windows-1252, semicolons: Excel's European "CSV") and as a
workbook. The preview shows exactly those differences, the catalogue's facts only
change by the user's decision, and the import is recorded and undone whole."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from nsdesk.domain.enums import MilestoneKind, Standing
from nsdesk.services.exchange.apply import ImportConflictError, Side, apply_import
from nsdesk.services.exchange.changes import ParticipationTarget
from nsdesk.services.exchange.import_history import list_imports, undo_import
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.overview.party_standing import instrument_standings
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.store import models as m

HEADER = (
    "Participant",
    "Signature",
    "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
)
MARKS = {"ratification": "", "acceptance": " A", "approval": " AA", "accession": " a"}
UN_NAMES = {  # how the UN Treaty Collection writes some of them (with its footnotes)
    "BOL": "Bolivia (Plurinational State of)",
    "NLD": "Netherlands (Kingdom of the)3",
    "TUR": "Türkiye",
    "VNM": "Viet Nam",
    "IRN": "Iran (Islamic Republic of)",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
}
CHANGED = {"AFG": "2013-03-26"}  # the list's deposit date differs from the catalogue's
SIGNED = {"CHL": "2005-09-16"}  # and a signature date
NEW = ("Palau", "15 Sep 2005", "19 Jan 2024")  # a party the catalogue leaves out
TARGET = ParticipationTarget.of(
    "icsant", "2025-05-16", "UN Treaty Collection: ICSANT status, saved 16 May 2025"
)


def untc(day: str) -> str:
    """2013-03-25 as the UN writes it: 25 Mar 2013."""
    return date.fromisoformat(day).strftime("%-d %b %Y")


def list_rows() -> list[tuple[str, str, str]]:
    rows = []
    names = {c.alpha_3: c.name for c in __import__("pycountry").countries}
    for row in Catalogue.shipped().data["participation"]:
        if row["instrument"] != "icsant":
            continue
        steps = {ms["key"].rsplit(":", 1)[1]: ms for ms in row["milestones"]}
        code = row["party"]
        signature = SIGNED.get(code) or steps.get("signature", {}).get("actual")
        consent = ""
        if "deposit" in steps:
            day = CHANGED.get(code) or steps["deposit"]["actual"]
            kind = steps["consent"]["kind"] if "consent" in steps else None
            if len(day) != 10 or kind is None:
                continue  # the UN lists full dates and their kind; the catalogue may not
            consent = untc(day) + MARKS[kind]
        name = UN_NAMES.get(code) or names[code]
        rows.append((name, untc(signature) if signature else "", consent))
    rows.append(NEW)
    return rows


@pytest.fixture
def csv_list(tmp_path: Path) -> Path:
    path = tmp_path / "ICSANT status.csv"
    with path.open("w", newline="", encoding="cp1252") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Status as at: 16-05-2025"])
        writer.writerow(HEADER)
        writer.writerows(list_rows())
    return path


@pytest.fixture
def xlsx_list(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in list_rows():
        sheet.append(row)
    path = tmp_path / "icsant-status.xlsx"
    workbook.save(path)
    return path


def changes_of(preview):
    return {
        (record.label, record.is_new): [(c.field, c.old, c.new, c.conflict) for c in record.changes]
        for record in preview.records
    }


@pytest.mark.parametrize("listing", ["csv_list", "xlsx_list"])
def test_the_preview_shows_exactly_the_lists_differences(desk, listing, request):
    path = request.getfixturevalue(listing)
    preview = preview_import(desk, path, target=TARGET)
    assert preview.kind == "depositary"
    assert preview.refused == ()
    assert preview.rows_read >= 140
    changes = changes_of(preview)
    icsant = "ICSANT (Nuclear Terrorism Convention)"
    assert changes == {
        (f"Afghanistan in {icsant}: Ratification (the catalogue's step)", False): [
            ("actual", "2013-03-25", "2013-03-26", True)
        ],
        (f"Afghanistan in {icsant}: Deposit (the catalogue's step)", False): [
            ("actual", "2013-03-25", "2013-03-26", True)
        ],
        (f"Chile in {icsant}: Signature (the catalogue's step)", False): [
            ("actual", "2005-09-22", "2005-09-16", True)
        ],
        (f"New: Palau in {icsant}", True): [
            ("party", "", "Palau", False),
            ("instrument", "", icsant, False),
        ],
        (f"New: Palau in {icsant}: Signature", True): [
            ("participation", "", f"Palau in {icsant}", False),
            ("kind", "", "Signature", False),
            ("actual", "", "2005-09-15", False),
        ],
        (f"New: Palau in {icsant}: Ratification", True): [
            ("participation", "", f"Palau in {icsant}", False),
            ("kind", "", "Ratification", False),
            ("actual", "", "2024-01-19", False),
        ],
        (f"New: Palau in {icsant}: Deposit", True): [
            ("participation", "", f"Palau in {icsant}", False),
            ("kind", "", "Deposit", False),
            ("actual", "", "2024-01-19", False),
        ],
    }
    assert preview.conflicts == 3
    assert any("as of 2025-05-16" in note for note in preview.notes)


def test_the_catalogues_facts_change_only_by_the_users_decision(desk, csv_list):
    preview = preview_import(desk, csv_list, target=TARGET)
    with pytest.raises(ImportConflictError):
        apply_import(desk, preview, backup=False)  # no side chosen: nothing changes
    chile = next(r for r in preview.records if r.label.startswith("Chile"))
    sides = {(chile.key, c.column): Side.DESK for c in chile.changes}
    result = apply_import(desk, preview, resolutions=sides, default=Side.WORKBOOK, backup=False)
    assert (result.created, result.conflicts_kept, result.conflicts_taken) == (4, 1, 2)
    standings, _ = instrument_standings(desk, "icsant", date(2026, 1, 1))
    by_code = {s.code: s for s in standings}
    assert str(by_code["AFG"].consented) == "2013-03-26"  # taken
    assert str(by_code["CHL"].signed) == "2005-09-22"  # the catalogue's, kept
    assert (by_code["PLW"].standing, str(by_code["PLW"].since)) == (Standing.PARTY, "2024-01-19")
    assert by_code["PLW"].consent is MilestoneKind.RATIFICATION
    with desk.reading() as session:
        deposit = session.scalars(
            select(m.Milestone).where(
                m.Milestone.catalogue_key == "participation:icsant:AFG:deposit"
            )
        ).one()
        assert str(deposit.as_of) == "2025-05-16"  # the list's date, on what it set
        cited = session.execute(
            select(m.Citation.field, m.Citation.note, m.Source.title)
            .join(m.Source)
            .where(m.Citation.subject_uuid == deposit.uuid, m.Citation.note.like("%as of%"))
        ).one()
        assert cited.field == "actual"
        assert cited.title == TARGET.source
        assert cited.note == f"{csv_list.name}: {TARGET.source}, as of 2025-05-16"
    (batch,) = list_imports(desk)
    assert batch.kind == "depositary"


def test_an_import_of_a_list_is_undone_whole(desk, csv_list):
    preview = preview_import(desk, csv_list, target=TARGET)
    result = apply_import(desk, preview, default=Side.WORKBOOK, backup=False)
    assert undo_import(desk, result.batch) > 0
    standings, _ = instrument_standings(desk, "icsant", date(2026, 1, 1))
    by_code = {s.code: s for s in standings}
    assert "PLW" not in by_code  # its participation retired
    assert str(by_code["AFG"].consented) == "2013-03-25"
    with desk.reading() as session:
        assert not session.scalars(select(m.Source).where(m.Source.title == TARGET.source)).all()
        assert not session.scalars(
            select(m.Citation).where(m.Citation.note.like(f"{csv_list.name}:%"))
        ).all()


def test_a_row_naming_no_known_party_is_refused_by_its_cell(desk, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        "Participant,Signature\r\nNetherlands,16 Sep 2005\r\nRepublic of Atlantis,1 Jan 2020\r\n"
        ",\r\nKorea,2 Feb 2020\r\n",
        encoding="utf-8",
    )
    preview = preview_import(desk, path, target=TARGET)
    assert [(c.where, c.value) for c in preview.refused] == [
        ("odd!A3", "Republic of Atlantis"),
        ("odd!A5", "Korea"),  # two states could be meant: never guessed
    ]
    assert not preview.can_apply


def test_the_command_line_imports_a_list(new_desk_location, csv_list):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nsdesk",
            "import",
            str(new_desk_location),
            str(csv_list),
            "--participation",
            "icsant",
            "--as-of",
            "2025-05-16",
            "--source",
            TARGET.source,
            "--on-conflict",
            "take",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "a depositary workbook" in done.stdout
    assert "CONFLICT (the desk holds another value" in done.stdout
    assert "4 new records" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "nsdesk", "import", str(new_desk_location), str(csv_list),
         "--participation", "icsant"],
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "--as-of" in missing.stderr
