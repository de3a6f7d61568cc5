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
- Chinese, Japanese and Korean (and whatever else only Droid Sans Fallback
  draws) are set in Droid Sans Fallback, a run at a time;
- an emoji, however many code points make it (skin tones, joined people, flags),
  is shown as one bracketed name, ``[emoji: GRINNING FACE]``, and any other
  character no shipped font can draw as its code and name, ``[U+10330 GOTHIC
  LETTER AHSA]``; each is reported as a :class:`~nsdesk.briefing.model.
  RenderNote`, never printed as an empty box nor dropped. Variation selectors only
  choose a glyph variant, so they are dropped and the character they follow
  prints as the font draws it.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable

from nsdesk.briefing.emoji import Emoji, find_emoji, is_emoji_part
from nsdesk.briefing.fonts import FontSet
from nsdesk.briefing.model import RenderNote
from nsdesk.domain.text import PREPENDED_MARKS, ZWJ, ZWNJ, strip_hidden

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

_MAIN, _ARABIC, _CJK, _MISSING, _EMOJI = 0, 1, 2, 3, 4
# Neutral, unmirrored characters (box drawing, arrows, mahjong and domino tiles...)
# that stand in for emoji while a line is shaped and reordered.
_NEUTRALS = tuple(
    chr(cp)
    for cp in itertools.chain(range(0x2500, 0x2800), range(0x1F000, 0x1FB00))
    if unicodedata.bidirectional(chr(cp)) == "ON" and not unicodedata.mirrored(chr(cp))
)

#: What a pack used beyond its main fonts (:attr:`TextSetter.used`).
USED_ARABIC, USED_CJK, USED_PLACEHOLDERS = "arabic", "cjk", "placeholders"
_USES = {
    _ARABIC: USED_ARABIC,
    _CJK: USED_CJK,
    _MISSING: USED_PLACEHOLDERS,
    _EMOJI: USED_PLACEHOLDERS,
}


def _is_arabic_script(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _ARABIC_BLOCKS)


def _is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _is_invisible(ch: str) -> bool:
    """Control (Cc) and format (Cf) characters and variation selectors: nothing to
    print of their own (but the Arabic number signs, which print a sign)."""
    if ch in PREPENDED_MARKS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf") or _is_variation_selector(ord(ch))


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
            # lazy: imported with the variable hidden (it is read at import), and only for Arabic
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

    One setter per pack: :attr:`notes` lists the characters and emoji no shipped
    font draws, once per character, section and record; :attr:`used` says which
    fonts beyond the main ones the pack's pages needed (for its colophon).
    """

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.notes: list[RenderNote] = []
        #: ``USED_ARABIC``, ``USED_CJK``, ``USED_PLACEHOLDERS``: what printed text
        #: needed (text given only to bookmarks and metadata does not count).
        self.used: set[str] = set()
        self._noted: set[tuple[str, str, str]] = set()
        self._arabic = fonts.draws(fonts.arabic)
        self._cjk = fonts.draws(fonts.cjk)
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
        ``serif``); Arabic runs switch to NsArabic (NsArabic-Bold when ``bold``),
        Chinese, Japanese and Korean runs to NsCJK (one weight).
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
                font = self._font(kind, serif=serif, bold=bold)
                parts.append(f'<font name="{font}">{escape(run)}</font>')
        return "".join(parts)

    def plain(self, text: str | None, *, section: str, record: str, visual: bool = True) -> str:
        """``text`` on one line, unescaped: for ``canvas.drawString`` and PDF outline
        titles. Same treatment of controls, Arabic, emoji and missing characters as
        :meth:`markup`; line breaks become spaces.

        ``visual=False`` leaves Arabic in logical order and unshaped: a PDF viewer
        shapes and reorders outline titles itself, and would reverse visual-order
        text a second time. Chinese, Japanese and Korean are kept as written there
        too (the viewer draws them with its own fonts).
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
        the main fonts have neither Arabic nor CJK)."""
        if not text:
            return []
        return [
            (self._font(kind, serif=serif, bold=bold), run)
            for kind, run in self._runs(text, section, record, serif, bold, single_line=True)
        ]

    # -- the work ---------------------------------------------------------------

    def _font(self, kind: int, *, serif: bool, bold: bool) -> str:
        fonts = self.fonts
        if kind == _ARABIC:
            return fonts.arabic_bold if bold else fonts.arabic
        if kind == _CJK:
            return fonts.cjk
        if bold:
            return fonts.serif_bold if serif else fonts.sans_bold
        return fonts.serif if serif else fonts.sans

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
        """Clean ``text`` and cut it into runs: main font, Arabic font, CJK font, and
        placeholders for emoji and characters nothing draws (reported in
        :attr:`notes`). Placeholders are set in the main font."""
        main = (self._main_bold if bold else self._main)[serif]
        arabic, cjk = self._arabic, self._cjk
        # Bidi controls and hidden characters go by the rule every output shares.
        text = strip_hidden(text)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        distinct = set(text)
        # Emoji first, while their joiners and selectors are still there: each
        # becomes one stand-in character that survives shaping and reordering
        # (python-bidi would reverse the code points of a sequence in a right-to-left
        # line) and is replaced by its placeholder at the end.
        stand_ins: dict[str, str] = {}

        def drawable(cp: int) -> bool:
            return cp in main or cp in arabic or cp in cjk

        if any(is_emoji_part(ch) and not drawable(ord(ch)) for ch in distinct):
            text = self._replace_emoji(text, distinct, drawable, stand_ins, section, record)
            distinct = set(text)
        has_arabic = any(
            _is_arabic_script(ord(ch)) or (ord(ch) in arabic and ord(ch) not in main)
            for ch in distinct
            if ch not in stand_ins
        )
        # The joiners the rule kept steer Arabic joining: they go only after shaping
        # (reportlab draws nothing for them). Other controls print nothing.
        keep = {ZWJ, ZWNJ} if has_arabic and visual else set()
        table: dict[int, str | None] = {
            ord(ch): None for ch in distinct if ch not in keep and ch != "\n" and _is_invisible(ch)
        }
        table.update({cp: sep for cp, sep in _LINE_SEPARATORS.items() if chr(cp) in distinct})
        if table:
            text = text.translate(table)
        text = _LINE_BREAKS.sub(" ", text) if single_line else _BLANK_LINES.sub("\n\n", text)
        if has_arabic and visual:
            text = self._shape(text)
        if keep:
            text = text.replace(ZWJ, "").replace(ZWNJ, "")

        def kind_of(ch: str) -> int:
            cp = ord(ch)
            if ch in stand_ins:
                return _EMOJI
            if ch == "\n" or cp in main:
                return _MAIN
            if cp in arabic:
                # A logical-order outline title: the viewer draws it.
                return _ARABIC if visual and has_arabic else _MAIN
            if cp in cjk:
                return _CJK if visual else _MAIN
            return _MISSING

        runs: list[tuple[int, str]] = []
        kinds: set[int] = set()
        for kind, group in itertools.groupby(text, kind_of):
            kinds.add(kind)
            if kind == _MISSING:
                runs.extend((_MAIN, self._stand_in(ch, section, record)) for ch in group)
            elif kind == _EMOJI:
                runs.extend((_MAIN, stand_ins[ch]) for ch in group)
            else:
                runs.append((kind, "".join(group)))
        if visual:
            self.used.update(_USES[kind] for kind in kinds if kind in _USES)
        return _merge_spaces(runs, {_ARABIC: arabic, _CJK: cjk})

    def _replace_emoji(
        self,
        text: str,
        distinct: set[str],
        drawable: Callable[[int], bool],
        stand_ins: dict[str, str],
        section: str,
        record: str,
    ) -> str:
        """``text`` with each emoji needing a placeholder replaced by a stand-in
        character of its own; ``stand_ins`` maps those to the placeholders."""
        found = find_emoji(text, drawable)
        if not found:
            return text
        # Stand-ins are neutral (ON) like emoji, so the bidi algorithm places them
        # where it would place the emoji; never one the user's text holds itself.
        free = (ch for ch in _NEUTRALS if ch not in distinct)
        by_sequence: dict[str, str] = {}
        pieces: list[str] = []
        position = 0
        for emoji in found:
            stand_in = by_sequence.get(emoji.text)
            if stand_in is None:
                # Thousands of neutrals: a text with more distinct emoji gets the
                # rest's placeholders directly (right only in left-to-right lines).
                stand_in = by_sequence[emoji.text] = next(free, emoji.placeholder)
                stand_ins[stand_in] = emoji.placeholder
            self._note_emoji(emoji, section, record)
            pieces += [text[position : emoji.start], stand_in]
            position = emoji.end
        pieces.append(text[position:])
        return "".join(pieces)

    def _note_emoji(self, emoji: Emoji, section: str, record: str) -> None:
        key = (section, record, emoji.text)
        if key in self._noted:
            return
        self._noted.add(key)
        self.notes.append(
            RenderNote(
                section=section,
                record=record,
                message=(
                    f"emoji {emoji.code_points} cannot be printed (no colour emoji font "
                    f"can be embedded); shown as {emoji.placeholder}"
                ),
            )
        )

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
        name = unicodedata.name(ch, "")
        label = f"U+{cp:04X}"
        stand_in = f"[{label} {name}]" if name else f"[{label}]"
        key = (section, record, ch)
        if key not in self._noted:
            self._noted.add(key)
            self.notes.append(
                RenderNote(
                    section=section,
                    record=record,
                    message=(
                        f"character {label} {name or '(a character without a name)'} "
                        f"cannot be printed with the shipped fonts; shown as {stand_in}"
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


def _merge_spaces(
    runs: list[tuple[int, str]], coverage: dict[int, frozenset[int]]
) -> list[tuple[int, str]]:
    """Join neighbouring runs of one font; spaces between two runs of the Arabic (or
    CJK) font stay in that font when it has a space: one font switch per phrase
    instead of one per word."""
    merged: list[tuple[int, str]] = []
    for index, (kind, run) in enumerate(runs):
        previous = merged[-1][0] if merged else None
        between = (
            kind == _MAIN
            and previous in coverage
            and index + 1 < len(runs)
            and runs[index + 1][0] == previous
            and run.strip(" ") == ""
            and ord(" ") in coverage[previous]
        )
        if between or (merged and previous == kind):
            merged[-1] = (merged[-1][0], merged[-1][1] + run)
        else:
            merged.append((kind, run))
    return merged
