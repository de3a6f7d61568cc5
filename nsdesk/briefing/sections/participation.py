"""The sections on where the own state takes part beyond its own commitments: the
joint statements ("gift baskets") and the instruments with their reporting."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from nsdesk.briefing.sections.context import Context, long_date, section_heading


def gift_baskets(ctx: Context) -> list[Flowable]:
    """The joint statements the desk has a part in: role, signatories over time, action items."""
    st = ctx.style
    flow: list[Flowable] = [
        section_heading(ctx, "gift_baskets"),
        ctx.fixed("The joint statements in which we have a part or action items.", st.body),
        *ctx.withheld(ctx.pack.gift_baskets_withheld, "joint statements"),
    ]
    for basket in ctx.pack.gift_baskets:
        ctx.check()
        section, record = "gift_baskets", basket.code
        flow.append(CondPageBreak(50 * mm))
        flow.append(
            ctx.heading(basket.title, st.h2, key=f"g-{basket.code}", level=1, section=section)
        )
        flow.append(
            ctx.facts(
                [
                    (
                        "Our role",
                        basket.role + (f" — {basket.role_note}" if basket.role_note else ""),
                    ),
                    ("Event", basket.event),
                    ("INFCIRC", basket.infcirc),
                    ("Lead parties", ", ".join(basket.leads)),
                ],
                section=section,
                record=record,
            )
        )
        flow.append(ctx.fixed("Signatories over time", st.label))
        flow.append(
            ctx.table(
                ["Date", "Members", "We are listed", "Source"],
                [(s.when, s.members, s.listed, s.source) for s in basket.snapshots],
                [0.15, 0.17, 0.14, 0.54],
                section=section,
                records=[record] * len(basket.snapshots),
                bold_first=False,
            )
        )
        if basket.action_items or basket.action_items_withheld:
            flow.append(ctx.fixed("Our action items", st.label))
            flow.append(
                ctx.table(
                    ["Ref", "Action", "Agency", "Due", "Status"],
                    [(a.ref, a.title, a.agency, a.due, a.status) for a in basket.action_items],
                    [0.1, 0.46, 0.18, 0.12, 0.14],
                    section=section,
                )
            )
            flow += ctx.withheld(basket.action_items_withheld, "action items")
    return flow


def instruments(ctx: Context) -> list[Flowable]:
    """The own state's standing under each instrument, its steps, and the reports due."""
    st, data = ctx.style, ctx.pack.instruments
    flow: list[Flowable] = [
        section_heading(ctx, "instruments"),
        *ctx.withheld(data.withheld, "records"),
        ctx.table(
            ["Instrument", "Our status", "Since", "Next step"],
            [(i.short_name, i.status, i.since, i.next_step) for i in data.lines],
            [0.3, 0.22, 0.14, 0.34],
            section="instruments",
            records=[i.code for i in data.lines],
        ),
    ]
    for line in data.lines:
        ctx.check()
        flow.append(CondPageBreak(35 * mm))
        flow.append(
            ctx.heading(
                line.short_name, st.h2, key=f"i-{line.code}", level=1, section="instruments"
            )
        )
        flow.append(ctx.para(line.name, st.note, section="instruments", record=line.code))
        if line.party_count:
            flow.append(
                ctx.para(
                    f"States party as of {long_date(ctx.pack.header.as_of)}: {line.party_count}.",
                    st.body,
                    section="instruments",
                    record=line.code,
                )
            )
        flow.append(
            ctx.table(
                ["Step", "Planned", "Done", "State"],
                [(s.label, s.planned, s.actual, s.state) for s in line.steps],
                [0.4, 0.2, 0.2, 0.2],
                section="instruments",
                records=[line.code] * len(line.steps),
                flags=["late" if s.state == "Late" else "" for s in line.steps],
            )
        )
    flow.append(
        ctx.heading(
            "Reporting obligations due", st.h2, key="i-reporting", level=1, section="instruments"
        )
    )
    flow.append(
        ctx.table(
            ["Instrument", "Report", "Period", "Due", "Agency", "State"],
            [(r.instrument, r.title, r.period, r.due, r.agency, r.state) for r in data.reporting],
            [0.16, 0.32, 0.12, 0.12, 0.17, 0.11],
            section="instruments",
            flags=["late" if r.state == "Late" else "" for r in data.reporting],
            bold_first=False,
        )
    )
    return flow
