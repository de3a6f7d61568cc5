"""The walls hold: nothing above an export's ceiling leaves, by value, by reference
or by derivation, and every export is marked with the highest level it carries.

A desk is planted with canaries (tests/support/canaries.py): every kind of record
at every level with a unique token in every text field, and for every reference
between kinds, records at each level pointing at records of each higher level.
Every output — the briefing pack, the register workbook, every ministry's return —
is made at each ceiling and searched in every part (PDF pages, bookmarks,
metadata and every uncompressed object; every XML part of a workbook, hidden
sheets and document properties included).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from nsdesk.domain.derived import binding_target, latest_entry
from nsdesk.services.audience.view import sensitive_tables
from nsdesk.services.audit import Actor, AuditContext, creation_rows
from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.services.desk import open_desk
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.overview.baselines import freeze_baseline
from nsdesk.store import tables as t
from tests.support.canaries import (
    LEVELS,
    Planter,
    Planting,
    found_tokens,
    highest,
    pdf_parts,
    references_between_sensitive_kinds,
    xlsx_parts,
)

CEILINGS = ("PUBLIC", "INTERNAL", "RESTRICTED")
AS_OF = date(2026, 11, 22)
BASELINE = "Canary baseline"


@dataclass
class Output:
    """One file that left the desk, and what it says about itself."""

    name: str
    ceiling: str
    marking_label: str
    parts: dict[str, str]


@pytest.fixture(scope="module")
def canary_desk(
    desk_copies, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Planting]]:
    folder = tmp_path_factory.mktemp("canaries")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSDESK_HOME", str(folder / "home"))
        path = desk_copies.copy("new", folder, "canaries.nsdesk")
        with open_desk(path) as desk, desk.engine.begin() as connection:
            planting = Planter(connection).plant()
            freeze_baseline(
                connection,
                AuditContext(Actor("walls test")),
                name=BASELINE,
                as_of=date(2026, 6, 30),
                sensitivity="PUBLIC",
            )
        yield path, planting


@pytest.fixture(scope="module")
def outputs(
    canary_desk: tuple[Path, Planting], tmp_path_factory: pytest.TempPathFactory
) -> list[Output]:
    path, _ = canary_desk
    folder = tmp_path_factory.mktemp("outputs")
    made: list[Output] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSDESK_HOME", str(folder / "home"))
        with open_desk(path) as desk:  # every export is recorded in the desk
            with desk.connect() as connection:
                agencies = connection.execute(
                    select(t.agency.c.code, t.agency.c.sensitivity).where(
                        t.agency.c.retired_at.is_(None)
                    )
                ).all()
            for ceiling in CEILINGS:
                pack = write_briefing(
                    desk,
                    BriefingRequest(
                        as_of=AS_OF, baseline=BASELINE, ceiling=ceiling, deterministic=True
                    ),
                    folder / f"pack-{ceiling}.pdf",
                )
                made.append(
                    Output(f"pack at {ceiling}", ceiling, pack.marking_label, pdf_parts(pack.path))
                )
                register = export_workbook(
                    desk, ExportRequest(ceiling=ceiling), folder / f"register-{ceiling}.xlsx"
                )
                made.append(
                    Output(
                        f"register at {ceiling}",
                        ceiling,
                        register.marking,
                        xlsx_parts(register.path),
                    )
                )
                for code, level in agencies:
                    if LEVELS.index(level) > LEVELS.index(ceiling):
                        continue
                    sent = export_workbook(
                        desk,
                        ExportRequest(agency=code, ceiling=ceiling),
                        folder / f"return-{code}-{ceiling}.xlsx",
                    )
                    made.append(
                        Output(
                            f"return for {code} at {ceiling}",
                            ceiling,
                            sent.marking,
                            xlsx_parts(sent.path),
                        )
                    )
    return made


def test_every_kind_and_every_reference_is_planted(canary_desk) -> None:
    _, planting = canary_desk
    planted = {(c.table, c.level) for c in planting.canaries}
    for table in sensitive_tables():
        for level in LEVELS:
            assert (table.name, level) in planted, f"no canary {table.name} at {level}"
    covered = {name for name, _, _ in planting.references}
    assert covered == references_between_sensitive_kinds()


def test_nothing_above_the_ceiling_leaves_any_output(canary_desk, outputs) -> None:
    _, planting = canary_desk
    leaks = []
    for output in outputs:
        for token, where in found_tokens(output.parts, planting.above(output.ceiling)).items():
            canary = next(c for c in planting.canaries if c.token == token)
            leaks.append(f"{output.name}: {canary.table} at {canary.level} in {', '.join(where)}")
    assert leaks == []


def test_every_output_carries_what_its_ceiling_admits(canary_desk, outputs) -> None:
    """Not vacuous: each pack and register shows commitments at its ceiling's level."""
    _, planting = canary_desk
    for output in outputs:
        if output.name.startswith("return"):
            continue
        at_ceiling = [
            c for c in planting.canaries if c.table == "commitment" and c.level == output.ceiling
        ]
        assert found_tokens(output.parts, at_ceiling), output.name


def _deciders(path: Path, planting: Planting, found: set[str], ceiling: str) -> set[str]:
    """The levels of the records that decide a derived value printed for a
    commitment shown: its latest history entry and its binding target, when the
    audience may see them."""
    shown = {c.record_id for c in planting.canaries if c.table == "commitment" and c.token in found}
    levels: set[str] = set()
    with open_desk(path, read_only=True) as desk, desk.connect() as connection:
        entries = connection.execute(
            select(t.status_entry).where(
                t.status_entry.c.commitment_id.in_(shown), t.status_entry.c.retired_at.is_(None)
            )
        ).all()
        targets = connection.execute(
            select(t.target).where(
                t.target.c.commitment_id.in_(shown), t.target.c.retired_at.is_(None)
            )
        ).all()
    for commitment_id in shown:
        for decider in (
            latest_entry(e for e in entries if e.commitment_id == commitment_id),
            binding_target(x for x in targets if x.commitment_id == commitment_id),
        ):
            if decider is not None and LEVELS.index(decider.sensitivity) <= LEVELS.index(ceiling):
                levels.add(decider.sensitivity)
    return levels


def test_every_output_is_marked_with_the_highest_level_it_contains(canary_desk, outputs) -> None:
    path, planting = canary_desk
    wrong = []
    for output in outputs:
        found = set(found_tokens(output.parts, planting.canaries))
        contained = {planting.level_of(token) for token in found}
        contained |= _deciders(path, planting, found, output.ceiling)
        expected = highest(contained).title()
        if output.marking_label != expected:
            wrong.append(f"{output.name}: marked {output.marking_label}, contains {expected}")
    assert wrong == []


def test_every_output_says_how_much_was_withheld(outputs) -> None:
    for output in outputs:
        text = "\n".join(output.parts.values())
        assert "withheld" in text.casefold(), output.name


# -- derived values: decided by a withheld record, they say "withheld" ---------------------


@pytest.fixture
def derivation_desk(new_desk_location: Path) -> Path:
    """One PUBLIC commitment of a PUBLIC ministry whose later facts are marked
    higher: an INTERNAL then a RESTRICTED progress entry (completed), and a
    INTERNAL target revising its PUBLIC one (so the PUBLIC target, long passed,
    is no longer in force); a baseline frozen while the INTERNAL entry was the
    latest; and a PUBLIC participation in the CNS (the catalogue holds no Dutch row for
    it) ratified in a CONFIDENTIAL step."""
    from nsdesk.services.records.record_service import RecordService

    with open_desk(new_desk_location) as desk:
        records = RecordService(desk, today=lambda: date(2026, 11, 22))
        records.create(
            "agency", {"code": "MOJ", "name": "Ministry of Justice", "sensitivity": "PUBLIC"}
        )
        commitment = records.create(
            "commitment",
            {
                "title": "Ratify and implement ICSANT",
                "pledged_on": "2024-01-01",
                "lead_agency": "MOJ",
                "sensitivity": "PUBLIC",
            },
        )
        for day, status, level in (
            ("2025-01-01", "pledged", "PUBLIC"),
            ("2025-03-01", "in progress", "INTERNAL"),
            ("2025-06-01", "completed", "RESTRICTED"),
        ):
            records.record_progress(
                commitment.key, status=status, entry_date=day, sensitivity=level
            )
        first = records.create(
            "target", {"commitment": commitment.key, "due": "2025-12-31", "sensitivity": "PUBLIC"}
        )
        records.create(
            "target",
            {
                "commitment": commitment.key,
                "due": "2027-06-30",
                "revises": first.uuid,
                "sensitivity": "INTERNAL",
            },
        )
        records.create(
            "baseline",
            {"name": "Before the completion", "as_of": "2025-04-01", "sensitivity": "PUBLIC"},
        )
        participation = records.create(
            "participation", {"party": "NLD", "instrument": "cns", "sensitivity": "PUBLIC"}
        )
        for kind, day, level in (
            ("signature", "2020-05-01", "PUBLIC"),
            ("ratification", "2024-05-01", "CONFIDENTIAL"),
        ):
            records.create(
                "milestone",
                {
                    "participation": participation.uuid,
                    "kind": kind,
                    "actual": day,
                    "sensitivity": level,
                },
            )
    return new_desk_location


def _return_row(path: Path) -> dict[str, object]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["Commitments"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and "Ref" in row)
    header = rows[header_at]
    return dict(zip(header, rows[header_at + 1], strict=False))


@pytest.mark.parametrize(
    ("ceiling", "status", "target", "marking"),
    [
        ("PUBLIC", "Status withheld", "(withheld)", "Public"),
        ("INTERNAL", "Status withheld", "2027-06-30", "Internal"),
        ("RESTRICTED", "Completed", "2027-06-30", "Restricted"),
    ],
)
def test_a_return_derives_status_and_target_from_what_it_may_show(
    derivation_desk: Path, tmp_path: Path, ceiling: str, status: str, target: str, marking: str
) -> None:
    """The stale status (in progress) and the passed, revised target (2025-12-31)
    are never printed as current; every level that decides what is shown counts."""
    with open_desk(derivation_desk) as desk:
        sent = export_workbook(
            desk, ExportRequest(agency="MOJ", ceiling=ceiling), tmp_path / "return.xlsx"
        )
    row = _return_row(sent.path)
    assert row["Status"] == status
    shown_target = row["Target"]
    if hasattr(shown_target, "date"):
        shown_target = shown_target.date().isoformat()
    assert str(shown_target) == target
    assert sent.marking == marking


@pytest.mark.parametrize(
    ("ceiling", "target"), [("PUBLIC", "(withheld)"), ("INTERNAL", "30 Jun 2027")]
)
def test_a_pack_never_briefs_a_stale_status_as_current(
    derivation_desk: Path, tmp_path: Path, ceiling: str, target: str
) -> None:
    from tests.briefing.pdf_reading import read_pdf

    with open_desk(derivation_desk) as desk:
        pack = write_briefing(
            desk,
            BriefingRequest(
                as_of=AS_OF,
                baseline="Before the completion",
                ceiling=ceiling,
                deterministic=True,
            ),
            tmp_path / "pack.pdf",
        )
    text = " ".join(read_pdf(pack.path).text.split())
    # Not late: what decides it (the latest status, the target in force) is withheld.
    assert "Late and at-risk items 0 late and 0 at risk" in text
    assert "1 commitment is not counted as late or at risk" in text
    row = f"C-0001 Ratify and implement ICSANT Ministry of Justice {target} Status withheld"
    assert row in text
    assert "1 commitment is not listed: its status at the baseline or now" in text
    assert "Status changes None." in text  # no move from or to a stale status
    # The CNS: a CONFIDENTIAL ratification would change "Signed" into a party.
    assert "CNS" in text
    assert "Signed" not in text
    assert pack.marking_label == ("Public" if ceiling == "PUBLIC" else "Internal")


def test_a_pack_at_the_ceiling_of_every_fact_tells_them_all(
    derivation_desk: Path, tmp_path: Path
) -> None:
    from tests.briefing.pdf_reading import read_pdf

    with open_desk(derivation_desk) as desk:
        pack = write_briefing(
            desk,
            BriefingRequest(
                as_of=AS_OF,
                baseline="Before the completion",
                ceiling="CONFIDENTIAL",
                deterministic=True,
            ),
            tmp_path / "pack.pdf",
        )
    text = " ".join(read_pdf(pack.path).text.split())
    assert "Status withheld" not in text
    assert "In progress Completed" in text  # the move since the baseline, before → now
    assert pack.marking_label == "Confidential"


# -- who else has joined: a standing the user marked higher is not counted ------------------


@pytest.mark.parametrize(
    ("ceiling", "marking"), [("PUBLIC", "Public"), ("RESTRICTED", "Restricted")]
)
def test_a_pack_never_counts_a_standing_above_its_ceiling(
    new_desk_location: Any, tmp_path: Path, ceiling: str, marking: str
) -> None:
    """The catalogue's facts are public, but a user may mark one higher: Switzerland's
    participation in the CPPNM amendment, marked RESTRICTED, neither counts nor
    names Switzerland in a pack below that ceiling (the section says a standing is
    withheld), and the pack at that ceiling counts it and is marked so."""
    from nsdesk.services.records.record_service import RecordService
    from tests.briefing.pdf_reading import read_pdf

    p, party, instrument = t.participation, t.party, t.instrument
    with open_desk(new_desk_location) as desk:
        with desk.connect() as connection:
            uuid = connection.execute(
                select(p.c.uuid)
                .join(party, party.c.id == p.c.party_id)
                .join(instrument, instrument.c.id == p.c.instrument_id)
                .where(party.c.code == "CHE", instrument.c.code == "cppnm_a")
            ).scalar_one()
        RecordService(desk).update("participation", uuid, {"sensitivity": "RESTRICTED"})
        pack = write_briefing(
            desk,
            BriefingRequest(
                as_of=AS_OF, sections=("universalization",), ceiling=ceiling, deterministic=True
            ),
            tmp_path / "pack.pdf",
        )
    text = " ".join(read_pdf(pack.path).text.split())
    amendment = text[text.index("A/CPPNM (CPPNM/A) States") :]
    lobbying = text[text.index("Lobbying list") :]
    if ceiling == "PUBLIC":
        assert "1 state's standing marked above Public withheld" in text
        assert amendment.startswith("A/CPPNM (CPPNM/A) States 23 parties")
        assert "1 withheld" in amendment[:120]
        assert "Switzerland" not in lobbying  # neither to press nor shown as joined
        assert "1 state marked above Public withheld" in lobbying
    else:
        assert amendment.startswith("A/CPPNM (CPPNM/A) States 24 parties")
        assert "withheld" not in amendment[:120]
    assert pack.marking_label == marking


# -- changes files: what one laptop sends another leaves the desk too ----------------------


@dataclass
class SentFile:
    """A changes file sent at a ceiling: its decompressed lines, its header's marking."""

    ceiling: str
    marking: str
    parts: dict[str, str]
    sealed: bytes


@pytest.fixture(scope="module")
def changes_files(
    canary_desk: tuple[Path, Planting], tmp_path_factory: pytest.TempPathFactory
) -> list[SentFile]:
    """Every record of the canary desk logged as a creation (as the unit of work logs
    a record it creates: its values, sets and the UUIDs it names), then a changes file
    of everything at each ceiling, in clear and sealed with a passphrase."""
    from nsdesk.exchange.changes import lines as wire
    from nsdesk.services.merge.codec import codecs, row_snapshot
    from nsdesk.services.merge.sending import export_changes
    from nsdesk.services.setup.copy_desk import copy_desk
    from nsdesk.store.bulk import insert_rows

    source, _ = canary_desk
    folder = tmp_path_factory.mktemp("changes-walls")
    made: list[SentFile] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSDESK_HOME", str(folder / "home"))
        # A copy of the canary desk (a file or a database) as a desk file: the
        # creations logged below must not reach the other tests' desk.
        path = copy_desk(source, folder / "sending.nsdesk").target
        with open_desk(path) as desk, desk.engine.begin() as connection:
            ctx = AuditContext(Actor("walls test"))
            logged = set(
                connection.execute(
                    select(t.audit_entry.c.record_uuid).where(t.audit_entry.c.action == "create")
                ).scalars()
            )
            rows = []
            for name, codec in codecs().items():
                for row in connection.execute(select(codec.table)).mappings():
                    if row["uuid"] in logged:
                        continue
                    values, refs = row_snapshot(connection, codec, row)
                    (entry,) = creation_rows(ctx, name, [(row["uuid"], row["uuid"], values)])
                    rows.append({**entry, "refs": refs or None})
            insert_rows(connection, t.audit_entry, rows)
        with open_desk(path, read_only=True) as desk:
            for ceiling in CEILINGS:
                clear = export_changes(
                    desk, folder / f"clear-{ceiling}", everything=True, ceiling=ceiling
                )
                sealed = export_changes(
                    desk,
                    folder / f"sealed-{ceiling}",
                    everything=True,
                    ceiling=ceiling,
                    passphrase="walls passphrase",
                )
                text = gzip.decompress(clear.path.read_bytes()).decode("utf-8")
                header = wire.loads(text.splitlines()[0].encode())[0]
                assert header["marking"] == clear.marking == sealed.marking
                made.append(
                    SentFile(
                        ceiling,
                        clear.marking,
                        {"changes": text, "json": _unescaped(text)},
                        sealed.path.read_bytes(),
                    )
                )
    return made


def _unescaped(text: str) -> str:
    """Every JSON string of the lines as its characters (a token written with escapes
    is still the token)."""
    return json.dumps([json.loads(line) for line in text.splitlines()], ensure_ascii=False)


def test_a_changes_file_carries_nothing_above_its_ceiling(canary_desk, changes_files) -> None:
    _, planting = canary_desk
    leaks = []
    for sent in changes_files:
        for token in found_tokens(sent.parts, planting.canaries):
            canary = next(c for c in planting.canaries if c.token == token)
            if LEVELS.index(canary.level) > LEVELS.index(sent.ceiling):
                leaks.append(f"changes at {sent.ceiling}: {canary.table} at {canary.level}")
    assert leaks == []


def test_a_changes_file_carries_what_its_ceiling_admits_and_says_its_highest_marking(
    canary_desk, changes_files
) -> None:
    _, planting = canary_desk
    for sent in changes_files:
        found = found_tokens(sent.parts, planting.canaries)
        admitted = [
            c for c in planting.canaries if c.table == "commitment" and c.level == sent.ceiling
        ]
        assert admitted
        assert all(c.token in found for c in admitted), sent.ceiling
        contained = {planting.level_of(token) for token in found}
        assert sent.marking == highest(contained), (sent.ceiling, sent.marking)


def test_a_sealed_changes_file_shows_no_record_even_decompressed(
    canary_desk, changes_files
) -> None:
    _, planting = canary_desk
    for sent in changes_files:
        try:
            opened = gzip.decompress(sent.sealed)
        except OSError:
            opened = sent.sealed
        seen = opened.decode("latin-1")
        assert found_tokens({"sealed": seen}, planting.canaries) == {}, sent.ceiling
        assert sent.marking.encode() in opened  # the envelope says the marking in clear
