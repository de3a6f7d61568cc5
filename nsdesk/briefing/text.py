"""User text, exactly as written, made safe for reportlab.

Every text in a pack (titles, notes, names, talking points) is the user's own
words. reportlab's ``Paragraph`` reads its text as markup: unescaped, ``<img
src="/path">`` would embed a local file in the pack, ``<a href>`` would make a live
link, ``R&D`` would print as ``R&D;`` and an unbalanced tag would abort the export
(docs/QUALITY.md, "What leaves the desk"). :class:`TextSetter` is the one place that
turns user text into reportlab input:

- ``& < >`` are escaped, so markup in user text prints literally and does nothing;
- bidi controls and hidden characters (zero-width spaces, BOM, tags…) are removed
  by the rule every output shares (:func:`nsdesk.domain.text.strip_hidden`), so the
  pack never shows text reordered or hides a word; line breaks become ``<br/>``,
  tabs a space, other control characters print nothing and are dropped;
- Arabic is joined (presentation forms, with python-bidi's visual order) and set
  in Noto Naskh Arabic, because reportlab neither shapes nor reorders by itself;
- a character no shipped font can draw is shown as ``[U+1F600]`` and reported as
  a :class:`~nsdesk.briefing.model.RenderNote`, never printed as an empty box.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable

from nsdesk.briefing.fonts import FontSet
from nsdesk.briefing.model import RenderNote
from nsdesk.domain.text import ZWJ, ZWNJ, strip_hidden

# Runs of three or more line breaks (lines holding only spaces count as empty)
# collapse to two, i.e. one blank line: a text of five thousand line breaks would
# otherwise print a hundred blank pages. One blank line keeps the user's paragraphs.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n){2,}")
# For single-line output (running headers, outline titles): any line break, with
# the blank space around it, becomes one space.
_LINE_BREAKS = re.compile(r"[^\S\n]*\n\s*")

# Arabic-script blocks: a text holding any of these goes through shaping and bidi.
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10E60, 0x10E7F),
    (0x1EE00, 0x1EEFF),
)
# Line and paragraph separators are line breaks the user typed.
_LINE_SEPARATORS = {0x2028: "\n", 0x2029: "\n", 0x0085: "\n"}

_MAIN, _ARABIC, _MISSING = 0, 1, 2


def _is_arabic_script(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _ARABIC_BLOCKS)


def _is_control(ch: str) -> bool:
    """Control characters (Cc): nothing to print."""
    return unicodedata.category(ch) == "Cc"


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class body matching exactly ``code_points``."""
    points = sorted(code_points)
    parts: list[str] = []
    for _, group in itertools.groupby(enumerate(points), lambda item: item[1] - item[0]):
        run = [cp for _, cp in group]
        first, last = re.escape(chr(run[0])), re.escape(chr(run[-1]))
        parts.append(first if len(run) == 1 else f"{first}-{last}")
    return "".join(parts)


def escape(text: str) -> str:
    """``text`` safe inside reportlab paragraph markup (& < > as entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_environ_lock = threading.Lock()


@functools.cache
def _arabic_tools(arabic_coverage: frozenset[int]) -> tuple[Callable[[str], str], Callable]:
    """The reshaper and python-bidi's ``get_display``, imported only when a text
    holds Arabic (most packs have none).

    arabic_reshaper reads a configuration file named by the environment
    (``PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE``) at import and whenever a
    reshaper is made; rendering must read nothing we did not give it, so the
    variable is hidden for that moment. Our configuration keeps the user's vowel
    marks (the library deletes them by default) and uses only the ligatures the
    shipped Arabic font has glyphs for.
    """
    variable = "PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE"
    with _environ_lock:
        hidden = os.environ.pop(variable, None)
        try:
            import arabic_reshaper
            from arabic_reshaper.ligatures import LIGATURES
            from bidi import get_display

            configuration: dict[str, str] = {"delete_harakat": "no"}
            for name, (_match, forms) in LIGATURES:
                drawable = all(ord(c) in arabic_coverage for form in forms for c in form)
                if not drawable:
                    configuration[name] = "no"
            reshaper = arabic_reshaper.ArabicReshaper(configuration=configuration)
        finally:
            if hidden is not None:
                os.environ[variable] = hidden
    return reshaper.reshape, get_display


@functools.cache
def _unsafe(coverage: frozenset[int], special: str) -> re.Pattern[str]:
    """A pattern finding the first character that needs work: anything the font
    lacks, line breaks and tabs, controls, format characters, right-to-left
    letters, and ``special``. Text it does not match is returned as it is.
    Cached: built once per process, not once per pack."""
    safe = {
        cp
        for cp in coverage
        if chr(cp) not in special
        and unicodedata.category(chr(cp)) not in ("Cc", "Cf")
        and unicodedata.category(chr(cp)) not in ("Zl", "Zp")
        and unicodedata.bidirectional(chr(cp)) not in ("R", "AL")
        and not _is_arabic_script(cp)
    }
    return re.compile(f"[^{_char_class(safe)}]")


class TextSetter:
    """Turns user text into reportlab input, collecting what could not be printed.

    One setter per pack: :attr:`notes` lists the characters no shipped font draws,
    once per character, section and record.
    """

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.notes: list[RenderNote] = []
        self._noted: set[tuple[str, str, int]] = set()
        self._arabic = fonts.draws(fonts.arabic)
        self._main = {False: fonts.draws(fonts.sans), True: fonts.draws(fonts.serif)}
        self._main_bold = {False: fonts.draws(fonts.sans_bold), True: fonts.draws(fonts.serif_bold)}
        self._unsafe_markup = {flag: _unsafe(cover, "&<>") for flag, cover in self._main.items()}
        self._unsafe_plain = {flag: _unsafe(cover, "") for flag, cover in self._main.items()}

    # -- public -----------------------------------------------------------------

    def markup(
        self,
        text: str | None,
        *,
        section: str,
        record: str,
        serif: bool = False,
        bold: bool = False,
    ) -> str:
        """``text`` as ``Paragraph`` markup that prints exactly what the user wrote.

        The paragraph's own style sets the main font (NsSans, or NsSerif when
        ``serif``); Arabic runs switch to NsArabic (NsArabic-Bold when ``bold``).
        """
        if not text:
            return ""
        if self._unsafe_markup[serif].search(text) is None:
            return text  # the common case: nothing to escape, every glyph present
        parts: list[str] = []
        for kind, run in self._runs(text, section, record, serif, bold, single_line=False):
            if kind == _MAIN:
                parts.append(escape(run).replace("\n", "<br/>"))
            else:
                font = self.fonts.arabic_bold if bold else self.fonts.arabic
                parts.append(f'<font name="{font}">{escape(run)}</font>')
        return "".join(parts)

    def plain(self, text: str | None, *, section: str, record: str, visual: bool = True) -> str:
        """``text`` on one line, unescaped: for ``canvas.drawString`` and PDF outline
        titles. Same treatment of controls, Arabic and missing characters as
        :meth:`markup`; line breaks become spaces.

        ``visual=False`` leaves Arabic in logical order and unshaped: a PDF viewer
        shapes and reorders outline titles itself, and would reverse visual-order
        text a second time.
        """
        if not text:
            return ""
        if self._unsafe_plain[False].search(text) is None:
            return text
        return "".join(
            run
            for _, run in self._runs(
                text, section, record, False, False, single_line=True, visual=visual
            )
        )

    def runs(
        self,
        text: str | None,
        *,
        section: str,
        record: str,
        serif: bool = False,
        bold: bool = False,
    ) -> list[tuple[str, str]]:
        """``text`` on one line as ``(font name, text)`` pieces, for drawing on a
        canvas piece by piece (``drawString`` has no font switching of its own, and
        the main fonts have no Arabic)."""
        if not text:
            return []
        if bold:
            main = self.fonts.serif_bold if serif else self.fonts.sans_bold
            arabic = self.fonts.arabic_bold
        else:
            main = self.fonts.serif if serif else self.fonts.sans
            arabic = self.fonts.arabic
        return [
            (arabic if kind == _ARABIC else main, run)
            for kind, run in self._runs(text, section, record, serif, bold, single_line=True)
        ]

    # -- the work ---------------------------------------------------------------

    def _runs(
        self,
        text: str,
        section: str,
        record: str,
        serif: bool,
        bold: bool,
        *,
        single_line: bool,
        visual: bool = True,
    ) -> list[tuple[int, str]]:
        """Clean ``text`` and cut it into runs: main font, Arabic font, and stand-ins
        for characters nothing draws (reported in :attr:`notes`)."""
        main = (self._main_bold if bold else self._main)[serif]
        arabic = self._arabic
        # Bidi controls and hidden characters go by the rule every output shares.
        text = strip_hidden(text)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        distinct = set(text)
        has_arabic = any(
            _is_arabic_script(ord(ch)) or (ord(ch) in arabic and ord(ch) not in main)
            for ch in distinct
        )
        # The joiners the rule kept steer Arabic joining: they go only after shaping
        # (reportlab draws nothing for them). Other controls print nothing.
        keep = {ZWJ, ZWNJ} if has_arabic and visual else set()
        table: dict[int, str | None] = {
            ord(ch): None
            for ch in distinct
            if ch not in keep and ch != "\n" and (_is_control(ch) or ch in (ZWJ, ZWNJ))
        }
        table.update({cp: sep for cp, sep in _LINE_SEPARATORS.items() if chr(cp) in distinct})
        if table:
            text = text.translate(table)
        text = _LINE_BREAKS.sub(" ", text) if single_line else _BLANK_LINES.sub("\n\n", text)
        if has_arabic and visual:
            text = self._shape(text)
        if keep:
            text = text.replace(ZWJ, "").replace(ZWNJ, "")

        runs: list[tuple[int, str]] = []
        for kind, group in itertools.groupby(
            text, lambda ch: self._kind(ch, main, arabic, visual and has_arabic)
        ):
            if kind == _MISSING:
                runs.extend((_MAIN, self._stand_in(ch, section, record)) for ch in group)
            else:
                runs.append((kind, "".join(group)))
        return _merge_arabic_spaces(runs, arabic)

    @staticmethod
    def _kind(ch: str, main: frozenset[int], arabic: frozenset[int], arabic_font: bool) -> int:
        cp = ord(ch)
        if ch == "\n" or cp in main:
            return _MAIN
        if cp in arabic and arabic_font:
            return _ARABIC
        if cp in arabic:  # logical-order outline title: the viewer draws it
            return _MAIN
        return _MISSING

    def _shape(self, text: str) -> str:
        """Join Arabic letters and put each line in visual order.

        Each line is a bidi paragraph of its own: its base direction is right to left
        when its first strong character is Arabic, else left to right (then only the
        Arabic runs are reversed, and a Latin sentence quoting an Arabic name keeps
        its order).
        """
        reshape, get_display = _arabic_tools(self._arabic)
        lines = []
        for line in text.split("\n"):
            if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line) or any(
                _is_arabic_script(ord(ch)) for ch in line
            ):
                line = get_display(reshape(line), base_dir=_base_direction(line))
            lines.append(line)
        return "\n".join(lines)

    def _stand_in(self, ch: str, section: str, record: str) -> str:
        cp = ord(ch)
        label = f"U+{cp:04X}"
        stand_in = f"[{label}]"
        key = (section, record, cp)
        if key not in self._noted:
            self._noted.add(key)
            name = unicodedata.name(ch, "") or "(a character without a name)"
            self.notes.append(
                RenderNote(
                    section=section,
                    record=record,
                    message=(
                        f"character {label} {name} cannot be printed with the shipped "
                        f"fonts; shown as {stand_in}"
                    ),
                )
            )
        return stand_in


def _base_direction(line: str) -> str:
    """ "R" when the first strong character is right to left, else "L"."""
    for ch in line:
        direction = unicodedata.bidirectional(ch)
        if direction in ("R", "AL"):
            return "R"
        if direction == "L":
            return "L"
    return "L"


def _merge_arabic_spaces(
    runs: list[tuple[int, str]], arabic: frozenset[int]
) -> list[tuple[int, str]]:
    """Join neighbouring runs of one font; spaces between two Arabic words stay in the
    Arabic font: one font switch per Arabic phrase instead of one per word."""
    merged: list[tuple[int, str]] = []
    for index, (kind, run) in enumerate(runs):
        between_arabic = (
            kind == _MAIN
            and merged
            and merged[-1][0] == _ARABIC
            and index + 1 < len(runs)
            and runs[index + 1][0] == _ARABIC
            and run.strip(" ") == ""
            and ord(" ") in arabic
        )
        if between_arabic or (merged and merged[-1][0] == kind):
            merged[-1] = (merged[-1][0], merged[-1][1] + run)
        else:
            merged.append((kind, run))
    return merged
