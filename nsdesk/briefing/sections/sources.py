"""The sources section."""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.flowables import KeepTogether
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.sections.context import Context, section_heading


def sources(ctx: Context) -> list[Flowable]:
    """The numbered sources the pack's content is cited from, and what each is cited for."""
    st = ctx.style
    flow: list[Flowable] = [section_heading(ctx, "sources")]
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
        parts: list[Flowable] = [Paragraph(text, st.body)]
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
