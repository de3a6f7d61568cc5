"""Emoji in user text: found as the reader sees them, one per visible picture, and
named for the placeholder printed in their stead.

No colour font can be embedded with reportlab, so an emoji is printed as its
Unicode name in brackets (``[emoji: GRINNING FACE]``). What a reader sees as one
emoji is often several code points: a base and a variation selector (❤️), a
skin-tone modifier (👍🏽), people joined by zero-width joiners (👩‍💻), two regional
indicator letters (a flag, 🇯🇵), a black flag with tag letters (🏴 + ``gbsct``) or a
keycap (1️⃣). Each such sequence gives one placeholder, never one per code point.

Plain Python, no reportlab; :mod:`nsdesk.briefing.text` decides what prints.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from nsdesk.domain.text import ZWJ

# Extended_Pictographic (Unicode emoji-data.txt, 15.0): the code points that are,
# or are reserved to become, emoji. ``unicodedata`` does not carry the property.
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x2388, 0x2388),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x2605),
    (0x2607, 0x2612),
    (0x2614, 0x2685),
    (0x2690, 0x2705),
    (0x2708, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271D, 0x271D),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2767),
    (0x2795, 0x2797),
    (0x27A1, 0x27A1),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F0FF),
    (0x1F10D, 0x1F10F),
    (0x1F12F, 0x1F12F),
    (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F),
    (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F),
    (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F),
    (0x1F249, 0x1F3FA),
    (0x1F400, 0x1F53D),
    (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F774, 0x1F77F),
    (0x1F7D5, 0x1F7FF),
    (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F),
    (0x1F85A, 0x1F85F),
    (0x1F888, 0x1F88F),
    (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945),
    (0x1F947, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
)
_PICTOGRAPHIC_STARTS = [lo for lo, _ in _PICTOGRAPHIC]

_VS_TEXT, _VS_EMOJI = "\ufe0e", "\ufe0f"
_KEYCAP = "\u20e3"
_KEYCAP_BASES = frozenset("0123456789#*")
_REGIONAL_A, _REGIONAL_Z = 0x1F1E6, 0x1F1FF
_BLACK_FLAG = 0x1F3F4
_TAG_FIRST, _TAG_LAST, _CANCEL_TAG = 0xE0020, 0xE007E, 0xE007F
#: The Fitzpatrick modifiers by the names emoji pickers give them.
_SKIN_TONES = {
    0x1F3FB: "LIGHT SKIN TONE",
    0x1F3FC: "MEDIUM-LIGHT SKIN TONE",
    0x1F3FD: "MEDIUM SKIN TONE",
    0x1F3FE: "MEDIUM-DARK SKIN TONE",
    0x1F3FF: "DARK SKIN TONE",
}


def is_pictographic(cp: int) -> bool:
    """Whether ``cp`` is an emoji (Extended_Pictographic)."""
    index = bisect.bisect_right(_PICTOGRAPHIC_STARTS, cp) - 1
    return index >= 0 and cp <= _PICTOGRAPHIC[index][1]


def _is_regional(cp: int) -> bool:
    return _REGIONAL_A <= cp <= _REGIONAL_Z


def is_emoji_part(ch: str) -> bool:
    """Whether ``ch`` can begin or belong to an emoji sequence (cheap: tells whether
    a text needs :func:`find_emoji` at all)."""
    cp = ord(ch)
    return (
        is_pictographic(cp)
        or _is_regional(cp)
        or cp in _SKIN_TONES
        or ch in (_VS_EMOJI, _KEYCAP)
        or _TAG_FIRST <= cp <= _CANCEL_TAG
    )


@dataclass(frozen=True, slots=True)
class Emoji:
    """One emoji as the reader sees it: ``text[start:end]`` of the text searched."""

    start: int
    end: int
    text: str
    #: What the placeholder says inside its brackets: ``emoji: THUMBS UP SIGN,
    #: MEDIUM SKIN TONE``, ``flag: JP``.
    label: str

    @property
    def placeholder(self) -> str:
        """What is printed in the emoji's place."""
        return f"[{self.label}]"

    @property
    def code_points(self) -> str:
        """``U+1F44D U+1F3FD``: every code point, for the report."""
        return " ".join(f"U+{ord(ch):04X}" for ch in self.text)


def find_emoji(text: str, drawable: Callable[[int], bool]) -> list[Emoji]:
    """The emoji in ``text`` that need a placeholder, in order.

    A lone pictographic character a shipped font does draw (©, ™, ★ with or
    without a variation selector) is not among them: it prints in its text form.
    Everything else that is an emoji sequence is, however many code points it has.
    """
    found: list[Emoji] = []
    index, length = 0, len(text)
    while index < length:
        end = _sequence_end(text, index)
        if end is None:
            index += 1
            continue
        sequence = text[index:end]
        if not _prints_as_text(sequence, drawable):
            found.append(Emoji(index, end, sequence, _label(sequence)))
        index = end
    return found


def _sequence_end(text: str, start: int) -> int | None:
    """Where the emoji sequence starting at ``start`` ends, or None when none starts
    there."""
    ch, length = text[start], len(text)
    cp = ord(ch)
    if _is_regional(cp):
        return start + 2 if start + 1 < length and _is_regional(ord(text[start + 1])) else start + 1
    if ch in _KEYCAP_BASES:
        end = start + 1
        if end < length and text[end] == _VS_EMOJI:
            end += 1
        return end + 1 if end < length and text[end] == _KEYCAP else None
    if not (is_pictographic(cp) or cp in _SKIN_TONES):
        return None
    end = _element_end(text, start)
    while (
        end + 1 < length
        and text[end] == ZWJ
        and (is_pictographic(ord(text[end + 1])) or ord(text[end + 1]) in _SKIN_TONES)
    ):
        end = _element_end(text, end + 1)
    return end


def _element_end(text: str, start: int) -> int:
    """The end of one element: a base and its variation selector, skin tone and tag
    letters."""
    end, length = start + 1, len(text)
    while end < length and text[end] in (_VS_TEXT, _VS_EMOJI):
        end += 1
    if end < length and ord(text[end]) in _SKIN_TONES and ord(text[start]) not in _SKIN_TONES:
        end += 1
    while end < length and _TAG_FIRST <= ord(text[end]) <= _CANCEL_TAG:
        end += 1
        if ord(text[end - 1]) == _CANCEL_TAG:
            break
    return end


def _prints_as_text(sequence: str, drawable: Callable[[int], bool]) -> bool:
    base, rest = sequence[0], sequence[1:]
    return rest in ("", _VS_TEXT, _VS_EMOJI) and drawable(ord(base)) and base not in _KEYCAP_BASES


def _name(ch: str) -> str:
    return unicodedata.name(ch, "") or f"U+{ord(ch):04X}"


def _label(sequence: str) -> str:
    cps = [ord(ch) for ch in sequence]
    if _is_regional(cps[0]):
        letters = "".join(chr(ord("A") + cp - _REGIONAL_A) for cp in cps)
        return f"flag: {letters}" if len(cps) == 2 else f"emoji: {_name(sequence)}"
    if cps[-1] == ord(_KEYCAP):
        return f"emoji: KEYCAP {sequence[0]}"
    tags = "".join(chr(cp - 0xE0000) for cp in cps if _TAG_FIRST <= cp <= _TAG_LAST)
    if cps[0] == _BLACK_FLAG and tags:
        region = tags.upper()
        return f"flag: {region[:2]}-{region[2:]}" if len(region) > 2 else f"flag: {region}"
    elements = []
    for element in sequence.split(ZWJ):
        names, tones = [], []
        for ch in element:
            cp = ord(ch)
            if ch in (_VS_TEXT, _VS_EMOJI) or _TAG_FIRST <= cp <= _CANCEL_TAG:
                continue
            if cp in _SKIN_TONES:
                tones.append(_SKIN_TONES[cp])
            else:
                names.append(_name(ch))
        elements.append(", ".join(names + tones))
    return "emoji: " + " + ".join(e for e in elements if e)
