"""User text reaches the PDF exactly as written, harmlessly, and in real glyphs.

docs/QUALITY.md ("What leaves the desk", PDF): markup in user text must print
literally and do nothing (no embedded files, no live links, no aborted export);
Latin, Cyrillic, Greek, Arabic, Chinese, Japanese and Korean must print with
embedded fonts, Arabic shaped and right to left; an emoji or a character no shipped
font draws is shown by its name and reported, never an empty box;
reportlab must never fetch anything. The tests build real PDFs with reportlab and
read them back with pypdf, asserting what a reader of the pack would notice.
Every hostile text is made here, in the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from nsdesk.briefing import fonts as fonts_module
from nsdesk.briefing.fonts import (
    FONT_FILES,
    BriefingFontError,
    FontSet,
    load_fonts,
    pin_reportlab_settings,
)
from nsdesk.briefing.model import RenderNote
from nsdesk.briefing.text import TextSetter

CYRILLIC = "Министерство иностранных дел"
GREEK = "Υπουργείο Εξωτερικών"
ARABIC = "وزارة الخارجية"
CHINESE = "中华人民共和国外交部：加强核安全，履行承诺。"
TRADITIONAL = "中華民國外交部：核子保安承諾與國際合作。"
JAPANESE = "外務省：核セキュリティの強化に関する約束（ひらがな・カタカナ）。"
KOREAN = "대한민국 외교부: 핵안보 강화 공약 이행."
HOSTILE = (
    '<img src="/etc/passwd">',
    '<a href="https://example.org">x</a>',
    "R&D",
    "a < b",
    "</para>",
)


@pytest.fixture(scope="module")
def font_set() -> FontSet:
    return load_fonts()


@pytest.fixture
def setter(font_set: FontSet) -> TextSetter:
    return TextSetter(font_set)


def build_pdf(path: Path, markups: list[str], font: str = "NsSans") -> PdfReader:
    """One paragraph per markup, as the renderer sets user text, read back."""
    style = ParagraphStyle("body", fontName=font, fontSize=10, leading=13)
    SimpleDocTemplate(str(path)).build([Paragraph(m, style) for m in markups])
    return PdfReader(str(path))


def extracted(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def page_fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont of every font used on any page -> whether its file is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found[str(font["/BaseFont"])] = embedded
    return found


def arabic_printed(text: str, original: str) -> bool:
    """Whether every word of ``original`` can be read in extracted ``text``.

    reportlab draws a character its font lacks as glyph 0 (the empty box), which
    pypdf extracts as NUL; the words are looked for after NFKC folds the
    presentation forms back to letters, in either order (pypdf puts right-to-left
    runs back in logical order, other readers may not)."""
    if "\x00" in text:
        return False
    folded = unicodedata.normalize("NFKC", text)
    return all(word in folded or word[::-1] in folded for word in original.split())


# -- markup in user text prints literally and does nothing -------------------------


def test_hostile_markup_prints_literally_and_embeds_or_links_nothing(
    setter: TextSetter, tmp_path: Path
) -> None:
    reader = build_pdf(
        tmp_path / "hostile.pdf", [setter.markup(t, section="s", record="r") for t in HOSTILE]
    )

    text = extracted(reader)
    for hostile in HOSTILE:
        assert hostile in text
    for page in reader.pages:
        assert "/Annots" not in page
        assert "/XObject" not in page["/Resources"]


def test_five_thousand_line_breaks_make_one_blank_line_not_a_hundred_pages(
    setter: TextSetter, tmp_path: Path
) -> None:
    for breaks in ("\n", "\r\n", "\r", "\n \t"):
        markup = setter.markup(f"alpha{breaks * 5000}omega", section="s", record="r")
        reader = build_pdf(tmp_path / "breaks.pdf", [markup])

        text = extracted(reader)
        assert "alpha" in text
        assert "omega" in text
        assert len(reader.pages) <= 2
        assert markup.count("<br/>") == 2  # one blank line between the two words


def test_line_breaks_and_tabs_within_reason_are_kept(setter: TextSetter) -> None:
    assert setter.markup("one\ntwo\r\n\r\nthree\tfour", section="s", record="r") == (
        "one<br/>two<br/><br/>three four"
    )


def test_controls_and_invisible_format_characters_are_dropped(setter: TextSetter) -> None:
    text = "\ufeffa\u200bb\u202ec\x07d\x1be\x85f\u2066g\u2069"
    assert setter.markup(text, section="s", record="r") == "abcd" + "e<br/>f" + "g"
    assert setter.plain(text, section="s", record="r") == "abcde fg"
    assert setter.notes == []


def test_plain_text_is_unescaped_on_one_line(setter: TextSetter) -> None:
    assert setter.plain("R&D <b>\n\n\nnext", section="s", record="r") == "R&D <b> next"


def test_text_needing_nothing_is_returned_as_it_is(setter: TextSetter) -> None:
    text = "Convert the Hoogland reactor to LEU — Министерство, Υπουργείο (2014)"
    assert setter.markup(text, section="s", record="r") is text
    assert setter.plain(text, section="s", record="r") is text
    assert setter.markup(None, section="s", record="r") == ""
    assert setter.markup("", section="s", record="r") == ""


# -- real glyphs, embedded fonts ------------------------------------------------------


def test_cyrillic_greek_and_arabic_print_in_embedded_shipped_fonts(
    setter: TextSetter, tmp_path: Path
) -> None:
    reader = build_pdf(
        tmp_path / "scripts.pdf",
        [setter.markup(t, section="s", record="r") for t in (CYRILLIC, GREEK, ARABIC)],
    )

    # Fonts appear under their own PostScript names as embedded subsets
    # ("AAAAAA+NotoSans-Regular"), not under the names we register them with.
    fonts = page_fonts(reader)
    sans = [name for name in fonts if name.endswith("+NotoSans-Regular")]
    arabic = [name for name in fonts if name.endswith("+NotoNaskhArabic-Regular")]
    assert sans
    assert arabic
    assert all(fonts[name] for name in sans + arabic)

    text = extracted(reader)
    assert CYRILLIC in text
    assert GREEK in text
    assert arabic_printed(text, ARABIC)


def test_arabic_check_would_catch_empty_boxes(tmp_path: Path, font_set: FontSet) -> None:
    """The Arabic assertion above is not vacuous: Arabic given to the main font as
    it is (not through the setter) prints as boxes, and the check says so."""
    reader = build_pdf(tmp_path / "boxes.pdf", [ARABIC])
    assert not arabic_printed(extracted(reader), ARABIC)


def test_arabic_is_shaped_in_visual_order_inside_a_latin_sentence(setter: TextSetter) -> None:
    markup = setter.markup(f"The ministry ({ARABIC}) said", section="s", record="r", bold=True)

    assert markup.startswith("The ministry (")
    assert markup.endswith(") said")
    inner = markup[len("The ministry (") : -len(") said")]
    assert inner.startswith('<font name="NsArabic-Bold">')
    assert inner.endswith("</font>")
    shaped = inner[len('<font name="NsArabic-Bold">') : -len("</font>")]
    # Presentation forms (joined letters), words in right-to-left visual order.
    assert all(0xFE70 <= ord(ch) <= 0xFEFF or ch == " " for ch in shaped)
    assert unicodedata.normalize("NFKC", shaped)[::-1] == ARABIC


def test_chinese_japanese_and_korean_print_in_the_embedded_cjk_font(
    setter: TextSetter, tmp_path: Path
) -> None:
    texts = (CHINESE, TRADITIONAL, JAPANESE, KOREAN)
    markups = [setter.markup(t, section="s", record="r") for t in texts]
    markups.append(setter.markup(f"{KOREAN} / {ARABIC} / {CHINESE}", section="s", record="r"))
    reader = build_pdf(tmp_path / "cjk.pdf", markups)

    fonts = page_fonts(reader)
    cjk = [name for name in fonts if name.endswith("+DroidSansFallback")]
    assert cjk
    assert all(fonts[name] for name in cjk)
    text = "".join(extracted(reader).split())
    assert "\x00" not in text
    for written in texts:
        assert "".join(written.split()) in text
    assert arabic_printed(extracted(reader), ARABIC)
    assert setter.notes == []


def test_a_cjk_run_has_one_face_for_every_weight(setter: TextSetter) -> None:
    assert setter.markup(f"MFA {CHINESE}", section="s", record="r", bold=True) == (
        f'MFA <font name="NsCJK">{CHINESE}</font>'
    )
    assert setter.runs(f"機密 {ARABIC}", section="s", record="r", bold=True) == [
        ("NsCJK", "機密"),
        ("NsSans-Bold", " "),
        ("NsArabic-Bold", setter.runs(ARABIC, section="s", record="r", bold=True)[0][1]),
    ]
    # Outline titles and metadata keep the text as written: the viewer draws it.
    assert setter.plain(KOREAN, section="s", record="r", visual=False) == KOREAN


def test_arabic_runs_give_canvas_pieces_with_their_fonts(setter: TextSetter) -> None:
    pieces = setter.runs(f"Cairo: {ARABIC}", section="s", record="r")
    assert [font for font, _ in pieces] == ["NsSans", "NsArabic"]
    assert pieces[0][1] == "Cairo: "
    # Outline titles are drawn by the viewer, which shapes and orders them itself.
    assert setter.plain(ARABIC, section="s", record="r", visual=False) == ARABIC


# -- what no font draws is shown and reported ----------------------------------------


def test_an_emoji_is_shown_by_its_name_and_reported_once_per_record(
    setter: TextSetter, tmp_path: Path
) -> None:
    markups = [
        setter.markup("Agreed 😀 and 😀 again", section="sheets", record="C-12"),
        setter.markup("Also 😀", section="sheets", record="C-13"),
    ]
    reader = build_pdf(tmp_path / "emoji.pdf", markups)

    assert extracted(reader).count("[emoji: GRINNING FACE]") == 3
    assert "\x00" not in extracted(reader)
    message = (
        "emoji U+1F600 cannot be printed (no colour emoji font can be embedded); "
        "shown as [emoji: GRINNING FACE]"
    )
    assert setter.notes == [
        RenderNote(section="sheets", record="C-12", message=message),
        RenderNote(section="sheets", record="C-13", message=message),
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("👍🏽", "[emoji: THUMBS UP SIGN, MEDIUM SKIN TONE]"),
        ("👩\u200d💻", "[emoji: WOMAN + PERSONAL COMPUTER]"),
        ("👨\u200d👩\u200d👧", "[emoji: MAN + WOMAN + GIRL]"),
        ("🏳️\u200d🌈", "[emoji: WAVING WHITE FLAG + RAINBOW]"),
        ("❤️", "[emoji: HEAVY BLACK HEART]"),
        ("🇯🇵", "[flag: JP]"),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "[flag: GB-SCT]"),
        ("1\ufe0f\u20e3", "[emoji: KEYCAP 1]"),
    ],
)
def test_an_emoji_sequence_is_one_placeholder_not_one_per_code_point(
    setter: TextSetter, text: str, shown: str
) -> None:
    assert setter.markup(f"Agreed {text} today", section="s", record="r") == (
        f"Agreed {shown} today"
    )
    assert setter.plain(f"{text}{text}", section="s", record="r") == shown * 2
    assert len(setter.notes) == 1
    assert shown in setter.notes[0].message


def test_a_character_drawn_by_a_font_prints_as_text_without_its_emoji_selector(
    setter: TextSetter,
) -> None:
    # © with the emoji presentation selector: Noto Sans draws ©, so © it is.
    assert setter.markup("©\ufe0f 2026", section="s", record="r") == "© 2026"
    assert setter.notes == []


def test_an_emoji_keeps_its_place_in_a_right_to_left_line(setter: TextSetter) -> None:
    """Arabic, then an emoji, then Chinese: read right to left, the Chinese is at the
    left end, the placeholder between it and the Arabic."""
    markup = setter.markup(f"{ARABIC} 👍🏽 中文", section="s", record="r")
    assert markup == (
        '<font name="NsCJK">中文</font> [emoji: THUMBS UP SIGN, MEDIUM SKIN TONE] '
        + markup[markup.index('<font name="NsArabic">') :]
    )


def test_a_character_no_font_draws_is_shown_by_its_code_and_name_and_reported(
    setter: TextSetter,
) -> None:
    # Gothic, and an ideograph of CJK extension B (Droid Sans Fallback has neither).
    assert setter.plain("\U00010330 \U00020000", section="sheets", record="C-1") == (
        "[U+10330 GOTHIC LETTER AHSA] [U+20000 CJK UNIFIED IDEOGRAPH-20000]"
    )
    assert [note.message for note in setter.notes] == [
        "character U+10330 GOTHIC LETTER AHSA cannot be printed with the shipped fonts; "
        "shown as [U+10330 GOTHIC LETTER AHSA]",
        "character U+20000 CJK UNIFIED IDEOGRAPH-20000 cannot be printed with the shipped "
        "fonts; shown as [U+20000 CJK UNIFIED IDEOGRAPH-20000]",
    ]


def test_an_unnamed_character_is_reported_too(setter: TextSetter) -> None:
    # The variation selector (U+E0100) only picks a glyph variant: it is dropped.
    assert setter.plain("x\U000e0100\U0010fffd", section="s", record="r") == "x[U+10FFFD]"
    assert "U+10FFFD (a character without a name)" in setter.notes[-1].message


def test_an_ideographic_variation_selector_leaves_the_ideograph(setter: TextSetter) -> None:
    """Japanese names are sometimes written with a variation selector after a kanji
    (葛 + U+E0100): the kanji prints, nothing is reported."""
    assert setter.markup("葛\U000e0100城", section="s", record="r") == (
        '<font name="NsCJK">葛城</font>'
    )
    assert setter.notes == []


# -- the fonts -------------------------------------------------------------------------


def test_fonts_are_loaded_once(font_set: FontSet) -> None:
    assert load_fonts() is font_set
    assert ord("Ж") in font_set.draws(font_set.sans)
    assert ord("ب") in font_set.draws(font_set.arabic)
    assert 0x1F600 not in font_set.draws(font_set.sans)
    assert 0x1F600 not in font_set.draws(font_set.cjk)


def test_the_cjk_font_draws_chinese_japanese_and_korean(font_set: FontSet) -> None:
    cjk = font_set.draws(font_set.cjk)
    every = {
        "CJK unified ideographs": range(0x4E00, 0x9FA6),
        # Every kana in use (not the rare ゕ ゖ ヷ ヸ ヹ ヺ).
        "hiragana": range(0x3041, 0x3095),
        "katakana": range(0x30A1, 0x30F7),
        "Hangul syllables": range(0xAC00, 0xD7A4),
    }
    for block, points in every.items():
        assert all(cp in cjk for cp in points), block
    assert all(ord(ch) in cjk for ch in "，。、：；！？「」『』（）・ー")


def _copy_fonts(target: Path) -> Path:
    target.mkdir(parents=True)
    for file_name in FONT_FILES.values():
        shutil.copy(fonts_module.fonts_dir() / file_name, target / file_name)
    return target


def test_a_missing_font_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resources = tmp_path / "resources"
    (_copy_fonts(resources / "fonts") / "NotoSerif-Italic.ttf").unlink()
    monkeypatch.setattr("nsdesk.locations.resources_dir", lambda: resources)

    with pytest.raises(BriefingFontError, match=r"NotoSerif-Italic\.ttf.*incomplete"):
        load_fonts()


def test_an_unreadable_font_file_is_named(tmp_path: Path) -> None:
    folder = _copy_fonts(tmp_path / "fonts")
    (folder / "NotoNaskhArabic-Bold.ttf").write_bytes(b"not a font at all")

    with pytest.raises(BriefingFontError, match=r"NotoNaskhArabic-Bold\.ttf.*incomplete"):
        load_fonts(folder)
    with pytest.raises(BriefingFontError):  # a broken folder is not cached as good
        load_fonts(folder)


# -- reportlab fetches nothing ---------------------------------------------------------


def test_settings_from_the_environment_and_settings_files_are_overridden(
    tmp_path: Path,
) -> None:
    """In a fresh interpreter, as reportlab reads them at import."""
    (tmp_path / "reportlab_settings.py").write_text("trustedHosts = ['*.example.org']\n")
    script = textwrap.dedent(
        """
        from reportlab import rl_config
        assert rl_config.trustedHosts == ["*"], rl_config.trustedHosts
        from nsdesk.briefing.fonts import pin_reportlab_settings
        pin_reportlab_settings()
        pin_reportlab_settings()
        assert not rl_config.trustedHosts
        assert rl_config.trustedSchemes == []
        assert rl_config.TTFSearchPath == rl_config.T1SearchPath == []
        assert rl_config.CMapSearchPath == []
        assert not rl_config.autoGenerateMissingTTFName
        print("pinned")
        """
    )
    env = {
        **os.environ,
        "RL_trustedHosts": "*",
        "RL_trustedSchemes": "file,http,https,data",
        "RL_TTFSearchPath": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "pinned" in result.stdout


def test_an_image_url_in_markup_would_be_refused(
    font_set: FontSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should markup ever reach reportlab unescaped, a URL is still not opened."""
    from PIL import Image
    from reportlab import rl_config

    picture = tmp_path / "picture.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    markup = f'x <img src="{picture.as_uri()}" width="8" height="8"/> y'

    pin_reportlab_settings()
    with pytest.raises(OSError, match="Cannot open resource"):
        build_pdf(tmp_path / "refused.pdf", [markup])

    # The contrast: trusting localhost, as RL_trustedHosts could, embeds the file.
    monkeypatch.setattr(rl_config, "trustedHosts", ["localhost"])
    monkeypatch.setattr(rl_config, "trustedSchemes", ["file"])
    reader = build_pdf(tmp_path / "trusted.pdf", [markup])
    assert "/XObject" in reader.pages[0]["/Resources"]


def test_the_pack_follows_the_rule_every_output_shares(setter: TextSetter) -> None:
    """One rule (nsdesk.domain.text): what a workbook cell loses, the pack loses."""
    from nsdesk.domain.text import strip_hidden

    text = "Sign\u2066 the\u2069 act\u200b of PUB\u200dLIC \u202eTXT"
    assert (
        setter.plain(text, section="s", record="r")
        == strip_hidden(text)
        == ("Sign the act of PUBLIC TXT")
    )
    # A visible Arabic number sign is kept and printed, not dropped as a format character.
    assert "\u0600" in setter.markup("\u0600١٢", section="s", record="r")
    assert setter.notes == []
