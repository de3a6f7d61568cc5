"""What the command line prints is safe to print: user values shortened, with no
control sequence or hidden character reaching the terminal; and an existing output
file is never replaced without --force."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from nsdesk.cli import main
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from tests.exchange.workbooks import column_of

NARRATIVE = ("The ministry reports that the regulation was adopted and published. " * 80)[
    :4_997
] + "END"


def _return_with(demo_desk_location: Path, folder: Path, edits: dict[tuple[int, str], str]) -> Path:
    """The demo's MFA return with cells set as a ministry (or an attacker) would."""
    from nsdesk.services.desk import open_desk

    with open_desk(demo_desk_location) as desk:
        path = export_workbook(desk, ExportRequest(agency="MFA"), folder / "mfa.xlsx").path
    wb = openpyxl.load_workbook(path)
    ws = wb["Commitments"]
    for (row, header), value in edits.items():
        if header not in [c.value for c in ws[2]]:
            ws.cell(2, ws.max_column + 1).value = header
        ws.cell(row, column_of(ws, header)).value = value
    wb.save(folder / "back.xlsx")
    return folder / "back.xlsx"


def test_a_long_value_in_a_dry_run_is_shortened_with_its_length(
    demo_desk_location, tmp_path, capsys
):
    assert len(NARRATIVE) == 5_000
    back = _return_with(
        demo_desk_location, tmp_path, {(3, "Progress since last update"): NARRATIVE}
    )
    assert main(["import", str(demo_desk_location), str(back), "--dry-run"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "Progress since last update" in line)
    assert line.endswith("' … (5,000 characters)")
    assert "-> 'The ministry reports that the regulation was adopted" in line
    assert "END" not in out
    assert max(len(line) for line in out.splitlines()) < 300


def test_escape_sequences_and_hidden_characters_never_reach_the_terminal(
    demo_desk_location, tmp_path, capsys
):
    back = _return_with(
        demo_desk_location,
        tmp_path,
        {
            # Calamine reads _x001B_ as ESC and _x000D_ as CR, as Excel writes them.
            (3, "Next steps"): "_x001B_[2J_x001B_[31mPWNED_x000D_Sign off",
            (4, "Evidence"): "Decree \u202e2026-14\u202c of the\u200b minister\ufeff",
            (3, "Comment _x001B_]0;owned_x0007_\u2067"): "an extra column",
        },
    )
    assert main(["import", str(demo_desk_location), str(back), "--dry-run"]) == 1
    captured = capsys.readouterr()
    everything = captured.out + captured.err
    for raw in ("\x1b", "\r", "\x07", "\u202e", "\u202c", "\u200b", "\ufeff", "\u2067"):
        assert raw not in everything, repr(raw)
    # The refused cell is named with its value written out, so the user sees it.
    assert "('\\x1b[2J\\x1b[31mPWNED\\rSign off')" in captured.err
    assert "-> 'Decree 2026-14 of the minister'" in captured.out
    assert "the column 'Comment \\x1b]0;owned\\x07\\u2067' is not one" in captured.out


def test_check_prints_a_delegation_name_without_its_hidden_characters(tmp_path, capsys):
    desk = tmp_path / "d.nsdesk"
    name = "Permanent Mission\u202e in\u200b Vienna"
    assert main(["init", str(desk), "--state", "NLD", "--delegation", name]) == 0
    capsys.readouterr()
    assert main(["check", str(desk)]) == 0
    out = capsys.readouterr().out
    assert "Delegation: Permanent Mission in Vienna\n" in out


# -- an existing output file ------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("command", "name", "extra"),
    [("export", "old.xlsx", []), ("brief", "old.pdf", ["--sections", "cover"])],
)
def test_an_existing_output_is_replaced_only_with_force(
    demo_desk_location, tmp_path, capsys, command, name, extra
):
    out = tmp_path / name
    out.write_bytes(b"the user's own file, not to be lost\n")
    before = _digest(out)

    assert main([command, str(demo_desk_location), "-o", str(out), *extra]) == 1
    err = capsys.readouterr().err
    assert f"{out} already exists; nothing was written. Add --force to replace it." in err
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "demo.nsdesk") == [name]

    assert main([command, str(demo_desk_location), "-o", str(out), "--force", *extra]) == 0
    assert _digest(out) != before
    assert out.read_bytes()[:4] == (b"PK\x03\x04" if command == "export" else b"%PDF")
