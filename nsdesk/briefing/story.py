"""Last touches to a pack's flowables, once every section is built and before the
one layout pass: every nested flowable is reached (table cells, kept-together
groups), so section builders need not know about them.

- **Line breaking for Chinese, Japanese and Korean.** reportlab breaks a
  paragraph's lines at spaces only. Chinese and Japanese are written without
  spaces, so a sentence would be one long "word": pushed whole to the next line,
  then cut wherever the frame ends. reportlab's ``wordWrap="CJK"`` breaks between
  any two ideographs or kana, keeps closing punctuation off the start of a line,
  and inside Latin words goes back to the last space. It costs more per character
  than the usual breaking, so only paragraphs that carry a CJK run get it: a pack
  without such text is laid out exactly as before. reportlab's list of characters
  that must not start a line lacks the full-width comma, colon, semicolon,
  exclamation and question marks and some closing brackets that Chinese and
  Japanese use; they are added to it.
- **No standard font.** A table sets its cells' font on the canvas even when the
  cells are paragraphs, and reportlab's default cell font is Helvetica, which would
  be named (unembedded) in the pack. Every table's cells get the shipped sans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reportlab.lib import textsplit
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table, TableStyle, paragraph
from reportlab.platypus.flowables import KeepTogether
from reportlab.platypus.paragraph import Paragraph

# Full-width ， ． ： ； ！ ？ ｝ ｣, 〉 》 〗 〙 〟, ” ’, … ‥: closing punctuation that
# reportlab's CJK line breaking would otherwise put at the start of a line.
_CANNOT_START_LINE = (
    "\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\uff5d\uff63"
    "\u3009\u300b\u3017\u3019\u301f\u201d\u2019\u2026\u2025"
)


def _keep_closing_punctuation_off_line_starts() -> None:
    # Both copies: a paragraph of one font is broken by textsplit.wordSplit, one that
    # switches fonts by paragraph.cjkFragSplit.
    for module in (paragraph, textsplit):
        current = module.ALL_CANNOT_START
        missing = "".join(ch for ch in _CANNOT_START_LINE if ch not in current)
        if missing:
            # patched on purpose: the stubs call the table Final, and omit paragraph's copy
            module.ALL_CANNOT_START = current + missing  # pyright: ignore[reportAttributeAccessIssue]


def flowables_in(story: Iterable[Any]) -> Iterator[Any]:
    """Every flowable of ``story``, depth first: tables and kept-together groups, then
    what they hold."""
    for item in story:
        yield item
        if isinstance(item, Table):
            # reportlab keeps a table's cells only in this private list (not in its stub)
            for row in item._cellvalues:  # pyright: ignore[reportAttributeAccessIssue]
                for cell in row:
                    yield from flowables_in(cell if isinstance(cell, (list, tuple)) else (cell,))
        elif isinstance(item, KeepTogether):
            # ...and a kept-together group's flowables likewise
            yield from flowables_in(item._content)  # pyright: ignore[reportAttributeAccessIssue]


def finish(story: Iterable[Any], *, cell_font: str, cjk_font: str | None) -> None:
    """Give every table ``cell_font`` as its cells' font, and, when ``cjk_font`` is
    given, every paragraph holding a run in it a copy of its style that breaks lines
    between CJK characters. Works on flowables already made; text is untouched."""
    cell_style = TableStyle([("FONTNAME", (0, 0), (-1, -1), cell_font)])
    if cjk_font is not None:
        _keep_closing_punctuation_off_line_starts()
    cjk_styles: dict[int, ParagraphStyle] = {}
    for item in flowables_in(story):
        if isinstance(item, Table):
            item.setStyle(cell_style)
        elif (
            cjk_font is not None
            and isinstance(item, Paragraph)
            and any(getattr(frag, "fontName", None) == cjk_font for frag in item.frags)
        ):
            style = item.style
            copy = cjk_styles.get(id(style))
            if copy is None:
                copy = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
                cjk_styles[id(style)] = copy
            item.style = copy
