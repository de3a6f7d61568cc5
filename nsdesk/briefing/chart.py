"""The executive summary's chart by theme: one bar per theme, with its count.

Drawn as a table of (label, bar, count) so the labels, which are the desk's own
words, go through the same text setting as every other text (fonts, scripts,
escaping), and the bars stay crisp vector rectangles at any zoom.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, LongTable, TableStyle
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.model import Figure
from nsdesk.briefing.style import PackStyle
from nsdesk.briefing.text import TextSetter


class Bar(Flowable):
    def __init__(self, share: float, width: float, height: float, colour: Color):
        super().__init__()
        self.share, self.width, self.height, self.colour = share, width, height, colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFillColor(self.colour)
        self.canv.rect(0, 1.5, max(self.width * self.share, 0.8), self.height - 3, stroke=0, fill=1)


def theme_chart(figures: Sequence[Figure], style: PackStyle, text: TextSetter) -> Flowable:
    width = style.frame_width
    label_width, count_width = width * 0.36, width * 0.08
    bar_width = width - label_width - count_width - 8
    top = max((f.count for f in figures), default=0) or 1
    rows = [
        [
            Paragraph(text.markup(f.label, section="summary", record="chart"), style.cell),
            Bar(f.count / top, bar_width, 11, style.colour("bar")),
            Paragraph(str(f.count), style.cell_bold),
        ]
        for f in figures
    ]
    table = LongTable(rows, colWidths=[label_width, bar_width + 8, count_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table
