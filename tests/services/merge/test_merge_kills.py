"""kill -9 at random moments during a merge: each killed merge leaves the desk exactly
as before (every row) or exactly as after (the whole file merged and recorded), its
integrity intact. Five trials here; ``make bench`` runs twenty or more on a larger
file (bench/merge_kill_trials.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from merge_kill_trials import prepare, run_trials

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


def test_a_merge_killed_at_any_moment_is_all_or_nothing(demo_desk_path, tmp_path):
    desk, sent, home = prepare(demo_desk_path, tmp_path / "laptops", rounds=6)
    trials = run_trials(desk, sent, home, 5, seed=18)
    assert [t for t in trials if not t.sound] == []
    assert len(trials) == 5
