"""The pack's closing note on its fonts: which font drew which text, under which
licence, naming only the fonts this pack actually needed.

The licences of the shipped fonts (SIL Open Font License, Apache License 2.0) ask
that their names and terms travel with them; a pack embeds subsets of them, so it
says so where a reader looks for sources.
"""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable, KeepTogether
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.style import PackStyle
from nsdesk.briefing.text import USED_ARABIC, USED_CJK, USED_PLACEHOLDERS, TextSetter

_FAMILIES = {"sans": "Noto Sans", "serif": "Noto Serif"}
_OFL = "SIL Open Font License 1.1"


def font_lines(style: PackStyle, used: set[str]) -> list[str]:
    """One sentence per kind of text the pack printed, naming its font and licence."""
    roles = set(style.data["fonts"].values())
    families = " and ".join(_FAMILIES[role] for role in sorted(roles) if role in _FAMILIES)
    lines = [f"Latin, Cyrillic and Greek text: {families} ({_OFL})."]
    if USED_ARABIC in used:
        lines.append(
            f"Arabic text: Noto Naskh Arabic ({_OFL}), its letters joined and set right "
            "to left by nsdesk."
        )
    if USED_CJK in used:
        lines.append("Chinese, Japanese and Korean text: Droid Sans Fallback (Apache License 2.0).")
    lines.append("Every font is embedded in this file, with only the characters it prints.")
    if USED_PLACEHOLDERS in used:
        lines.append(
            "Emoji and other characters no embedded font can draw are printed as their "
            "Unicode names in square brackets."
        )
    return lines


def colophon(text: TextSetter, style: PackStyle) -> list[Flowable]:
    """The note, set small at the end of the pack; call it after every other text
    of the pack has gone through ``text``."""
    body = " ".join(font_lines(style, text.used))
    return [
        KeepTogether(
            [
                HRFlowable(
                    width="100%",
                    thickness=0.4,
                    color=style.colour("rule"),
                    spaceBefore=14,
                    spaceAfter=3,
                ),
                Paragraph(f"Fonts. {body}", style.note),
            ]
        )
    ]
