"""The pack's look, read from ``exports/briefing/style.json`` and turned into
reportlab paragraph and table styles.

Keeping the look as data means a delegation's graphic rules (colours, sizes,
margins) change in one file that a designer can read, and every section draws
from the same styles, so headings, tables and notes look alike throughout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from nsdesk.locations import exports_dir

# The registered names of the shipped fonts (nsdesk.briefing.fonts), by role.
FAMILIES = {
    "sans": ("NsSans", "NsSans-Bold", "NsSans-Italic"),
    "serif": ("NsSerif", "NsSerif-Bold", "NsSerif-Italic"),
}
PAGE_SIZES = {"A4": A4, "Letter": LETTER}


def load_style_data() -> dict[str, Any]:
    with (exports_dir() / "briefing" / "style.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class PackStyle:
    data: dict[str, Any]
    paper: str = "A4"

    # -- the page --------------------------------------------------------------------

    @property
    def page_size(self) -> tuple[float, float]:
        return PAGE_SIZES[self.paper]

    def margin(self, side: str) -> float:
        return float(self.data["page"][f"margin_{side}_mm"]) * mm

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - self.margin("left") - self.margin("right")

    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(self.data["colours"][name])

    def size(self, name: str) -> float:
        return float(self.data["sizes"][name])

    def font(self, role: str, weight: str = "regular") -> str:
        regular, bold, italic = FAMILIES[self.data["fonts"][role]]
        return {"regular": regular, "bold": bold, "italic": italic}[weight]

    def leading(self, size: float) -> float:
        return round(size * float(self.data["leading"]), 2)

    # -- paragraph styles ----------------------------------------------------------------

    def _style(self, name: str, role: str, size: float, **extra: Any) -> ParagraphStyle:
        weight = extra.pop("weight", "regular")
        values: dict[str, Any] = {
            "fontName": self.font(role, weight),
            "fontSize": size,
            "leading": self.leading(size),
            "textColor": self.colour("ink"),
            # Never a lone first or last line of a paragraph at a page's edge.
            "allowWidows": 0,
            "allowOrphans": 0,
            "spaceAfter": float(self.data["space_after_paragraph"]),
        }
        values.update(extra)
        return ParagraphStyle(name, **values)

    @cached_property
    def body(self) -> ParagraphStyle:
        return self._style("body", "body", self.size("body"))

    @cached_property
    def body_italic(self) -> ParagraphStyle:
        return self._style("body-italic", "body", self.size("body"), weight="italic")

    @cached_property
    def label(self) -> ParagraphStyle:
        """A field's name above its text in a detailed sheet."""
        return self._style(
            "label",
            "heading",
            self.size("small"),
            weight="bold",
            textColor=self.colour("muted"),
            spaceAfter=1,
            spaceBefore=4,
            keepWithNext=1,
        )

    @cached_property
    def note(self) -> ParagraphStyle:
        return self._style(
            "note", "heading", self.size("small"), weight="italic", textColor=self.colour("muted")
        )

    @cached_property
    def h1(self) -> ParagraphStyle:
        return self._style(
            "h1",
            "heading",
            self.size("h1"),
            weight="bold",
            textColor=self.colour("accent"),
            spaceBefore=float(self.data["space_before_h1"]),
            spaceAfter=8,
            keepWithNext=1,
        )

    @cached_property
    def h2(self) -> ParagraphStyle:
        return self._style(
            "h2",
            "heading",
            self.size("h2"),
            weight="bold",
            textColor=self.colour("accent"),
            spaceBefore=float(self.data["space_before_h2"]),
            spaceAfter=4,
            keepWithNext=1,
        )

    @cached_property
    def h3(self) -> ParagraphStyle:
        return self._style(
            "h3",
            "heading",
            self.size("h3"),
            weight="bold",
            spaceBefore=float(self.data["space_before_h3"]),
            spaceAfter=2,
            keepWithNext=1,
        )

    @cached_property
    def cell(self) -> ParagraphStyle:
        return self._style("cell", "table", self.size("table"), spaceAfter=0)

    @cached_property
    def cell_bold(self) -> ParagraphStyle:
        return self._style("cell-bold", "table", self.size("table"), weight="bold", spaceAfter=0)

    @cached_property
    def cell_head(self) -> ParagraphStyle:
        return self._style(
            "cell-head",
            "table",
            self.size("table"),
            weight="bold",
            textColor=self.colour("accent"),
            spaceAfter=0,
        )

    @cached_property
    def figure(self) -> ParagraphStyle:
        return self._style(
            "figure",
            "heading",
            self.size("figure"),
            weight="bold",
            alignment=TA_CENTER,
            textColor=self.colour("accent"),
            spaceAfter=0,
        )

    @cached_property
    def figure_label(self) -> ParagraphStyle:
        return self._style(
            "figure-label",
            "heading",
            self.size("small"),
            alignment=TA_CENTER,
            textColor=self.colour("muted"),
            spaceAfter=0,
        )

    @cached_property
    def running(self) -> ParagraphStyle:
        """The running title at the head of every page (one line, truncated by width)."""
        return self._style(
            "running",
            "running",
            self.size("running"),
            textColor=self.colour("muted"),
            spaceAfter=0,
            maxLineLength=None,
        )

    @cached_property
    def contents_entry(self) -> ParagraphStyle:
        return self._style("contents", "heading", self.size("body") + 1, spaceAfter=0)

    @cached_property
    def contents_number(self) -> ParagraphStyle:
        return self._style(
            "contents-number", "heading", self.size("body") + 1, alignment=TA_RIGHT, spaceAfter=0
        )

    @cached_property
    def cover_title(self) -> ParagraphStyle:
        return self._style(
            "cover-title",
            "body",
            self.size("cover_title"),
            weight="bold",
            textColor=self.colour("accent"),
            spaceAfter=10,
        )

    @cached_property
    def cover_subtitle(self) -> ParagraphStyle:
        return self._style("cover-subtitle", "body", self.size("cover_subtitle"), spaceAfter=6)

    @cached_property
    def cover_label(self) -> ParagraphStyle:
        return self._style(
            "cover-label",
            "heading",
            self.size("cover_detail"),
            weight="bold",
            textColor=self.colour("muted"),
            spaceAfter=2,
        )

    @cached_property
    def cover_detail(self) -> ParagraphStyle:
        return self._style(
            "cover-detail",
            "heading",
            self.size("cover_detail"),
            spaceAfter=2,
            textColor=self.colour("ink"),
        )


def load_style(paper: str = "A4") -> PackStyle:
    return PackStyle(load_style_data(), paper)
