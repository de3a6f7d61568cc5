"""The hybrid logical clock: stamps only ever increase, whatever the wall clock does."""

import pytest

from nsdesk.domain.hlc import MAX_COUNTER, HlcStamp, HybridClock

REPLICA = "2317aa15-82bb-48ea-9c97-a63daa3c2942"


class SteppedClock:
    """A wall clock the test sets by hand (milliseconds)."""

    def __init__(self, ms: int):
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_follow_the_wall_clock_while_it_moves_forward():
    wall = SteppedClock(1_796_000_000_000)
    clock = HybridClock(REPLICA, now_ms=wall)
    first = clock.tick()
    wall.ms += 250
    second = clock.tick()
    assert (first.ms, first.counter) == (1_796_000_000_000, 0)
    assert (second.ms, second.counter) == (1_796_000_000_250, 0)


def test_stamps_keep_increasing_when_the_wall_clock_steps_back_or_stands_still():
    wall = SteppedClock(1_796_000_000_000)
    clock = HybridClock(REPLICA, now_ms=wall)
    stamps = [clock.tick()]
    for moment in (1_796_000_000_000, 1_795_999_000_000, 1_700_000_000_000, 1_796_000_000_000):
        wall.ms = moment  # the same millisecond, an hour back, years back, back again
        stamps.append(clock.tick())
    assert stamps == sorted(stamps)
    assert len({str(s) for s in stamps}) == len(stamps)
    assert [str(s) for s in stamps] == sorted(str(s) for s in stamps)  # as text too
    assert all(s.ms == 1_796_000_000_000 for s in stamps)  # never went back to the wall
    wall.ms = 1_796_000_000_001
    assert clock.tick() == HlcStamp(1_796_000_000_001, 0, REPLICA)


def test_a_full_counter_borrows_the_next_millisecond_instead_of_wrapping():
    wall = SteppedClock(1_000)
    clock = HybridClock(REPLICA, (1_000, MAX_COUNTER - 1), now_ms=wall)
    assert clock.tick() == HlcStamp(1_000, MAX_COUNTER, REPLICA)
    assert clock.tick() == HlcStamp(1_001, 0, REPLICA)


def test_a_clock_started_where_the_last_session_stopped_never_goes_back():
    wall = SteppedClock(1_796_000_000_000)
    ahead = (1_796_000_360_000, 7)  # kept by a session whose wall clock ran an hour fast
    clock = HybridClock(REPLICA, ahead, now_ms=wall)
    assert (clock.tick().ms, clock.last) == (1_796_000_360_000, (1_796_000_360_000, 8))


def test_a_stamp_seen_elsewhere_moves_the_clock_past_it():
    wall = SteppedClock(1_000)
    clock = HybridClock(REPLICA, now_ms=wall)
    clock.observe(f"{5_000:015d}-00003-another-replica")
    stamp = clock.tick()
    assert (stamp.ms, stamp.counter) == (5_000, 4)
    clock.observe(HlcStamp(10, 0, "older"))  # an older one changes nothing
    assert clock.tick() == HlcStamp(5_000, 5, REPLICA)


def test_a_stamp_reads_back_from_its_text_and_refuses_what_is_not_one():
    stamp = HlcStamp(1_796_000_000_000, 42, REPLICA)
    assert str(stamp) == f"001796000000000-00042-{REPLICA}"
    assert HlcStamp.parse(str(stamp)) == stamp
    with pytest.raises(ValueError, match="not a clock stamp"):
        HlcStamp.parse("2026-12-06T14:05")
