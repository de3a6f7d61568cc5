"""The flowables of each section of the pack, from the read model.

Every text that comes from the desk goes through :class:`~nsdesk.briefing.text.
TextSetter` (escaped, shaped, checked against the fonts) before a Paragraph
sees it; only this module's own fixed words are written as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, LongTable, PageBreak, Spacer, TableStyle
from reportlab.platypus.flowables import HRFlowable, KeepTogether
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing import model as m
from nsdesk.briefing.chart import theme_chart
from nsdesk.briefing.document import Heading, PageNumberRef, to_body
from nsdesk.briefing.style import PackStyle
from nsdesk.briefing.text import TextSetter, escape


@dataclass
class Context:
    pack: m.BriefingPack
    style: PackStyle
    text: TextSetter
    check: Callable[[], None]  # raises when the user cancelled

    # -- text ----------------------------------------------------------------------

    def para(
        self, text: str | None, style: Any, *, section: str, record: str = "", bold: bool = False
    ) -> Paragraph:
        serif = style.fontName.startswith("NsSerif")
        bold = bold or "Bold" in style.fontName  # Arabic runs follow the style's weight
        markup = self.text.markup(text, section=section, record=record, serif=serif, bold=bold)
        return Paragraph(markup, style)

    def fixed(self, markup: str, style: Any) -> Paragraph:
        """A paragraph of nsdesk's own words (may carry our own <b>/<i>)."""
        return Paragraph(markup, style)

    def heading(
        self, text: str, style: Any, *, key: str, level: int, section: str, contents: bool = False
    ) -> Heading:
        record = key.split("-", 1)[1]  # "c-C-0001" names the record C-0001
        markup = self.text.markup(
            text, section=section, record=record, serif=False, bold="Bold" in style.fontName
        )
        # Viewers shape and order bookmark titles themselves: logical order there.
        outline = self.text.plain(text, section=section, record=record, visual=False)
        return Heading(
            markup,
            style,
            key=key,
            outline_title=outline,
            level=level,
            contents_key=section if contents else None,
        )

    def withheld(self, count: int, what: str = "records") -> list[Flowable]:
        if count <= 0:
            return []
        ceiling = self.pack.header.ceiling_label
        return [
            self.fixed(
                f"{count} {what} marked above {escape(ceiling)} withheld from this section.",
                self.style.note,
            )
        ]

    # -- tables ----------------------------------------------------------------------------

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        *,
        section: str,
        records: Sequence[str] | None = None,
        flags: Sequence[str] | None = None,
        bold_first: bool = True,
    ) -> Flowable:
        """A table over the frame's width that splits across pages and repeats
        its header row; ``flags`` ("late", "at_risk") colour a row's left edge."""
        st = self.style
        data: list[list[Any]] = [[self.fixed(escape(h), st.cell_head) for h in headers]]
        for index, row in enumerate(rows):
            record = records[index] if records else (row[0] if row else "")
            data.append(
                [
                    self.para(
                        value,
                        st.cell_bold if (bold_first and column == 0) else st.cell,
                        section=section,
                        record=record,
                    )
                    for column, value in enumerate(row)
                ]
            )
        if len(data) == 1:
            return self.fixed("<i>None.</i>", st.note)
        total = sum(widths)
        table = LongTable(
            data,
            colWidths=[st.frame_width * w / total for w in widths],
            repeatRows=1,
            splitByRow=1,
        )
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), st.colour("table_header")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, st.colour("accent")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, st.colour("rule")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ]
        for index, flag in enumerate(flags or (), start=1):
            if flag in ("late", "at_risk"):
                colour = st.colour("late" if flag == "late" else "at_risk")
                commands.append(("LINEBEFORE", (0, index), (0, index), 2.4, colour))
        table.setStyle(TableStyle(commands))
        return table

    def facts(
        self,
        pairs: Iterable[tuple[str, str | None]],
        *,
        section: str,
        record: str,
        large: bool = False,
    ) -> Flowable:
        """A two-column list of a record's facts (label, value); empty values left
        out. ``large`` sets them at the cover's size."""
        st = self.style
        label_style, value_style = (
            (st.cover_label, st.cover_detail) if large else (st.label, st.cell)
        )
        data = [
            [
                self.fixed(escape(label), label_style),
                self.para(value, value_style, section=section, record=record),
            ]
            for label, value in pairs
            if value
        ]
        if not data:
            return Spacer(1, 0)
        table = LongTable(data, colWidths=[st.frame_width * 0.2, st.frame_width * 0.8])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        return table


# Not strftime: "%-d" does not exist on Windows and "%B" follows the locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date(value: Any) -> str:
    """``22 November 2026``, the form a ministry prints."""
    if value is None:
        return ""
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


# -- the sections ------------------------------------------------------------------------------


def cover(ctx: Context) -> list[Flowable]:
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
        ("As of", _date(h.as_of)),
        (
            "Baseline",
            f"{h.baseline_name} (frozen {_date(h.baseline_as_of)})" if h.baseline_name else "none",
        ),
        ("Marking", f"{h.marking_label} (audience: {h.ceiling_label} and below)"),
        (
            "Withheld",
            f"{ctx.pack.withheld_total} records marked above {h.ceiling_label}"
            if ctx.pack.withheld_total
            else "nothing",
        ),
        ("Prepared by", h.prepared_by),
        ("Produced", f"{_date(h.generated_at)}, {h.generated_at:%H:%M} UTC"),
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


def _section_heading(ctx: Context, key: str) -> Heading:
    return ctx.heading(
        m.SECTION_TITLES[key], ctx.style.h1, key=f"s-{key}", level=0, section=key, contents=True
    )


def _derived_withheld(ctx: Context, count: int, one: str, many: str) -> list[Flowable]:
    """The note for values the audience cannot be told because the record that
    decides them is above the ceiling (never a stale value printed as current).
    ``one`` and ``many`` are the sentence for one and for several commitments,
    with ``{ceiling}`` where the ceiling's label goes."""
    if count <= 0:
        return []
    ceiling = ctx.pack.header.ceiling_label
    sentence = (one if count == 1 else many).format(ceiling=ceiling)
    noun = "commitment" if count == 1 else "commitments"
    return [ctx.fixed(escape(f"{count} {noun} {sentence}"), ctx.style.note)]


def summary(ctx: Context) -> list[Flowable]:
    s, st, h = ctx.pack.summary, ctx.style, ctx.pack.header
    tiles: list[tuple[str, str]] = [
        ("Commitments", str(s.total)),
        ("Late", str(s.late)),
        ("At risk", str(s.at_risk)),
    ]
    if s.due_before_event is not None:
        tiles.append(("Due before the event", str(s.due_before_event)))
    if s.completed_since_baseline is not None:
        tiles.append(("Completed since the baseline", str(s.completed_since_baseline)))
    cells = [
        [ctx.fixed(value, st.figure) for _, value in tiles],
        [ctx.fixed(escape(label), st.figure_label) for label, _ in tiles],
    ]
    table = LongTable(cells, colWidths=[st.frame_width / len(tiles)] * len(tiles))
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, st.colour("rule")),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, st.colour("rule")),
                ("BACKGROUND", (0, 0), (-1, -1), st.colour("zebra")),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
            ]
        )
    )
    intro = f"Where the commitments stood on {_date(h.as_of)}"
    if h.event_name:
        intro += ", ahead of the event"
    flow: list[Flowable] = [
        _section_heading(ctx, "summary"),
        ctx.fixed(escape(intro + "."), st.body),
        table,
        Spacer(1, 4 * mm),
        *ctx.withheld(s.withheld, "commitments"),
        *_derived_withheld(
            ctx,
            s.deadline_withheld,
            "is not counted as late or at risk: its latest status or its target in force "
            "is marked above {ceiling} and withheld.",
            "are not counted as late or at risk: their latest status or their target in "
            "force is marked above {ceiling} and withheld.",
        ),
        ctx.fixed("By status", st.h2),
        ctx.table(
            ["Status", "Commitments", "Share"],
            [
                (f.label, str(f.count), f"{100 * f.count / s.total:.0f} %" if s.total else "")
                for f in s.by_status
            ],
            [0.5, 0.25, 0.25],
            section="summary",
            bold_first=False,
        ),
    ]
    if s.by_theme:
        flow += [
            ctx.fixed("By theme", st.h2),
            KeepTogether(
                [
                    theme_chart(s.by_theme, st, ctx.text),
                    ctx.fixed("A commitment with several themes is counted under each.", st.note),
                ]
            ),
        ]
    return flow


def changes(ctx: Context) -> list[Flowable]:
    c, st = ctx.pack.changes, ctx.style
    flow: list[Flowable] = [_section_heading(ctx, "changes")]
    if c.baseline_name is None:
        return [
            *flow,
            ctx.fixed("No baseline was chosen, so there is nothing to compare.", st.body),
        ]
    flow.append(
        ctx.para(
            f"Compared with the baseline “{c.baseline_name}”: {len(c.completed)} completed, "
            f"{len(c.moves)} status changes, {len(c.new)} new.",
            st.body,
            section="changes",
        )
    )
    flow += ctx.withheld(c.withheld, "commitments")
    flow += _derived_withheld(
        ctx,
        c.status_withheld,
        "is not listed: its status at the baseline or now is marked above {ceiling} and withheld.",
        "are not listed: their status at the baseline or now is marked above {ceiling} and "
        "withheld.",
    )
    flow += [
        ctx.fixed("Completed since the baseline", st.h2),
        ctx.table(
            ["Ref", "Title"],
            [(i.ref, i.title) for i in c.completed],
            [0.12, 0.88],
            section="changes",
        ),
        ctx.fixed("Status changes", st.h2),
        ctx.table(
            ["Ref", "Title", "Before", "Now"],
            [(x.ref, x.title, x.before, x.after) for x in c.moves],
            [0.1, 0.54, 0.18, 0.18],
            section="changes",
        ),
        ctx.fixed("New since the baseline", st.h2),
        ctx.table(
            ["Ref", "Title", "Status"],
            [(i.ref, i.title, i.status) for i in c.new],
            [0.1, 0.7, 0.2],
            section="changes",
        ),
    ]
    return flow


_COMMITMENT_COLUMNS = ["Ref", "Title", "Lead agency", "Target", "Status", "Last update"]
_COMMITMENT_WIDTHS = [0.085, 0.375, 0.18, 0.11, 0.13, 0.12]


def themes(ctx: Context) -> list[Flowable]:
    flow: list[Flowable] = [_section_heading(ctx, "themes")]
    flow += ctx.withheld(ctx.pack.themes_withheld, "commitments")
    for group in ctx.pack.themes:
        ctx.check()
        flow.append(
            ctx.heading(
                f"{group.label} ({len(group.rows)})",
                ctx.style.h2,
                key=f"t-{group.code or 'none'}",
                level=1,
                section="themes",
            )
        )
        flow.append(
            ctx.table(
                _COMMITMENT_COLUMNS,
                [
                    (r.ref, r.title, r.lead_agency, r.target, r.status, r.last_update)
                    for r in group.rows
                ],
                _COMMITMENT_WIDTHS,
                section="themes",
                flags=[r.flag for r in group.rows],
            )
        )
    return flow


def alerts(ctx: Context) -> list[Flowable]:
    items = ctx.pack.alerts
    late = sum(1 for a in items if a.state == "Late")
    flow: list[Flowable] = [
        _section_heading(ctx, "alerts"),
        ctx.fixed(
            f"{late} late and {len(items) - late} at risk. A red edge marks a late item, "
            "an amber edge one at risk.",
            ctx.style.body,
        ),
        *ctx.withheld(ctx.pack.themes_withheld, "commitments"),
        ctx.table(
            ["Ref", "Title", "Lead agency", "Target", "State", "Reason"],
            [(a.ref, a.title, a.lead_agency, a.target, a.state, a.reason) for a in items],
            [0.085, 0.3, 0.16, 0.1, 0.085, 0.27],
            section="alerts",
            flags=["late" if a.state == "Late" else "at_risk" for a in items],
        ),
    ]
    return flow


def sheets(ctx: Context) -> list[Flowable]:
    st = ctx.style
    flow: list[Flowable] = [_section_heading(ctx, "sheets")]
    flow += ctx.withheld(ctx.pack.themes_withheld, "commitments")
    for index, sheet in enumerate(ctx.pack.sheets):
        if index % 25 == 0:
            ctx.check()
        section, record = "sheets", sheet.ref
        if index:
            flow.append(
                HRFlowable(
                    width="100%",
                    thickness=0.4,
                    color=st.colour("rule"),
                    spaceBefore=6,
                    spaceAfter=2,
                )
            )
        flow.append(CondPageBreak(45 * mm))
        flow.append(
            ctx.heading(
                f"{sheet.ref}  {sheet.title}", st.h2, key=f"c-{sheet.ref}", level=1, section=section
            )
        )
        flow.append(
            ctx.facts(
                [
                    ("Status", sheet.status),
                    ("Deadline", sheet.deadline),
                    ("Lead agency", sheet.lead_agency),
                    ("Contributing", ", ".join(sheet.contributing)),
                    ("Themes", ", ".join(sheet.themes)),
                    ("Origin", sheet.origin),
                    ("Targets", "\n".join(sheet.targets)),
                    ("Marking", sheet.marking_label),
                ],
                section=section,
                record=record,
            )
        )
        for label, value in (("Text as pledged", sheet.text),):
            if value:
                flow += [
                    ctx.fixed(label, st.label),
                    ctx.para(value, st.body_italic, section=section, record=record),
                ]
        if sheet.history or sheet.history_withheld:
            flow.append(ctx.fixed("History", st.label))
            for entry in sheet.history:
                line = f"<b>{entry.entry_date.isoformat()} — {escape(entry.status)}.</b>"
                if entry.narrative:
                    line += " " + ctx.text.markup(
                        entry.narrative, section=section, record=record, serif=True
                    )
                flow.append(Paragraph(line, st.body))
                if entry.evidence:
                    flow.append(
                        Paragraph(
                            "<i>Evidence:</i> "
                            + ctx.text.markup(entry.evidence, section=section, record=record),
                            st.note,
                        )
                    )
            flow += ctx.withheld(sheet.history_withheld, "history entries")
        for label, value in (
            ("Next steps", sheet.next_steps),
            ("Talking points", sheet.talking_points),
        ):
            if value:
                flow += [
                    ctx.fixed(label, st.label),
                    ctx.para(value, st.body, section=section, record=record),
                ]
    return flow


def gift_baskets(ctx: Context) -> list[Flowable]:
    st = ctx.style
    flow: list[Flowable] = [
        _section_heading(ctx, "gift_baskets"),
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
    st, data = ctx.style, ctx.pack.instruments
    flow: list[Flowable] = [
        _section_heading(ctx, "instruments"),
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


def deadlines(ctx: Context) -> list[Flowable]:
    items = ctx.pack.deadlines
    return [
        _section_heading(ctx, "deadlines"),
        ctx.fixed(
            f"Open items falling due in the twelve months from {_date(ctx.pack.header.as_of)}.",
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


def sources(ctx: Context) -> list[Flowable]:
    st = ctx.style
    flow: list[Flowable] = [_section_heading(ctx, "sources")]
    if not ctx.pack.sources:
        flow.append(ctx.fixed("<i>No sources are cited by what this pack contains.</i>", st.note))
    for number, source in enumerate(ctx.pack.sources, start=1):
        record = source.citation or source.title[:40]
        text = f"{number}. " + ctx.text.markup(
            source.title, section="sources", record=record, serif=True
        )
        if source.citation:
            text += (
                " ("
                + ctx.text.markup(source.citation, section="sources", record=record, serif=True)
                + ")"
            )
        parts = [Paragraph(text, st.body)]
        if source.url:
            # Printed as text: a pack carries no live links.
            parts.append(ctx.para(source.url, st.note, section="sources", record=record))
        parts.append(
            ctx.para(
                "Cited for: " + "; ".join(source.cited_for),
                st.note,
                section="sources",
                record=record,
            )
        )
        flow.append(KeepTogether(parts))
    return flow


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
    "deadlines": deadlines,
    "sources": sources,
}
