"""The font files a briefing pack is printed with, by their reportlab names, and a
cheap check that they are all there: no reportlab, nothing heavy, because the
start-up self-check asks it before the first window paints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nsdesk import locations

SANS = "NsSans"
SANS_BOLD = "NsSans-Bold"
SANS_ITALIC = "NsSans-Italic"
SANS_BOLD_ITALIC = "NsSans-BoldItalic"
SERIF = "NsSerif"
SERIF_BOLD = "NsSerif-Bold"
SERIF_ITALIC = "NsSerif-Italic"
ARABIC = "NsArabic"
ARABIC_BOLD = "NsArabic-Bold"
CJK = "NsCJK"

#: reportlab name -> file in the fonts folder. Noto Serif ships no bold italic:
#: the serif family's bold italic is drawn with the bold face. Droid Sans Fallback
#: (Chinese, Japanese, Korean) has one face, used for every weight.
FONT_FILES: Mapping[str, str] = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
    SANS_BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
    SERIF: "NotoSerif-Regular.ttf",
    SERIF_BOLD: "NotoSerif-Bold.ttf",
    SERIF_ITALIC: "NotoSerif-Italic.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}


def fonts_dir() -> Path:
    """The shipped fonts folder."""
    return locations.resources_dir() / "fonts"


#: The first four bytes of a TrueType or OpenType font file.
_FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def missing_fonts(folder: Path | None = None) -> list[str]:
    """The shipped faces absent from ``folder`` (default: the fonts folder), or
    present but not a font, each as a sentence; empty when all are there.

    Cheap (a stat and four bytes a face, no reportlab), so the start-up self-check
    can ask it and a broken bundle is caught at start, not at the first export."""
    try:
        base = folder if folder is not None else fonts_dir()
    except FileNotFoundError:
        return ["the resources folder (catalogue, fonts, icons) is missing"]
    problems = []
    for name in sorted(set(FONT_FILES.values())):
        path = base / name
        try:
            with path.open("rb") as file:
                signature = file.read(4)
        except OSError:
            problems.append(f"the font {name} is missing from {base}")
            continue
        if signature not in _FONT_SIGNATURES:
            problems.append(f"{path} is not a font file")
    return problems
