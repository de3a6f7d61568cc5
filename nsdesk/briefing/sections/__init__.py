"""The flowables of each section of the pack, from the read model.

One module per group of sections, as the pack reads: :mod:`.front` (cover,
contents), :mod:`.commitments` (summary, changes, themes, alerts, sheets),
:mod:`.participation` (gift baskets, instruments), :mod:`.universalization`,
:mod:`.deadlines` and :mod:`.sources`; what they share is :mod:`.context`.
:data:`BUILDERS` names the builder of every section key, each taking the
:class:`Context` it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from nsdesk.briefing.sections.commitments import alerts, changes, sheets, summary, themes
from nsdesk.briefing.sections.context import Context
from nsdesk.briefing.sections.deadlines import deadlines
from nsdesk.briefing.sections.front import contents, cover
from nsdesk.briefing.sections.participation import gift_baskets, instruments
from nsdesk.briefing.sections.sources import sources
from nsdesk.briefing.sections.universalization import universalization

__all__ = ["BUILDERS", "Context"]

BUILDERS: dict[str, Callable[[Context], list[Flowable]]] = {
    "cover": cover,
    "contents": contents,
    "summary": summary,
    "changes": changes,
    "themes": themes,
    "alerts": alerts,
    "sheets": sheets,
    "gift_baskets": gift_baskets,
    "instruments": instruments,
    "universalization": universalization,
    "deadlines": deadlines,
    "sources": sources,
}
