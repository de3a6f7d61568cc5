"""The pack's pages: marking on every page, running title, page x of y, bookmarks
and a contents list with page numbers, all in ONE layout pass.

A contents list needs page numbers that are known only once the body is laid
out; reportlab's usual answer (``multiBuild``) lays the whole pack out again
until the numbers settle, which measured about three times the cost of one
pass. Here every number that is not known yet (each contents entry's page, the
"of y" on every page) is drawn as a reference to a named PDF form that is
defined after the last page, when the numbers are known. The contents entries
have a fixed-width number column, so their lines do not depend on the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.style import PackStyle

TOTAL_FORM = "nsdeskPagesTotal"


@dataclass(frozen=True, slots=True)
class PageDecor:
    """What every page's margins carry, already made safe for the canvas."""

    #: One line, set like any user text (it carries the event's name), so drawn
    #: as a wrapped paragraph rather than a canvas string.
    running_title: Any
    #: The marking (a desk may name its levels in any script) as (font, text)
    #: pieces in the marking's size, already in capitals.
    marking: tuple[tuple[str, str], ...]
    demo: bool


class Heading(Paragraph):
    """A heading that becomes a bookmark (and, for sections, a contents entry)."""

    def __init__(
        self,
        markup: str,
        style: Any,
        *,
        key: str,
        outline_title: str,
        level: int,
        contents_key: str | None = None,
    ):
        super().__init__(markup, style)
        self.key = key
        self.outline_title = outline_title
        self.level = level
        self.contents_key = contents_key


class PageNumberRef(Flowable):
    """The page number of a section, drawn right-aligned from a form defined later."""

    def __init__(self, contents_key: str, width: float, style: Any):
        super().__init__()
        self.form = f"nsdeskToc_{contents_key}"
        self.width, self.height = width, style.leading
        # On the same baseline as the entry's text: a paragraph's first baseline
        # sits one ascent below its top.
        self.baseline = style.leading - getAscent(style.fontName, style.fontSize)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(self.width, self.baseline)
        self.canv.doForm(self.form)
        self.canv.restoreState()


@dataclass
class _Outline:
    last_level: int = -1
    pages: dict[str, int] = field(default_factory=dict)


class PackDocument(BaseDocTemplate):
    """Two page templates (cover, body); bookmarks and contents numbers are
    recorded as headings are laid out, and the forms filled in at the end."""

    def __init__(
        self,
        target: Any,
        style: PackStyle,
        decor: PageDecor,
        *,
        metadata: dict[str, str],
        deterministic: bool,
        on_page: Callable[[int], None] | None = None,
        starts_with_cover: bool = True,
    ):
        self.style = style
        self.decor = decor
        self._outline = _Outline()
        self._on_page = on_page
        self.pages_done = 0
        super().__init__(
            target,
            pagesize=style.page_size,
            leftMargin=style.margin("left"),
            rightMargin=style.margin("right"),
            topMargin=style.margin("top"),
            bottomMargin=style.margin("bottom"),
            invariant=1 if deterministic else 0,
            title=metadata.get("title", ""),
            subject=metadata.get("subject", ""),
            author=metadata.get("author", ""),
            keywords=metadata.get("keywords", ""),
            creator=metadata.get("creator", ""),
            producer=metadata.get("creator", ""),
            lang="en",
            # reportlab's canvas otherwise starts every page in Helvetica, which
            # would then be named, unembedded, in the pack: every font in a pack is
            # one of ours, embedded.
            initialFontName=style.font("running"),
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover = PageTemplate("cover", [frame], onPage=self._cover_page)
        body = PageTemplate("body", [frame], onPage=self._body_page)
        # The first template is the first page's: a pack without a cover starts on a body page.
        self.addPageTemplates([cover, body] if starts_with_cover else [body, cover])

    # -- what every page carries ---------------------------------------------------------

    def _marking(self, canvas: Canvas, y: float) -> None:
        style = self.style
        size = style.size("marking")
        canvas.setFillColor(style.colour("marking"))
        pieces = self.decor.marking
        x = (style.page_size[0] - sum(stringWidth(t, font, size) for font, t in pieces)) / 2
        for font, text in pieces:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
            x += stringWidth(text, font, size)

    def _cover_page(self, canvas: Canvas, doc: Any) -> None:
        style = self.style
        width, height = style.page_size
        canvas.saveState()
        canvas.setFillColor(style.colour("accent"))
        canvas.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
        self._marking(canvas, height - 15 * mm)
        self._marking(canvas, 10 * mm)
        if self.decor.demo:
            canvas.setFillColor(style.colour("demo"))
            canvas.setFont(style.font("running", "bold"), 10)
            canvas.drawRightString(width - style.margin("right"), height - 15 * mm, "DEMO")
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, doc: Any) -> None:
        style = self.style
        width, height = style.page_size
        left, right = style.margin("left"), width - style.margin("right")
        canvas.saveState()
        # Marking alone at the very top and bottom; the running title and the
        # page number sit inside, between the marking and the text.
        self._marking(canvas, height - 9 * mm)
        self._marking(canvas, 7 * mm)
        canvas.setStrokeColor(style.colour("rule"))
        canvas.setLineWidth(0.5)
        canvas.line(left, height - 16.5 * mm, right, height - 16.5 * mm)
        canvas.line(left, 15.5 * mm, right, 15.5 * mm)
        canvas.setFillColor(style.colour("muted"))
        self.decor.running_title.drawOn(canvas, left, height - 15 * mm)
        canvas.setFont(style.font("running"), style.size("running"))
        if self.decor.demo:
            canvas.setFillColor(style.colour("demo"))
            canvas.setFont(style.font("running", "bold"), style.size("running"))
            canvas.drawRightString(right, height - 15 * mm + 1, "DEMO")
            canvas.setFillColor(style.colour("muted"))
            canvas.setFont(style.font("running"), style.size("running"))
        # "Page x of " and then the total, a form filled in after the last page.
        text = f"Page {canvas.getPageNumber()} of "
        canvas.drawString(right - 24 * mm, 11.5 * mm, text)
        canvas.translate(
            right
            - 24 * mm
            + canvas.stringWidth(text, style.font("running"), style.size("running")),
            11.5 * mm,
        )
        canvas.doForm(TOTAL_FORM)
        canvas.restoreState()

    # -- bookmarks and contents as headings go by -------------------------------------------

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading):
            return
        canvas = self.canv
        # An outline level may only go one deeper than the one before it.
        level = min(flowable.level, self._outline.last_level + 1)
        self._outline.last_level = level
        canvas.bookmarkPage(flowable.key)
        canvas.addOutlineEntry(flowable.outline_title, flowable.key, level=level, closed=level > 0)
        if flowable.contents_key is not None:
            self._outline.pages[flowable.contents_key] = canvas.getPageNumber()

    def afterPage(self) -> None:
        self.pages_done += 1
        if self._on_page is not None:
            self._on_page(self.pages_done)

    def _endBuild(self) -> None:
        # Let reportlab finish the last page without saving, define the forms the
        # pages refer to (now that every number is known), then save.
        self._doSave = 0
        # reportlab's own end-of-build step; its stub leaves the private hook out
        super()._endBuild()  # pyright: ignore[reportAttributeAccessIssue]
        self._define_forms()
        self.canv.save()

    def _define_forms(self) -> None:
        canvas, style = self.canv, self.style
        canvas.beginForm(TOTAL_FORM, -1, -4, 60, 12)
        canvas.setFont(style.font("running"), style.size("running"))
        canvas.setFillColor(style.colour("muted"))
        canvas.drawString(0, 0, str(self.pages_done))
        canvas.endForm()
        for key, page in self._outline.pages.items():
            canvas.beginForm(f"nsdeskToc_{key}", -60, -4, 1, 14)
            canvas.setFont(style.contents_number.fontName, style.contents_number.fontSize)
            canvas.setFillColor(style.colour("ink"))
            canvas.drawRightString(0, 0, str(page))
            canvas.endForm()
        self.contents_pages = dict(self._outline.pages)


def to_body() -> NextPageTemplate:
    return NextPageTemplate("body")
