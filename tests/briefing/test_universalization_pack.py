"""The pack's Universalization section on the demo desk, read back from the PDF: each
instrument's figures are the desk's, the lobbying list is exactly what the data says,
the map is drawn as vectors with its legend and date, and the Instruments section
says how many states are party by the latest dated count."""

from __future__ import annotations

from pathlib import Path

import pytest

from nsdesk.cli import main
from nsdesk.domain.enums import Standing
from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.services.desk import open_desk
from nsdesk.services.overview.party_standing import instrument_standings
from nsdesk.services.universalization.geography import geography
from tests.briefing.pdf_reading import read_pdf
from tests.conftest import DEMO_DAY

SECTIONS = ("cover", "instruments", "universalization")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pack(demo_desk_path: Path, tmp_path: Path):
    with open_desk(demo_desk_path) as desk:
        outcome = write_briefing(
            desk,
            BriefingRequest(
                as_of=DEMO_DAY, sections=SECTIONS, ceiling="INTERNAL", deterministic=True
            ),
            tmp_path / "pack.pdf",
        )
        cppnm, _ = instrument_standings(desk, "cppnm", DEMO_DAY)
        amendment, _ = instrument_standings(desk, "cppnm_a", DEMO_DAY)
        icsant, _ = instrument_standings(desk, "icsant", DEMO_DAY)
    return outcome, read_pdf(outcome.path), {"cppnm": cppnm, "cppnm_a": amendment, "icsant": icsant}


def _count(standings, standing: Standing) -> int:
    return sum(s.standing is standing and s.kind.value == "state" for s in standings)


def test_each_instrument_says_how_many_states_stand_where(pack) -> None:
    _outcome, pdf, standings = pack
    text = _flat(pdf.text)
    assert "Universalization" in text
    icsant = standings["icsant"]
    parties, signatories = _count(icsant, Standing.PARTY), _count(icsant, Standing.SIGNATORY)
    assert (parties, signatories) == (119, 32)
    assert f"States {parties} parties, {signatories} signatories only" in text
    assert "Our place Netherlands: party since 30 Jun 2010 (acceptance)" in text
    assert "ICSANT (Nuclear Terrorism Convention) as of 22 November 2026" in text  # the map
    # the counts over time, each with its source: the UN's count of May 2025
    assert "16 May 2025 127" in text
    # the Instruments section: how many are party on the pack's date, from the snapshots
    assert (
        "States party as of 22 November 2026: 127 parties on 16 May 2025, "
        "the latest dated count." in text
    )


def test_the_lobbying_list_is_the_data_and_says_how_partial_it_is(pack) -> None:
    _outcome, pdf, standings = pack
    weog = geography().region("group:western_european_others").members
    party = {s.code: s.name for s in standings["cppnm"] if s.standing is Standing.PARTY}
    joined = {s.code for s in standings["cppnm_a"] if s.standing is Standing.PARTY}
    expected = {name for code, name in party.items() if code in weog and code not in joined}
    assert expected  # not vacuous
    text = _flat(pdf.text)
    lobbying = text[text.index("Lobbying list") :]
    assert lobbying.startswith(
        f"Lobbying list {len(expected)} states of the Western European and other States are "
        "party to CPPNM and, as far as the desk lists, not to A/CPPNM"
    )
    listed = {name for name in (s.name for s in standings["cppnm"]) if f"{name} " in lobbying}
    assert listed == expected
    assert "Switzerland" not in lobbying  # party to both
    assert "a state it does not list may have joined" in lobbying


def test_the_map_is_vector_paths_with_a_legend(pack) -> None:
    outcome, pdf, _ = pack
    page = pdf.page_of("ICSANT (Nuclear Terrorism Convention) as of 22 November 2026")
    legend = "Party Signatory only Not a party or not listed Our state"
    assert legend in _flat(pdf.pages[page - 1])
    images = pdf.reader.pages[page - 1].images
    assert list(images) == []  # drawn, not a picture
    content = pdf.reader.pages[page - 1].get_contents().get_data()
    assert content.count(b" l ") > 2000  # thousands of outline points
    # three maps and all: small enough to mail
    assert outcome.path.stat().st_size < 400_000


def test_the_command_line_chooses_the_lobbying_region_and_refuses_an_unknown_one(
    demo_desk_path: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "africa.pdf"
    status = main(
        [
            "brief",
            str(demo_desk_path),
            "-o",
            str(out),
            "--as-of",
            "2026-11-22",
            "--sections",
            "universalization",
            "--region",
            "group:african",
            "--party-to",
            "icsant",
            "--not-party-to",
            "cppnm",
        ]
    )
    assert status == 0
    text = _flat(read_pdf(out).text)
    assert "states of the African States are party to ICSANT" in text
    status = main(
        ["brief", str(demo_desk_path), "-o", str(tmp_path / "x.pdf"), "--region", "group:nowhere"]
    )
    assert status != 0
    assert "group:nowhere" in capsys.readouterr().err


def test_a_profile_keeps_the_lobbying_choices(demo_desk_path: Path, tmp_path: Path) -> None:
    from nsdesk.services.audit import Actor
    from nsdesk.services.briefing.profiles import BriefingProfile, find_profile, save_profile

    with open_desk(demo_desk_path) as desk:
        save_profile(
            desk,
            BriefingProfile(
                "Lobbying Latin America",
                ("universalization",),
                {"region": "group:latin_american_caribbean", "not_party_to": "icsant"},
            ),
            actor=Actor("test"),
        )
        kept = find_profile(desk, "lobbying latin america")
    assert kept.options["region"] == "group:latin_american_caribbean"
    out = tmp_path / "latin.pdf"
    status = main(
        [
            "brief",
            str(demo_desk_path),
            "-o",
            str(out),
            "--as-of",
            "2026-11-22",
            "--profile",
            "Lobbying Latin America",
        ]
    )
    assert status == 0
    text = _flat(read_pdf(out).text)
    assert "of the Latin American and Caribbean States are party to CPPNM and" in text
    assert "not to ICSANT" in text
