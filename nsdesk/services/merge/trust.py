"""Which laptops' keys a desk trusts: trust on first contact, confirmed by a person.

The first changes file from a laptop is refused with its key's fingerprint (as SSH
does on first contact); once a person has compared that fingerprint with the one the
sending laptop shows (:func:`nsdesk.services.merge.laptop_key.laptop_key`), they
trust it here, and later files must be signed by it. A key can be revoked (a lost or
replaced laptop): nothing it signs is accepted again, and a revoked key is never
trusted again (the laptop makes a new key instead). A key can be revoked before any
file from it has arrived.

Trust is kept in the desk (``changes_trust``), not in a user's profile: two officers
working on one copy of a desk, or everyone on a server desk, must accept and refuse
the same laptops — one officer's revocation of a stolen laptop protects the others.
Each trust and revocation goes through the audited unit of work, so the history says
who trusted which laptop and when. Trust belongs to this copy and never travels in a
changes file (:data:`~nsdesk.services.merge.change_schema.LOCAL_TABLES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from nsdesk.domain.changes_errors import KeyTrustError
from nsdesk.exchange.changes import KeyState, KeyStatus, normalise_fingerprint
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t
from nsdesk.store.types import utcnow

_TABLE = t.changes_trust


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "at an unknown time"


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """One key the desk knows: trusted, or revoked."""

    fingerprint: str
    label: str | None
    trusted_at: datetime | None
    trusted_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None

    @property
    def state(self) -> KeyState:
        """Revoked once revoked, whatever came before."""
        return KeyState.REVOKED if self.revoked_at is not None else KeyState.TRUSTED

    def describe(self) -> str:
        """Its state in plain words: "trusted 2026-11-02 10:31 UTC by anna@laptop-7"."""
        if self.revoked_at is not None:
            return f"revoked {_when(self.revoked_at)} by {self.revoked_by or 'someone'}"
        return f"trusted {_when(self.trusted_at)} by {self.trusted_by or 'someone'}"


def fingerprint_of(text: str) -> str:
    """``text`` as a fingerprint, or :class:`KeyTrustError` saying what one looks like."""
    found = normalise_fingerprint(text)
    if found is None:
        raise KeyTrustError(
            f"{text!r} is not a key fingerprint: one is 32 hex digits, shown in groups of "
            "four like 3f9a-1c04-77b2-0e5d-9a1f-44c0-b7e2-118d"
        )
    return found


def _row(connection: Connection, fingerprint: str) -> TrustedKey | None:
    row = connection.execute(select(_TABLE).where(_TABLE.c.fingerprint == fingerprint)).first()
    if row is None:
        return None
    return TrustedKey(
        row.fingerprint, row.label, row.trusted_at, row.trusted_by, row.revoked_at, row.revoked_by
    )


class DeskTrust:
    """The keys a desk trusts, as a changes file's reader asks for them (the
    :class:`~nsdesk.exchange.changes.KeyTrust` protocol), read from ``connection``."""

    def __init__(self, connection: Connection):
        self._connection = connection

    def status(self, fingerprint: str) -> KeyStatus:
        """What the desk says of the key with ``fingerprint``."""
        known = _row(self._connection, fingerprint)
        if known is None:
            return KeyStatus(KeyState.UNKNOWN)
        return KeyStatus(known.state, known.describe())


def trusted_keys(desk: Desk) -> list[TrustedKey]:
    """Every key the desk knows, trusted ones first, then by fingerprint."""
    with desk.connect() as connection:
        rows = connection.execute(select(_TABLE.c.fingerprint)).scalars().all()
        keys = [key for key in (_row(connection, f) for f in rows) if key is not None]
    return sorted(keys, key=lambda k: (k.state is KeyState.REVOKED, k.fingerprint))


def key_status(desk: Desk, fingerprint: str) -> KeyStatus:
    """What ``desk`` says of the key with ``fingerprint``."""
    with desk.connect() as connection:
        return DeskTrust(connection).status(fingerprint)


def trust_key(
    desk: Desk, fingerprint: str, *, label: str | None = None, actor: Actor | None = None
) -> TrustedKey:
    """Trust the laptop key with ``fingerprint`` in ``desk`` (after a person compared it
    with the one the sending laptop shows); returns what the desk now says of it.
    Trusting a trusted key again changes nothing (but a new ``label``). Raises
    :class:`KeyTrustError` for a key that was revoked: a revoked key stays revoked."""
    # lazy: the mapped classes load only when the desk is written to
    from nsdesk.store.models.changes import ChangesTrust

    fingerprint = fingerprint_of(fingerprint)
    label = label.strip()[:200] if label and label.strip() else None
    with desk.writing(actor or Actor.local()) as session:
        known = session.execute(
            select(ChangesTrust).where(ChangesTrust.fingerprint == fingerprint)
        ).scalar_one_or_none()
        if known is not None and known.revoked_at is not None:
            raise KeyTrustError(
                f"the key {fingerprint} was revoked in this desk ({_when(known.revoked_at)} by "
                f"{known.revoked_by or 'someone'}) and cannot be trusted again: the laptop must "
                "make a new key. Nothing was changed"
            )
        if known is None:
            session.add(
                ChangesTrust(
                    fingerprint=fingerprint,
                    label=label,
                    trusted_at=utcnow(),
                    trusted_by=(actor or Actor.local()).name,
                )
            )
        elif label is not None and label != known.label:
            known.label = label
    with desk.connect() as connection:
        found = _row(connection, fingerprint)
    assert found is not None
    return found


def revoke_key(desk: Desk, fingerprint: str, *, actor: Actor | None = None) -> TrustedKey:
    """Revoke the laptop key with ``fingerprint`` in ``desk``: no file it signs is
    accepted from now on, whether it was trusted or never seen (a laptop reported lost
    before anything came from it). Revoking a revoked key changes nothing."""
    # lazy: the mapped classes load only when the desk is written to
    from nsdesk.store.models.changes import ChangesTrust

    fingerprint = fingerprint_of(fingerprint)
    who = (actor or Actor.local()).name
    with desk.writing(actor or Actor.local()) as session:
        known = session.execute(
            select(ChangesTrust).where(ChangesTrust.fingerprint == fingerprint)
        ).scalar_one_or_none()
        if known is None:
            session.add(ChangesTrust(fingerprint=fingerprint, revoked_at=utcnow(), revoked_by=who))
        elif known.revoked_at is None:
            known.revoked_at = utcnow()
            known.revoked_by = who
    with desk.connect() as connection:
        found = _row(connection, fingerprint)
    assert found is not None
    return found
