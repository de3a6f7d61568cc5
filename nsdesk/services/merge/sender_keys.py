"""The key a laptop signed its earlier files with: a laptop known to the desk that
now signs with another key is refused, as SSH refuses a host whose key changed.

A changes file from a laptop whose earlier files the desk merged under another key
is either from a reinstalled laptop or from someone posing as it; nsdesk cannot
tell which, so the app does not offer to trust the new key on the spot: a person
who knows the laptop was replaced revokes its old key and trusts the new one
deliberately (``nsdesk changes trust``).
"""

from __future__ import annotations

from sqlalchemy import select

from nsdesk.services.desk import Desk
from nsdesk.store import tables as t


def earlier_keys(desk: Desk, sender_replica: str) -> list[str]:
    """The fingerprints of the keys that signed the files this desk merged from the
    laptop ``sender_replica``, oldest first (none: the laptop was never heard from)."""
    r = t.changes_received
    with desk.connect() as connection:
        found = connection.execute(
            select(r.c.fingerprint).where(r.c.sender_replica == sender_replica).order_by(r.c.id)
        ).scalars()
        return list(dict.fromkeys(f for f in found if f))
