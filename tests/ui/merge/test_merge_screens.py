"""The merge's windows on the screens delegations have, shot and checked in a process
of their own (:mod:`tests.ui.merge.merge_tour`); ``make screenshots`` keeps them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk

SCREENS = ((1024, 700), (1280, 800), (1920, 1080))
SHOTS = {
    "merge-first-contact",
    "merge-verify",
    "merge-preview",
    "merge-conflicts",
    "merge-result",
    "commitments-conflicts",
    "commitments-conflict-marker",
    "conflicts",
    "merge-history",
    "send-changes",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    wanted = os.environ.get("NSDESK_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path / "screenshots"


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=lambda v: str(v))
def test_every_merge_window_fits_the_screen(demo_desk_path, folder, tmp_path, width, height):
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "logicalDpi": 96,
                        "width": width,
                        "height": height,
                    }
                ]
            }
        )
    )
    shots = folder / f"{width}x{height}" / "merge"
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.merge.merge_tour", str(demo_desk_path), str(shots)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[3],
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["shots"]) >= SHOTS, SHOTS - set(report["shots"])
    said = "\n".join(f"{shot}: {p}" for shot, found in report["problems"].items() for p in found)
    assert not report["problems"], f"on {width}×{height}:\n{said}"
