"""The Universalization section: who else has joined the instruments — for each, how
many states stand where on the pack's date, our place, a world map and the counts
over time — and the lobbying list a delegation works from."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from nsdesk.briefing.sections.context import Context, long_date, section_heading
from nsdesk.briefing.world_map import CountChart, WorldMapFlowable


def universalization(ctx: Context) -> list[Flowable]:
    """Each instrument's standing among states (figures, map, counts over time), then
    the lobbying list for the chosen instruments and region."""
    st, data = ctx.style, ctx.pack.universalization
    section = "universalization"
    flow: list[Flowable] = [section_heading(ctx, section)]
    if data is None:
        return [*flow, ctx.fixed("<i>Not read for this pack.</i>", st.note)]
    as_of = ctx.pack.header.as_of
    flow.append(
        ctx.fixed(
            f"Where states stand under each instrument on {long_date(as_of)}, from the dated "
            "acts the desk lists (a party has deposited its consent; a signatory only has "
            "signed), beside the depositaries' dated counts.",
            st.body,
        )
    )
    flow += ctx.withheld(data.withheld, "states' standings", "state's standing")
    for sheet in data.sheets:
        ctx.check()
        flow.append(CondPageBreak(120 * mm))
        flow.append(
            ctx.heading(sheet.short_name, st.h2, key=f"u-{sheet.code}", level=1, section=section)
        )
        figures = (
            f"{sheet.parties:,} parties, {sheet.signatories:,} signatories only, "
            f"{sheet.outside:,} not party or not listed"
            + (f", {sheet.withheld:,} withheld" if sheet.withheld else "")
        )
        flow.append(
            ctx.facts(
                [
                    ("States", figures),
                    ("Our place", sheet.own),
                    ("Our region", sheet.region_line),
                ],
                section=section,
                record=sheet.code,
            )
        )
        if data.world is not None:
            flow.append(Spacer(1, 2))
            flow.append(
                WorldMapFlowable(
                    data.world,
                    sheet.standings,
                    own=data.own_code,
                    as_of=f"{sheet.short_name} as of {long_date(as_of)}",
                    width=st.frame_width,
                    font=st.font("table"),
                    ink=st.colour("ink"),
                )
            )
        chart = CountChart(
            sheet.counted_over_time,
            sheet.listed_over_time,
            as_of=as_of,
            width=st.frame_width,
            height=32 * mm,
            font=st.font("table"),
            ink=st.colour("ink"),
            accent=st.colour("bar"),
            rule=st.colour("rule"),
        )
        flow.append(
            KeepTogether(
                [
                    ctx.fixed("Parties over time", st.label),
                    chart,
                    ctx.para(sheet.completeness, st.note, section=section, record=sheet.code),
                ]
            )
        )
        if sheet.counts:
            flow.append(
                ctx.table(
                    ["Date", "Parties", "Note", "Source"],
                    [(c.when, c.parties, c.note, c.source) for c in sheet.counts],
                    [0.13, 0.09, 0.46, 0.32],
                    section=section,
                    records=[sheet.code] * len(sheet.counts),
                    bold_first=False,
                )
            )
    flow.append(CondPageBreak(60 * mm))
    flow.append(ctx.heading("Lobbying list", st.h2, key="u-lobbying", level=1, section=section))
    flow.append(ctx.para(data.lobbying_title, st.body, section=section, record="lobbying"))
    flow += ctx.withheld(data.lobbying_withheld, "states")
    flow.append(
        ctx.table(
            ["State", "Party since", "Standing under the other", "Signature"],
            [(x.state, x.party_since, x.standing, x.signed) for x in data.lobbying],
            [0.4, 0.2, 0.24, 0.16],
            section=section,
            records=[x.state for x in data.lobbying],
        )
    )
    if data.lobbying_note:
        flow.append(ctx.para(data.lobbying_note, st.note, section=section, record="lobbying"))
    return flow
