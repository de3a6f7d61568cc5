"""The upcoming deadlines section."""

from __future__ import annotations

from reportlab.platypus import Flowable

from nsdesk.briefing.sections.context import Context, long_date, section_heading


def deadlines(ctx: Context) -> list[Flowable]:
    """The open items falling due in the twelve months from the as-of date."""
    items = ctx.pack.deadlines
    return [
        section_heading(ctx, "deadlines"),
        ctx.fixed(
            f"Open items falling due in the twelve months from {long_date(ctx.pack.header.as_of)}.",
            ctx.style.body,
        ),
        *ctx.withheld(ctx.pack.deadlines_withheld, "items"),
        ctx.table(
            ["Due", "Kind", "Ref", "What", "Status"],
            [(d.due, d.kind, d.ref, d.what, d.state) for d in items],
            [0.12, 0.16, 0.09, 0.48, 0.15],
            section="deadlines",
            records=[d.ref or d.what[:40] for d in items],
        ),
    ]
