"""Whether a server desk's connection is known to be lost, since when, and who wants
to know when that changes.

A desk file has no connection to lose. A server desk notices a lost connection when
a read or a save fails for it (or a probe does); from then on every edit is refused
with one sentence, before any transaction starts, until a probe reaches the server
again. What was being saved when the connection went was rolled back by the server:
a transaction is all or nothing, so nothing is ever half written.

No Qt here: the UI subscribes a callback (called on whichever thread noticed) and
carries it to its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from nsdesk.domain.errors import DeskError, LoginRefusedError, ServerUnreachableError
from nsdesk.domain.location import ServerAddress
from nsdesk.store.server import keep_typed_password, login_refusal

Listener = Callable[[bool], None]
"""Called with ``True`` when the connection is lost, ``False`` when it is back."""


class ConnectionState:
    """The connection to one server desk: lost (since when) or not."""

    def __init__(self, address: ServerAddress):
        self.address = address
        self.lost_at: datetime | None = None
        self._listeners: list[Listener] = []
        self._guard = threading.Lock()

    @property
    def lost(self) -> bool:
        """Whether the connection is known to be lost now."""
        return self.lost_at is not None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` at every change; returns what unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def mark_lost(self, when: datetime | None = None) -> None:
        """The connection was found lost (a failed read, save or probe)."""
        with self._guard:
            if self.lost_at is not None:
                return
            self.lost_at = when or datetime.now()
        self._tell(True)

    def mark_back(self) -> None:
        """A probe reached the server again: edits are accepted again."""
        with self._guard:
            if self.lost_at is None:
                return
            self.lost_at = None
        self._tell(False)

    def sentence(self) -> str:
        """What the bar and a refused edit say (no full stop)."""
        when = (self.lost_at or datetime.now()).strftime("%H:%M")
        return (
            f"The connection to the register on {self.address.register} was lost at {when}; "
            "edits are refused until it is back — nothing was half written"
        )

    def refusal(self) -> ServerUnreachableError:
        """The error an edit attempted while the connection is lost raises."""
        return ServerUnreachableError(self.address, self.sentence())

    def _tell(self, lost: bool) -> None:
        for listener in list(self._listeners):
            listener(lost)


def password_wanted(address: ServerAddress) -> LoginRefusedError | None:
    """Whether logging in to ``address`` needs a password nsdesk does not have (none
    in libpq's pgpass, none typed yet, or a wrong one typed): the refusal, or
    ``None`` when the login goes through or fails for another reason (which opening
    the desk then says)."""
    refusal: DeskError | None = login_refusal(address)
    if isinstance(refusal, LoginRefusedError) and "password" in refusal.reason:
        return refusal
    return None


def use_password(address: ServerAddress, password: str | None) -> None:
    """Log in to ``address`` with ``password`` (typed by the user) until nsdesk ends;
    kept in memory only, never stored. ``None`` forgets it."""
    keep_typed_password(address, password)
