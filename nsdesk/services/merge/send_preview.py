"""What a changes file would carry, said before it is written: how many changes,
the highest marking among the records they touch, and how many records an audience
ceiling leaves out.

The send dialog names the marking before the user saves (a changes file carries
records up to the highest marking inside, and must be handled as such). It reads
the desk as :func:`~nsdesk.services.merge.sending.export_changes` does — the same
selection of changes, the same cut for a ceiling — and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from nsdesk.services.desk import Desk
from nsdesk.services.merge.laptop_key import laptop_key
from nsdesk.services.merge.sending import _Cut, outgoing_changes, since_for
from nsdesk.store.change_log import change_log_of


@dataclass(frozen=True, slots=True)
class SendPreview:
    """What a send would carry: ``changes`` (0: nothing the others lack), the
    ``marking`` code of the highest record inside and its ``marking_label``, how many
    records the ceiling leaves out, and this laptop's key fingerprint (which the
    receiving desk asks its user to compare on first contact)."""

    changes: int
    marking: str
    marking_label: str
    withheld: int
    fingerprint: str
    everything: bool


def preview_send(
    desk: Desk, *, everything: bool = False, ceiling: str | None = None
) -> SendPreview:
    """What :func:`~nsdesk.services.merge.sending.export_changes` with the same
    options would write now (see module docstring); nothing is written."""
    info = desk.info()
    with desk.connect() as connection:
        change_log_of(connection).replica(connection)  # this laptop's replica, as a send has
        since = {} if everything else since_for(connection, None)
        cut = _Cut(connection, desk, ceiling)
        changes = sum(1 for _ in outgoing_changes(connection, since, cut))
        marking = cut.marking()
    return SendPreview(
        changes=changes,
        marking=marking,
        marking_label=info.marking.label(marking),
        withheld=len(cut.withheld),
        fingerprint=laptop_key().fingerprint,
        everything=everything or not since,
    )
