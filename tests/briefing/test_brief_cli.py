"""``nsdesk brief`` per PRODUCT.md: the pack from the command line, its exit
statuses, and what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nsdesk.cli import main
from nsdesk.services.audit import Actor
from nsdesk.services.briefing.profiles import BriefingProfile, save_profile
from nsdesk.services.desk import open_desk
from tests.briefing.pdf_reading import read_pdf


def test_brief_writes_the_demo_pack_from_a_fresh_process(
    demo_desk_location: Path, tmp_path
) -> None:
    out = tmp_path / "pack.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nsdesk",
            "brief",
            str(demo_desk_location),
            "-o",
            str(out),
            "--as-of",
            "2026-11-22",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}:" in done.stdout
    assert "marked Internal" in done.stdout
    assert "withheld" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert "Executive summary" in read_pdf(out).text


def test_options_choose_event_sections_ceiling_and_paper(
    demo_desk_location, tmp_path, capsys
) -> None:
    out = tmp_path / "short.pdf"
    code = main(
        [
            "brief",
            str(demo_desk_location),
            "-o",
            str(out),
            "--as-of",
            "2026-11-22",
            "--sections",
            "cover, Executive summary,deadlines",
            "--ceiling",
            "restricted",
            "--paper",
            "Letter",
            "--baseline",
            "As reported at The Hague 2014",
        ]
    )
    assert code == 0
    assert "marked Restricted" in capsys.readouterr().out
    pdf = read_pdf(out)
    assert "Upcoming deadlines" in pdf.text
    assert "Detailed sheets" not in pdf.text
    assert round(float(pdf.reader.pages[0].mediabox.width)) == 612


def test_a_saved_profile_gives_the_sections_and_options(
    demo_desk_location, tmp_path, capsys
) -> None:
    with open_desk(demo_desk_location) as desk:
        save_profile(
            desk,
            BriefingProfile("Sherpa short", ("cover", "alerts"), {"ceiling": "PUBLIC"}),
            actor=Actor("officer@laptop"),
        )
    out = tmp_path / "profile.pdf"
    assert (
        main(["brief", str(demo_desk_location), "-o", str(out), "--profile", "sherpa short"]) == 0
    )
    assert "marked Public" in capsys.readouterr().out
    text = read_pdf(out).text
    assert "Late and at-risk items" in text
    assert "Executive summary" not in text


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (["--sections", "cover,gossip"], 2, "--sections"),
        (["--as-of", "22/11/2026"], 2, "--as-of"),
        (["--event", "no_such_event"], 1, "no event 'no_such_event'"),
        (["--ceiling", "TOP_SECRET"], 1, "Audience ceiling"),
        (["--baseline", "Never frozen"], 1, "Never frozen"),
        (["--profile", "Nobody's"], 1, "Nobody's"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_writes_nothing(
    demo_desk_location, tmp_path, capsys, arguments, status, message
) -> None:
    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()
    assert main(["brief", str(demo_desk_location), "-o", str(out), *arguments]) == status
    assert message in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []


def test_a_missing_output_folder_is_refused(demo_desk_location, tmp_path, capsys) -> None:
    out = tmp_path / "nowhere" / "pack.pdf"
    assert main(["brief", str(demo_desk_location), "-o", str(out)]) == 1
    assert "Output file" in capsys.readouterr().err


def test_a_desk_that_is_not_there_exits_3(tmp_path, capsys) -> None:
    assert main(["brief", str(tmp_path / "none.nsdesk"), "-o", str(tmp_path / "x.pdf")]) == 3
