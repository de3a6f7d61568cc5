"""The upcoming deadlines section."""

from __future__ import annotations

from reportlab.platypus import Flowable

from nsdesk.briefing.sections.context import Context, long_date, section_heading
from nsdesk.briefing.text import escape


def deadlines(ctx: Context) -> list[Flowable]:
    """The open items falling due from the as-of date for a year, or up to the
    event when it is later; how many commitments fall due before the event (the
    executive summary's figure, counted from these lines)."""
    pack = ctx.pack
    items = pack.deadlines
    as_of = long_date(pack.header.as_of)
    if pack.deadlines_until is None:
        said = f"Open items falling due in the twelve months from {as_of}."
    else:
        said = f"Open items falling due from {as_of} to {long_date(pack.deadlines_until)}."
    due = pack.summary.due_before_event
    if due is not None and pack.event_start is not None:
        verb = "falls" if due == 1 else "fall"
        said += (
            f" {due} {'commitment' if due == 1 else 'commitments'} {verb} due before the event"
            f" ({long_date(pack.event_start)})."
        )
    return [
        section_heading(ctx, "deadlines"),
        ctx.fixed(escape(said), ctx.style.body),
        *ctx.withheld(pack.deadlines_withheld, "items"),
        ctx.table(
            ["Due", "Kind", "Ref", "What", "Status"],
            [(d.due, d.kind, d.ref, d.what, d.state) for d in items],
            [0.12, 0.16, 0.09, 0.48, 0.15],
            section="deadlines",
            records=[d.ref or d.what[:40] for d in items],
        ),
    ]
