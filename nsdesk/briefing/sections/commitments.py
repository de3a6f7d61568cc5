"""The sections on the commitments: the executive summary, what changed since the
baseline, commitments by theme, late and at-risk alerts, and the detailed sheets."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Spacer, TableStyle
from reportlab.platypus.flowables import HRFlowable, KeepTogether
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.chart import theme_chart
from nsdesk.briefing.sections.context import Context, long_date, section_heading
from nsdesk.briefing.text import escape


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
    """The executive summary: the figures, by status and by theme (a chart)."""
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
    intro = f"Where the commitments stood on {long_date(h.as_of)}"
    if h.event_name:
        intro += ", ahead of the event"
    flow: list[Flowable] = [
        section_heading(ctx, "summary"),
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
    """What changed since the baseline: completed, status changes, new."""
    c, st = ctx.pack.changes, ctx.style
    flow: list[Flowable] = [section_heading(ctx, "changes")]
    if c.baseline_name is None:
        return [
            *flow,
            ctx.fixed("No baseline was chosen, so there is nothing to compare.", st.body),
        ]
    flow.append(
        ctx.para(
            f"Compared with the baseline “{c.baseline_name}”: {len(c.completed)} completed, "
            f"{len(c.moves)} status {'change' if len(c.moves) == 1 else 'changes'}, "
            f"{len(c.new)} new.",
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
    """The commitments by theme, a table per theme."""
    flow: list[Flowable] = [section_heading(ctx, "themes")]
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
    """The late and at-risk commitments, most pressing first."""
    items = ctx.pack.alerts
    late = sum(1 for a in items if a.state == "Late")
    flow: list[Flowable] = [
        section_heading(ctx, "alerts"),
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
    """A detailed sheet per commitment: facts, text, history, next steps."""
    st = ctx.style
    flow: list[Flowable] = [section_heading(ctx, "sheets")]
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
