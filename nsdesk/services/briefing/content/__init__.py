"""Reading a briefing pack's content from the desk, under an audience ceiling.

Each reader takes an :class:`~nsdesk.services.audience.view.AudienceView` — never
a connection — and returns parts of :mod:`nsdesk.briefing.model`. The view holds
the one rule of what the audience may see: records above the ceiling are only
counted ("n withheld"), names of withheld records read ``(withheld)``, and a
status, binding target or "late" decided by a withheld record reads "withheld"
instead of a stale value.

One module per group of sections, as the pack's are grouped: :mod:`.names` (what
every section prints of others), :mod:`.commitment_facts` (the commitments, read
once), :mod:`.commitments` (summary, changes, themes, alerts, sheets),
:mod:`.participation` (gift baskets, instruments, reporting),
:mod:`.universalization` (who else has joined), :mod:`.deadlines` and
:mod:`.sources`. The readers are named here too because the pack
(:mod:`nsdesk.services.briefing.pack`) composes them as ``content.<reader>``: this
is the package's one face, not a leftover.
"""

from nsdesk.services.briefing.content.commitment_facts import Commitments, read_commitments
from nsdesk.services.briefing.content.commitments import (
    alerts,
    changes,
    sheets,
    summary,
    theme_groups,
)
from nsdesk.services.briefing.content.deadlines import upcoming, upcoming_until
from nsdesk.services.briefing.content.names import Names
from nsdesk.services.briefing.content.participation import read_gift_baskets, read_instruments
from nsdesk.services.briefing.content.sources import sources
from nsdesk.services.briefing.content.universalization import (
    party_count_line,
    read_universalization,
)

__all__ = [
    "Commitments",
    "Names",
    "alerts",
    "changes",
    "party_count_line",
    "read_commitments",
    "read_gift_baskets",
    "read_instruments",
    "read_universalization",
    "sheets",
    "sources",
    "summary",
    "theme_groups",
    "upcoming",
    "upcoming_until",
]
