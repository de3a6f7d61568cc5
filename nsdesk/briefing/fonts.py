"""The fonts a briefing pack is printed with, and the reportlab settings we pin.

Only the fonts nsdesk ships (``resources/fonts``: Noto Sans, Noto Serif, Noto
Naskh Arabic, under the SIL Open Font License; Droid Sans Fallback for Chinese,
Japanese and Korean, under the Apache License 2.0) are used, registered by
absolute path under stable names, so a pack looks the same on every machine and
never depends on what happens to be installed. A font found on the machine is
never used, not even as a last resort: the same desk would print differently on
two laptops, and most system CJK fonts are CFF-based OpenType files or
collections that reportlab cannot embed anyway. Each face's coverage (the code
points it has a glyph for) is read once, so :mod:`nsdesk.briefing.text` can tell
which characters print and which would come out as empty boxes.

Only the modules that lay a pack out import this one, so reportlab is imported at
the top like any dependency: nothing on the way to the first window reaches it (the
start-up self-check asks :mod:`nsdesk.briefing.font_files`, which needs no reportlab).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from nsdesk.briefing.font_files import (
    ARABIC,
    ARABIC_BOLD,
    CJK,
    FONT_FILES,
    SANS,
    SANS_BOLD,
    SANS_BOLD_ITALIC,
    SANS_ITALIC,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    fonts_dir,
)
from nsdesk.domain.errors import NsdeskError


class BriefingFontError(NsdeskError):
    """A shipped font is missing or cannot be read: the installation is incomplete."""


@dataclass(frozen=True, slots=True, eq=False)
class FontSet:
    """The registered reportlab font names, by role, and what each face can draw."""

    sans: str
    sans_bold: str
    sans_italic: str
    sans_bold_italic: str
    serif: str
    serif_bold: str
    serif_italic: str
    serif_bold_italic: str
    arabic: str
    arabic_bold: str
    #: Chinese (simplified and traditional), Japanese and Korean: one face for
    #: every weight and style.
    cjk: str
    #: reportlab font name -> the code points that face has a real glyph for.
    coverage: Mapping[str, frozenset[int]]

    def draws(self, font_name: str) -> frozenset[int]:
        """The code points ``font_name`` draws (an empty set for an unknown name)."""
        return self.coverage.get(font_name, frozenset())


def pin_reportlab_settings() -> None:
    """Fix the reportlab settings that could make rendering fetch or read anything
    we did not hand it.

    reportlab builds ``rl_config`` at import from ``rl_settings.py``, then any
    ``local_rl_settings``/``reportlab_settings`` module on the path or
    ``~/.reportlab_settings``, then every ``RL_<name>`` environment variable. A
    machine could therefore trust hosts (``RL_trustedHosts=*``), after which an
    image or font named by URL would be downloaded. We overwrite the values that
    matter after import, every time a pack is made; doing it twice is harmless.

    Note that ``trustedHosts`` only guards URLs: a plain path such as
    ``<img src="/etc/passwd"/>`` is opened directly by reportlab. That is why user
    text is always escaped (:mod:`nsdesk.briefing.text`) and never reaches
    reportlab's markup parser as markup.
    """
    # No host is trusted, no scheme either: any URL (http, https, ftp, file, data,
    # rml) reportlab is asked to open is refused. reportlab caches the compiled
    # host patterns keyed on these values, so a change takes effect at once.
    rl_config.trustedHosts = None
    rl_config.trustedSchemes = []
    # Fonts are registered by absolute path only: no search of system or user font
    # folders (whose content differs per machine). Some reportlab modules bound these
    # lists at their own import, so the lists are emptied in place as well as
    # replaced.
    for name in ("TTFSearchPath", "T1SearchPath", "CMapSearchPath"):
        current = getattr(rl_config, name, None)
        if isinstance(current, list):
            current.clear()
        setattr(rl_config, name, current if isinstance(current, list) else [])
    # Never guess a font's name from a file found somewhere.
    rl_config.autoGenerateMissingTTFName = 0
    # The standard 14 fonts are referenced, never embedded from a Type 1 file
    # that would have to be found on disk.
    # (rl_config reads std14Embed, but its stub does not declare it.)
    rl_config.std14Embed = False  # pyright: ignore[reportAttributeAccessIssue]
    # Colour names in our own markup are looked up, never evaluated as Python
    # ("rl_safe_eval" is reportlab's own "most dangerous option").
    rl_config.toColorCanUse = "rl_extended_literal_eval"
    # The canvas's initial font, for canvases other than a pack's (a pack's canvas
    # starts in the shipped sans, see document.py, so that no standard font is
    # named in the file): a standard font known from built-in metrics. A name from
    # the environment would send reportlab looking for its files.
    rl_config.canvas_basefontname = "Helvetica"
    rl_config.defaultGraphicsFontName = "Helvetica"
    # A debugging or comment setting from the environment must not change the file.
    rl_config.pdfComments = 0
    rl_config.debug = 0
    rl_config.verbose = 0


_lock = threading.Lock()
#: folder -> (the font set, the parsed fonts kept for re-registration).
_cache: dict[Path, tuple[FontSet, dict[str, Any]]] = {}


def load_fonts(folder: Path | None = None) -> FontSet:
    """Pin reportlab's settings, register the shipped fonts and return their names
    and coverage.

    Cached per folder: every pack after the first reuses the parsed fonts (reading
    the ten TrueType files takes about a tenth of a second, half of it the CJK
    font). ``folder`` is the shipped fonts folder unless given (tests give a
    broken copy). reportlab's font registry is process-wide and keeps the first
    font registered under a name, so only one folder per process should actually
    be printed with.

    ``rl_config._reset()`` (used by reportlab's own test tools) empties reportlab's
    font registry; a cached set is registered again if its names went missing.

    Raises :class:`BriefingFontError` naming the file when one is missing or
    unreadable; nothing is registered then.
    """
    pin_reportlab_settings()
    try:
        base = (folder if folder is not None else fonts_dir()).resolve()
    except FileNotFoundError as exc:  # resources_dir(): no resources at all
        raise BriefingFontError(str(exc)) from exc
    with _lock:
        cached = _cache.get(base)
        if cached is None:
            loaded = _read(base)
            cached = (_font_set(loaded), loaded)
            _cache[base] = cached
        _register(cached[1])
        return cached[0]


def _read(base: Path) -> dict[str, Any]:
    """Parse every font file; nothing is registered yet, so a broken installation
    leaves reportlab's registry untouched."""
    loaded: dict[str, Any] = {}
    for name, file_name in FONT_FILES.items():
        path = base / file_name
        if not path.is_file():
            raise BriefingFontError(
                f"The font file {file_name} is missing from {base}: "
                "the nsdesk installation is incomplete."
            )
        try:
            # shapable=False: Arabic arrives already shaped (see text.py), and must
            # not be shaped again if uharfbuzz ever happens to be installed.
            loaded[name] = TTFont(name, str(path), shapable=False)
        except Exception as exc:  # TTFError, struct.error, OSError: all mean "broken"
            raise BriefingFontError(
                f"The font file {file_name} in {base} cannot be read ({exc}): "
                "the nsdesk installation is incomplete."
            ) from exc
    return loaded


def _font_set(loaded: Mapping[str, Any]) -> FontSet:
    # charToGlyph maps a code point to a glyph index; index 0 is .notdef, the empty
    # box, which is exactly what must never be printed.
    coverage = {
        name: frozenset(cp for cp, glyph in font.face.charToGlyph.items() if glyph)
        for name, font in loaded.items()
    }
    return FontSet(
        sans=SANS,
        sans_bold=SANS_BOLD,
        sans_italic=SANS_ITALIC,
        sans_bold_italic=SANS_BOLD_ITALIC,
        serif=SERIF,
        serif_bold=SERIF_BOLD,
        serif_italic=SERIF_ITALIC,
        serif_bold_italic=SERIF_BOLD,
        arabic=ARABIC,
        arabic_bold=ARABIC_BOLD,
        cjk=CJK,
        coverage=MappingProxyType(coverage),
    )


def _register(loaded: Mapping[str, Any]) -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    if registered.issuperset(loaded):
        return
    for name, font in loaded.items():
        if name not in registered:
            pdfmetrics.registerFont(font)
    # <b> and <i> in our own markup pick the family's faces.
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD
    )
    pdfmetrics.registerFontFamily(ARABIC, normal=ARABIC, bold=ARABIC_BOLD)
    # Droid Sans Fallback has no bold or italic face: <b> and <i> around a CJK run
    # keep the regular face rather than fail to find one.
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
