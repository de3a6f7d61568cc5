"""Hybrid logical clock stamps: the order in which changes are *shown*, and the
deterministic tie-break between two changes — never which change wins.

A stamp is ``"<ms since epoch, 15 digits>-<counter, 5 digits>-<replica id>"``, so
stamps sort as text in clock order, and two replicas never make the same stamp.
The clock follows the wall clock while it moves forward; when the wall clock
stands still or steps back (a laptop's clock corrected, a time zone change gone
wrong) it keeps its last millisecond and counts up, so a replica's stamps only
ever increase. A stamp seen from elsewhere (:meth:`HybridClock.observe`) moves the
clock past it, so a change made after reading another one is stamped after it.

Whether two changes are concurrent is decided by their history (each change
names the change it replaced), not by these stamps: a laptop with a wrong clock
can make its stamps misleading, never a merge wrong.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MS_DIGITS = 15
COUNTER_DIGITS = 5
MAX_COUNTER = 10**COUNTER_DIGITS - 1


def wall_clock_ms() -> int:
    """Milliseconds since the Unix epoch, by the laptop's clock."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True, order=True)
class HlcStamp:
    """One stamp: physical milliseconds, a counter within them, the replica."""

    ms: int
    counter: int
    replica_id: str

    def __str__(self) -> str:
        return f"{self.ms:0{MS_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.replica_id}"

    @classmethod
    def parse(cls, text: str) -> HlcStamp:
        """A stamp from its text; ``ValueError`` when ``text`` is not one."""
        ms, counter, replica = text.split("-", 2)
        if len(ms) != MS_DIGITS or len(counter) != COUNTER_DIGITS or not replica:
            raise ValueError(f"not a clock stamp: {text!r}")
        return cls(int(ms), int(counter), replica)


class HybridClock:
    """The hybrid logical clock of one replica (thread-safe).

    ``last`` is where the clock stands (0, 0 for a new one); ``now_ms`` reads the
    wall clock (a test can give a clock that steps back)."""

    def __init__(
        self,
        replica_id: str,
        last: tuple[int, int] = (0, 0),
        *,
        now_ms: Callable[[], int] = wall_clock_ms,
    ):
        self.replica_id = replica_id
        self._ms, self._counter = last
        self._now_ms = now_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> tuple[int, int]:
        """(ms, counter) of the latest stamp made or observed: what to keep."""
        with self._lock:
            return self._ms, self._counter

    def tick(self) -> HlcStamp:
        """A new stamp, later than every stamp this clock made or observed."""
        with self._lock:
            self._advance(self._now_ms())
            return HlcStamp(self._ms, self._counter, self.replica_id)

    def observe(self, stamp: HlcStamp | str) -> None:
        """Move the clock past a stamp seen elsewhere (a change merged, a desk opened)."""
        seen = HlcStamp.parse(stamp) if isinstance(stamp, str) else stamp
        with self._lock:
            if (seen.ms, seen.counter) > (self._ms, self._counter):
                self._ms, self._counter = seen.ms, seen.counter

    def _advance(self, physical: int) -> None:
        if physical > self._ms:
            self._ms, self._counter = physical, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:  # the counter is full: borrow the next millisecond rather than wrap
            self._ms, self._counter = self._ms + 1, 0
