"""The one rule for text that leaves the desk: what is removed, what is kept, and how
a preview shows a long or hostile value."""

from __future__ import annotations

import unicodedata

import pytest

from nsdesk.domain.text import (
    PREPENDED_MARKS,
    ZWJ,
    ZWNJ,
    is_hidden,
    shorten,
    strip_hidden,
    visible_controls,
)

PERSIAN = "می\u200cخواهم"  # "I want": the ZWNJ keeps می apart from خواهم
DEVANAGARI = "क्\u200dष"  # a half-form made with ZWJ
MALAYALAM = "ന്\u200d"  # a chillu letter written with ZWJ
HEALTH_WORKER = "👩\u200d⚕\ufe0f"
FAMILY = "👨\u200d👩\u200d👧"


def test_the_written_list_is_every_format_character_but_the_visible_signs() -> None:
    """The list is written out (start-up speed); it must match this Python's Unicode."""
    format_characters = {chr(cp) for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cf"}
    removed_somewhere = {ch for ch in format_characters if is_hidden(ch)} | {ZWJ, ZWNJ}
    assert removed_somewhere == format_characters - PREPENDED_MARKS
    assert all(unicodedata.category(ch) == "Cf" for ch in PREPENDED_MARKS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TXT.\u202eFDP.exe", "TXT.FDP.exe"),  # right-to-left override
        ("\u202aa\u202bb\u202cc\u202dd", "abcd"),  # embeddings, pop, left-to-right override
        ("\u2066x\u2067y\u2068z\u2069", "xyz"),  # isolates
        ("2026\u200f-\u200e2027\u061c", "2026-2027"),  # marks reorder digits and dashes
        ("PUB\u200bLIC\u2060\ufeff", "PUBLIC"),  # zero-width space, word joiner, BOM
        ("PUB\u200dLIC", "PUBLIC"),  # a ZWJ inside a Latin word only hides
        ("PUB\u200cLIC", "PUBLIC"),
        ("\u200dsecret\u200c", "secret"),
        ("co\u00adoperation", "cooperation"),  # soft hyphen
        ("flag\U000e0041\U000e0042\U000e007f", "flag"),  # tag characters: invisible ASCII
        ("a\ufff9hidden\ufffab\ufffb", "ahiddenb"),  # interlinear annotation marks
    ],
)
def test_what_reorders_or_hides_text_is_removed(text: str, expected: str) -> None:
    assert strip_hidden(text) == expected


@pytest.mark.parametrize("word", [PERSIAN, DEVANAGARI, MALAYALAM, HEALTH_WORKER, FAMILY])
def test_joiners_that_shape_a_word_or_an_emoji_are_kept(word: str) -> None:
    assert strip_hidden(word) == word
    assert strip_hidden(f"\u202e{word}\u200b") == word


def test_only_the_joiners_beside_the_letters_are_kept() -> None:
    assert strip_hidden("می\u200c\u200c\u200c\u200cخواهم") == "می\u200c\u200cخواهم"
    assert strip_hidden("👩\u200d \u200d⚕") == "👩 ⚕"  # a ZWJ beside a space joins nothing


def test_a_visible_arabic_number_sign_is_kept() -> None:
    assert strip_hidden("\u0600١٢٣") == "\u0600١٢٣"


def test_text_without_hidden_characters_is_returned_as_it_is() -> None:
    text = "Ministry of R&D — Министерство, Υπουργείο, وزارة الخارجية"
    assert strip_hidden(text) is text


def test_controls_are_written_out_so_a_terminal_does_not_obey_them() -> None:
    shown = visible_controls("ok\x1b[2J\x1b[31mred\rLINE\n\x9b1m\x7f\x07\udcff")
    assert shown == "ok\\x1b[2J\\x1b[31mred\\rLINE\\n\\x9b1m\\x7f\\x07\\udcff"
    assert visible_controls("a\nb\rc", keep_line_breaks=True) == "a\nb\\rc"


def test_a_long_text_is_shortened_with_its_length_said() -> None:
    text = "The ministry will report. " * 200  # 5,200 characters
    shown = shorten(text, 100)
    assert shown.endswith("… (5,200 characters)")
    assert len(shown) <= 100 + len("… (5,200 characters)")
    assert shown.startswith("The ministry will report.")
    assert shorten("short", 100) == "short"
    assert shorten("x" * 50, 10, length=3_412) == "x" * 10 + "… (3,412 characters)"


def test_shortening_never_separates_a_letter_from_its_marks() -> None:
    text = "e\u0301" * 20  # é as e + combining acute
    shown = shorten(text, 7)
    assert shown.startswith("e\u0301e\u0301e\u0301")
    assert not shown.split("…")[0].endswith("e")  # the accent was not cut off


def test_a_subdivision_flag_keeps_its_tags_and_stray_tags_go() -> None:
    """The flag of Scotland is a black flag, tag letters and a cancel tag: removing
    the tags would print a plain black flag; the same tags elsewhere only hide text."""
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert strip_hidden(f"Edinburgh {scotland} office") == f"Edinburgh {scotland} office"
    assert strip_hidden("PUB\U000e0067\U000e0062LIC") == "PUBLIC"
