"""Render a :class:`~nsdesk.briefing.model.BriefingPack` to a PDF, in one pass.

The only entry point: :func:`render_pack`. It loads the shipped fonts (and pins
reportlab's settings so nothing is fetched), builds the chosen sections in the
chosen order, each major section on a new page, and lays them out once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.platypus import NextPageTemplate, PageBreak
from reportlab.platypus.paragraph import Paragraph

from nsdesk import __version__
from nsdesk.briefing.colophon import colophon
from nsdesk.briefing.document import PackDocument, PageDecor
from nsdesk.briefing.fonts import load_fonts
from nsdesk.briefing.model import BriefingPack, RenderResult
from nsdesk.briefing.sections import BUILDERS, Context
from nsdesk.briefing.story import finish
from nsdesk.briefing.style import load_style
from nsdesk.briefing.text import USED_CJK, TextSetter


def _metadata(pack: BriefingPack, text: TextSetter) -> dict[str, str]:
    h = pack.header

    def plain(value: str) -> str:
        return text.plain(value, section="cover", record="metadata", visual=False)

    subject = f"{h.event_name or 'Briefing'}, as of {h.as_of.isoformat()}"
    author = h.prepared_by or h.delegation or h.state_name
    keywords = ", ".join(
        k
        for k in (
            "nuclear security",
            "briefing pack",
            h.state_name,
            h.marking_label,
            "DEMO" if h.is_demo else "",
        )
        if k
    )
    return {
        "title": plain(h.title),
        "subject": plain(subject),
        "author": plain(author),
        "keywords": plain(keywords),
        "creator": f"nsdesk {__version__}",
    }


def render_pack(
    pack: BriefingPack,
    target: Path | Any,
    *,
    progress: Any = None,
    deterministic: bool = False,
) -> RenderResult:
    """Write ``pack`` as a PDF to ``target`` (a path or a binary stream).

    ``progress`` is a :class:`nsdesk.services.progress.Progress`-like object
    (``report`` and ``check_cancelled``); cancelling stops the layout at the
    next page and raises its :class:`CancelledError`.
    """
    fonts = load_fonts()
    text = TextSetter(fonts)
    style = load_style(pack.header.paper)
    check = progress.check_cancelled if progress is not None else (lambda: None)
    # A rough page estimate for the progress bar: sheets dominate.
    expected = max(4, len(pack.sections) + len(pack.sheets) // 2 + len(pack.gift_baskets) // 2)

    def on_page(done: int) -> None:
        if progress is not None:
            progress.report(min(done, expected - 1), expected, f"Laying out page {done}")
            progress.check_cancelled()

    h = pack.header
    running = Paragraph(
        text.markup(
            f"{h.title} — {h.state_name} — as of {h.as_of.isoformat()}",
            section="cover",
            record="running title",
        ),
        style.running,
    )
    marking = text.runs(
        h.marking_label.upper(),
        section="cover",
        record="marking",
        serif=style.font("running").startswith("NsSerif"),
        bold=True,
    )
    doc = PackDocument(
        str(target) if isinstance(target, Path) else target,
        style,
        PageDecor(running, tuple(marking), h.is_demo),
        metadata=_metadata(pack, text),
        deterministic=deterministic,
        on_page=on_page,
        starts_with_cover="cover" in pack.sections,
    )
    ctx = Context(pack, style, text, check)
    story: list[Any] = []
    for key in pack.sections:
        check()
        if story and key != "cover" and not isinstance(story[-1], PageBreak):
            story.append(PageBreak())
        story.extend(BUILDERS[key](ctx))
    # At the very end (before a cover-only pack's closing page break): which
    # fonts drew what, now that every text has been set.
    tail: list[Any] = []
    while story and isinstance(story[-1], (PageBreak, NextPageTemplate)):
        tail.insert(0, story.pop())
    story += [*colophon(text, style), *tail]
    cjk = fonts.cjk if USED_CJK in text.used else None
    finish([running, *story], cell_font=style.font("table"), cjk_font=cjk)
    running.wrap(style.frame_width * 0.8, 20)
    doc.build(story)
    return RenderResult(pages=doc.pages_done, notes=tuple(text.notes))
