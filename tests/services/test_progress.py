"""Long work reports how far it got and stops, leaving nothing behind, when cancelled."""

from __future__ import annotations

import pytest

from nsdesk.domain.errors import CancelledError, NsdeskError
from nsdesk.services.desk import open_desk
from nsdesk.services.progress import Progress
from nsdesk.services.setup.demo import create_demo_desk
from nsdesk.services.setup.new_desk import create_desk, state_choices
from tests.conftest import DEMO_DAY


def _cancelled_at(step: str) -> Progress:
    """A progress whose Cancel is pressed when ``step`` starts, the work going on."""
    progress: list[Progress] = []

    def report(_done: int, _total: int, text: str) -> None:
        if text == step:
            progress[0].cancel()

    progress.append(Progress(report))
    return progress[0]


def _left(folder, profile):
    """What is in ``folder`` besides the profile (which a test keeps there), and any
    replica the profile kept of a desk that was never made."""
    return [p for p in folder.iterdir() if p != profile] + list(profile.rglob("*.json"))


def test_a_progress_nobody_watches_is_never_cancelled():
    progress = Progress.none()
    progress.report(1, 2, "half")
    progress.check_cancelled()
    progress.cancel()
    with pytest.raises(CancelledError):
        progress.check_cancelled()
    assert issubclass(CancelledError, NsdeskError)


def test_a_part_lands_in_its_share_of_the_whole_and_shares_the_cancel_flag():
    seen = []
    whole = Progress(lambda done, total, text: seen.append((done, total, text)))
    part = whole.part(20, 60, 100)
    part.report(0, 4, "a")
    part.report(2, 4, "b")
    part.report(4, 4, "c")
    part.report(9, 4, "past the end")
    assert seen == [(20, 100, "a"), (40, 100, "b"), (60, 100, "c"), (60, 100, "past the end")]
    whole.cancel()
    assert part.cancelled


def test_making_the_demo_reports_steps_that_only_go_forward(tmp_path):
    seen = []
    progress = Progress(lambda done, total, text: seen.append((done, total, text)))
    path, _ = create_demo_desk(tmp_path / "demo.nsdesk", today=DEMO_DAY, progress=progress)
    done = [d for d, _, _ in seen]
    assert done == sorted(done)
    assert done[0] == 0
    assert seen[-1][:2] == (100, 100)
    assert {total for _, total, _ in seen} == {100}
    assert len({text for _, _, text in seen}) >= 8  # the user sees the steps pass
    assert "Adding commitments and their histories" in {text for _, _, text in seen}
    with open_desk(path) as desk:
        assert desk.info().is_demo


@pytest.mark.parametrize(
    "stop_at",
    [
        "Adding the catalogue",
        "Adding the joint statements",
        "Adding commitments and their histories",
    ],
)
def test_cancelling_the_demo_leaves_no_file_behind(tmp_path, stop_at, nsdesk_home):
    with pytest.raises(CancelledError):
        create_demo_desk(tmp_path / "demo.nsdesk", today=DEMO_DAY, progress=_cancelled_at(stop_at))
    assert _left(tmp_path, nsdesk_home) == []  # no desk, no temporary file, no journal


def test_cancelling_a_new_desk_at_its_last_step_leaves_no_file_behind(tmp_path, nsdesk_home):
    with pytest.raises(CancelledError):
        create_desk(
            tmp_path / "desk.nsdesk", state="NLD", progress=_cancelled_at("Saving the desk")
        )
    assert _left(tmp_path, nsdesk_home) == []


def test_the_states_offered_for_a_new_desk_carry_the_names_the_desk_shows():
    states = dict(state_choices())
    assert states["NLD"] == "Netherlands"
    assert states["KOR"] == "Republic of Korea"
    names = [name.casefold() for name in states.values()]
    assert names == sorted(names)
