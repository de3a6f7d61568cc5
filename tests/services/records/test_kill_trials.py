"""kill -9 during a bulk edit leaves the desk exactly before or after each edit.
(make bench runs 25 such trials on a larger desk and prints the figure.)"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from kill_trials import all_or_nothing, run_trials


@pytest.mark.file_desk  # each trial starts from a fresh copy of the desk file
def test_bulk_edits_killed_at_random_moments_are_all_or_nothing(demo_desk_path):
    results = run_trials(demo_desk_path, trials=3, seed=7, max_delay=1.5)
    assert all_or_nothing(results), results
    print("kill -9 trials:", [(round(t.delay, 2), t.edits_committed) for t in results])
