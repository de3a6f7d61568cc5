"""User text made inert for what leaves the desk: one rule for every output.

A desk holds what people typed and what ministries sent back, and some of it can
carry characters that print nothing yet change what a reader sees: a right-to-left
override (U+202E) turns ``PUBLIC//TXT`` into ``TXT//CILBUP`` on screen and on paper,
bidi isolates and marks reorder numbers and punctuation, zero-width characters hide
a message inside a word or make two different names look the same. The briefing
pack, the workbooks and the console all apply :func:`strip_hidden` — this module is
the one place the rule lives, so the three never disagree.

The rule: every Unicode *format* character (category Cf) is removed — bidi
embeddings, overrides, isolates and marks, zero-width space, word joiner, byte-order
mark, soft hyphen, invisible operators, interlinear annotations, tag characters —
with two exceptions, because removing them would change what a reader sees:

- the *prepended concatenation marks* (ARABIC NUMBER SIGN U+0600 and its kin) print
  a visible sign;
- ZERO WIDTH JOINER and ZERO WIDTH NON-JOINER are kept **beside a letter of a script
  that joins** (Arabic and the scripts shaped like it, the Indic and South-East Asian
  scripts, Mongolian…), where they decide the letter's form — a Persian ``می‌خواهم``
  or a Devanagari half-form is spelled with them — and a ZWJ is kept **between two
  emoji**, where it makes one (👩‍⚕️). Anywhere else (inside a Latin word, at the
  edge of a text, next to a space) they change nothing visible and only hide.

Line breaks, tabs and other control characters (category Cc) are not format
characters: each output treats them its own way (a workbook cell keeps line breaks,
the PDF turns them into ``<br/>``, the console shows them as ``\\n``).
:func:`visible_controls` and :func:`shorten` serve the console and any other preview.
"""

from __future__ import annotations

import re
import unicodedata

ZWJ = "\u200d"
ZWNJ = "\u200c"

# The format characters (Unicode category Cf, as of Unicode 15) less the visible
# prepended concatenation marks (0600-0605, 06DD, 070F, 0890-0891, 08E2, 110BD,
# 110CD). Written out rather than computed from unicodedata at import: scanning every
# code point costs a tenth of a second at start-up. A test holds it equal to what the
# running Python's unicodedata says.
_HIDDEN = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u206f"  # bidi isolates, deprecated format characters
    "\ufeff"  # byte-order mark / zero-width no-break space
    "\ufff9-\ufffb"  # interlinear annotation (hides the annotated text)
    "\U00013430-\U0001343f"  # Egyptian hieroglyph format controls
    "\U0001bca0-\U0001bca3"  # shorthand format controls
    "\U0001d173-\U0001d17a"  # musical beam and phrase controls
    "\U000e0001\U000e0020-\U000e007f"  # tag characters (invisible ASCII)
    "]"
)
PREPENDED_MARKS = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
"""Format characters that print a sign (they span the digits after them): kept."""

# Scripts whose letters take a different form beside ZWJ/ZWNJ: Arabic, Syriac,
# Thaana, N'Ko, Mandaic… (0600-08FF and the presentation forms), the Indic scripts
# (0900-0DFF), Tibetan, Myanmar, Khmer, Mongolian, the Indonesian and Philippine
# scripts, Phags-pa and their supplementary-plane relatives, Adlam.
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x0F00, 0x109F),
    (0x1700, 0x1C4F),
    (0xA800, 0xABFF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
    (0x10A00, 0x11FFF),
    (0x1E900, 0x1E95F),
    (0x1EE00, 0x1EEFF),
)
_EMOJI_COMPONENTS = frozenset("\ufe0f\u20e3")  # emoji presentation selector, keycap


def _joins(ch: str) -> bool:
    """A letter or mark of a script in which ZWJ/ZWNJ change the letters' forms."""
    cp = ord(ch)
    return unicodedata.category(ch)[0] in "LM" and any(
        lo <= cp <= hi for lo, hi in _JOINING_SCRIPTS
    )


def _emoji_piece(ch: str) -> bool:
    """A pictograph (So) or what may close one before a ZWJ (skin tone, FE0F)."""
    category = unicodedata.category(ch)
    return category == "So" or ch in _EMOJI_COMPONENTS or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _keeps(text: str, index: int) -> bool:
    """Whether the joiner at ``text[index]`` does something visible where it stands."""
    ch = text[index]
    if ch not in (ZWJ, ZWNJ):
        return False
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if (before and _joins(before)) or (after and _joins(after)):
        return True
    return ch == ZWJ and bool(before and after) and _emoji_piece(before) and _emoji_piece(after)


# An emoji tag sequence: WAVING BLACK FLAG, tag letters, CANCEL TAG (🏴 of Scotland).
_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def strip_hidden(text: str) -> str:
    """``text`` without the format characters that reorder or hide it (the rule in
    this module's docstring); text without any is returned as it is."""
    if _HIDDEN.search(text) is None:
        return text
    flags = [m.span() for m in _TAG_SEQUENCE.finditer(text)] if "\U0001f3f4" in text else []

    def keep(match: re.Match[str]) -> str:
        at = match.start()
        if _keeps(text, at) or any(start < at < end for start, end in flags):
            return match.group()
        return ""

    return _HIDDEN.sub(keep, text)


def is_hidden(ch: str) -> bool:
    """Whether ``ch`` is a format character the rule removes wherever it stands
    (ZWJ and ZWNJ are kept or removed by their neighbours: see :func:`strip_hidden`)."""
    return ch not in (ZWJ, ZWNJ) and _HIDDEN.fullmatch(ch) is not None


# -- previews: the console and anything else that shows a value on one line ----------

_CONTROL_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls, DEL, the line and paragraph separators (some terminals break
# lines on them), and lone surrogates (a file name's undecodable bytes: printing one
# raises UnicodeEncodeError).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROLS_BUT_LINE_BREAKS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape_control(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _CONTROL_NAMES:
        return _CONTROL_NAMES[ch]
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}"


def visible_controls(text: str, *, keep_line_breaks: bool = False) -> str:
    """``text`` with every control character written out (``\\x1b``, ``\\r``, ``\\n``):
    an escape sequence in a value can then neither recolour nor clear a terminal, and a
    carriage return cannot overwrite the line it is on. ``keep_line_breaks`` leaves
    ``\\n`` alone (for whole messages of several lines)."""
    pattern = _CONTROLS_BUT_LINE_BREAKS if keep_line_breaks else _CONTROLS
    return pattern.sub(_escape_control, text)


def cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` to keep at most ``limit`` characters without separating a
    letter from the marks or joiners that follow it; ``len(text)`` when it fits."""
    if len(text) <= limit:
        return len(text)
    cut = limit
    while cut > 0 and (
        unicodedata.category(text[cut])[0] == "M" or text[cut] in (ZWJ, ZWNJ, "\ufe0f")
    ):
        cut -= 1
    return cut


def length_note(length: int) -> str:
    """What follows a shortened text: ``"… (3,412 characters)"``."""
    return f"… ({length:,} characters)"


def shorten(text: str, limit: int, *, length: int | None = None) -> str:
    """``text`` when it has at most ``limit`` characters; else its first ``limit`` or
    so, an ellipsis and how long it is: ``"The ministry… (3,412 characters)"``.
    ``length`` is the length to state when ``text`` was cleaned from a longer
    original."""
    cut = cut_point(text, limit)
    if cut == len(text):
        return text
    return text[:cut].rstrip() + length_note(len(text) if length is None else length)
