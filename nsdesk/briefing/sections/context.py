"""What the section builders share: the :class:`Context` they are given, with the
paragraph, heading and table makers, and the long date a ministry prints.

Every text that comes from the desk goes through :class:`~nsdesk.briefing.text.
TextSetter` (escaped, shaped, checked against the fonts) before a Paragraph
sees it; only the builders' own fixed words are written as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, LongTable, Spacer, TableStyle
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing import model as m
from nsdesk.briefing.document import Heading
from nsdesk.briefing.style import PackStyle
from nsdesk.briefing.text import TextSetter, escape


def singular(plural: str) -> str:
    """One of ``plural``: "commitments" → "commitment", "history entries" → "history entry"."""
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    return plural.removesuffix("s")


@dataclass
class Context:
    """What every section builder gets — the pack, its style, the text setter and the
    cancel check — and the paragraphs, headings and tables they all make."""

    pack: m.BriefingPack
    style: PackStyle
    text: TextSetter
    check: Callable[[], None]  # raises when the user cancelled

    # -- text ----------------------------------------------------------------------

    def para(
        self, text: str | None, style: Any, *, section: str, record: str = "", bold: bool = False
    ) -> Paragraph:
        """A paragraph of the desk's text, set safely (escaped, shaped, font-checked)."""
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
        """A heading that is also a bookmark (``level``) and, with ``contents``, an entry
        of the contents page; ``key`` names its anchor ("c-C-0001": record C-0001)."""
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

    def withheld(self, count: int, what: str = "records", one: str | None = None) -> list[Flowable]:
        """The note that ``count`` ``what`` (a plural) above the ceiling are left out
        (none for 0; "1 commitment" for one, or ``one`` where the plural is not made
        by an "s": "states' standings", "state's standing")."""
        if count <= 0:
            return []
        ceiling = self.pack.header.ceiling_label
        noun = (one or singular(what)) if count == 1 else what
        return [
            self.fixed(
                f"{count} {noun} marked above {escape(ceiling)} withheld from this section.",
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


def long_date(value: Any) -> str:
    """``22 November 2026``, the form a ministry prints."""
    if value is None:
        return ""
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


def section_heading(ctx: Context, key: str) -> Heading:
    """The heading that opens section ``key``, listed on the contents page."""
    return ctx.heading(
        m.SECTION_TITLES[key], ctx.style.h1, key=f"s-{key}", level=0, section=key, contents=True
    )
