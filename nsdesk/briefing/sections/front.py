"""The pack's front: the cover and the contents page."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, PageBreak, Spacer, TableStyle

from nsdesk.briefing import model as m
from nsdesk.briefing.document import PageNumberRef, to_body
from nsdesk.briefing.sections.context import Context, long_date
from nsdesk.briefing.text import escape


def cover(ctx: Context) -> list[Flowable]:
    """The cover: event, state, as-of date, baseline, marking and what was withheld."""
    h, st = ctx.pack.header, ctx.style
    flow: list[Flowable] = [
        Spacer(1, 38 * mm),
        ctx.fixed("BRIEFING PACK", st.cover_detail),
        Spacer(1, 3 * mm),
        ctx.heading(
            h.event_name or "Briefing pack", st.cover_title, key="s-cover", level=0, section="cover"
        ),
    ]
    if h.event_when:
        flow.append(ctx.para(h.event_when, st.cover_subtitle, section="cover"))
    flow.append(Spacer(1, 14 * mm))
    details: list[tuple[str, str | None]] = [
        ("State", h.state_name),
        ("Delegation", h.delegation),
        ("As of", long_date(h.as_of)),
        (
            "Baseline",
            f"{h.baseline_name} (frozen {long_date(h.baseline_as_of)})"
            if h.baseline_name
            else "none",
        ),
        ("Marking", f"{h.marking_label} (audience: {h.ceiling_label} and below)"),
        (
            "Withheld",
            f"{ctx.pack.withheld_total} "
            f"{'record' if ctx.pack.withheld_total == 1 else 'records'} "
            f"marked above {h.ceiling_label}"
            if ctx.pack.withheld_total
            else "nothing",
        ),
        ("Prepared by", h.prepared_by),
        ("Produced", f"{long_date(h.generated_at)}, {h.generated_at:%H:%M} UTC"),
    ]
    flow.append(ctx.facts(details, section="cover", record="cover", large=True))
    if h.is_demo:
        flow += [
            Spacer(1, 16 * mm),
            ctx.fixed(
                '<font color="#a3201a"><b>DEMO</b> — a demonstration desk. Apart from the cited '
                "public facts, its content is invented and illustrative.</font>",
                st.cover_detail,
            ),
        ]
    return [*flow, to_body(), PageBreak()]


def contents(ctx: Context) -> list[Flowable]:
    """The contents page: each section after it, with its page number."""
    st = ctx.style
    rows = [
        [
            ctx.fixed(escape(m.SECTION_TITLES[key]), st.contents_entry),
            PageNumberRef(key, st.frame_width * 0.12, st.contents_number),
        ]
        for key in ctx.pack.sections
        if key not in ("cover", "contents")
    ]
    flow: list[Flowable] = [
        ctx.heading("Contents", st.h1, key="s-contents", level=0, section="contents")
    ]
    if rows:
        table = LongTable(rows, colWidths=[st.frame_width * 0.88, st.frame_width * 0.12])
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, st.colour("rule")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        flow.append(table)
    return flow
