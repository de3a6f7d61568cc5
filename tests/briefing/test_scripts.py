"""A pack in any script: a delegation of China, Japan or the Republic of Korea writes
its desk in its own language and the pack prints it, beside Arabic, with every font
embedded; emoji come out as their names. Read back from real PDFs (pypdf) and real
pages (pdftoppm)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import Paragraph

from nsdesk.briefing.fonts import load_fonts
from nsdesk.briefing.story import finish
from nsdesk.briefing.text import TextSetter
from nsdesk.domain.marking import MarkingLevel
from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.desk_settings import read_desk_settings, update_desk_settings
from tests.briefing.pdf_reading import ReadPdf, read_pdf, render_pages
from tests.conftest import DEMO_DAY

CHINESE = "中华人民共和国外交部：加强核安全，履行承诺。"
TRADITIONAL = "中華民國外交部：核子保安承諾與國際合作，確保核材料的實體防護。"
JAPANESE = "外務省：核セキュリティの強化に関する約束（ひらがな・カタカナ）。"
KOREAN = "대한민국 외교부: 핵안보 강화 공약 이행."
ARABIC = "وزارة الخارجية"
EVENT = "核安全サミット 東京 2027"
DELEGATION = "大韩民国常驻维也纳代表团"
CJK_TEXTS = (CHINESE, TRADITIONAL, JAPANESE, KOREAN, EVENT, DELEGATION)
EMOJI = {
    "👍🏽": "[emoji: THUMBS UP SIGN, MEDIUM SKIN TONE]",
    "🇯🇵": "[flag: JP]",
    "🇰🇷": "[flag: KR]",
    "👩\u200d💻": "[emoji: WOMAN + PERSONAL COMPUTER]",
    "😀": "[emoji: GRINNING FACE]",
}


def flat(text: str) -> str:
    """Text with every run of white space as one space."""
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Text without white space: lines of CJK text break between any two characters,
    and extraction puts a line break there."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def cjk_pack(desk_copies, tmp_path_factory: pytest.TempPathFactory):
    """A desk written in Chinese, Japanese, Korean and Arabic, with emoji: its agency,
    commitment, history, next steps, a gift basket's note and action item, an event,
    the delegation and a marking level's name. The whole pack, made once."""
    folder = tmp_path_factory.mktemp("cjk")
    desk_file = desk_copies.copy("new", folder, "cjk.nsdesk")
    with open_desk(desk_file) as desk:
        records = RecordService(desk, today=lambda: DEMO_DAY)
        records.create("agency", {"code": "MFA", "name": "中华人民共和国外交部"})
        ref = records.create(
            "commitment",
            {
                "title": f"核セキュリティ強化 {KOREAN}",
                "pledged_on": "2024-03-01",
                "lead_agency": "MFA",
                "text": f"{TRADITIONAL} {CHINESE * 5}",
                "talking_points": f"{KOREAN} / {ARABIC} / {CHINESE}\n{JAPANESE}",
                "next_steps": "Agreed " + " ".join(EMOJI),
            },
        ).key
        records.create(
            "status_entry",
            {
                "commitment": ref,
                "entry_date": "2024-04-01",
                "status": "in_progress",
                "narrative": f"{KOREAN} {ARABIC} 😀",
            },
        )
        records.create("action_item", {"gift_basket": "gb_2016_nscg", "title": CHINESE})
        records.update("gift_basket", "gb_2016_nscg", {"own_role_note": f"{JAPANESE} — {ARABIC}"})
        records.create("event", {"code": "tokyo", "kind": "sherpa_meeting", "name": EVENT})
        levels = [
            MarkingLevel(level.code, f"内部 {level.label}", level.description)
            if level.code == "INTERNAL"
            else level
            for level in read_desk_settings(desk).levels
        ]
        update_desk_settings(desk, delegation=DELEGATION, levels=levels)
    out = folder / "cjk.pdf"
    with open_desk(desk_file, read_only=True) as desk:
        outcome = write_briefing(
            desk, BriefingRequest(as_of=DEMO_DAY, deterministic=True, event="tokyo"), out
        )
    return ref, outcome, read_pdf(out)


@pytest.fixture(scope="module")
def demo_pack(desk_copies, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo")
    desk_file = desk_copies.copy("demo", folder, "demo.nsdesk")
    out = folder / "demo.pdf"
    with open_desk(desk_file, read_only=True) as desk:
        write_briefing(desk, BriefingRequest(as_of=DEMO_DAY, deterministic=True), out)
    return read_pdf(out)


def fonts_in_file(reader: PdfReader) -> dict[str, list[str]]:
    """Every font object anywhere in the file (pages, forms, fonts no page names),
    by BaseFont, with the font-file keys of its descriptor(s): empty when the font
    is only named, its glyphs left to the reader's machine."""
    found: dict[str, list[str]] = {}
    for generation in reader.xref.values():
        for number in generation:
            obj = reader.get_object(number)
            if not hasattr(obj, "get") or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") == "/CIDFontType2" or obj.get("/Subtype") == "/CIDFontType0":
                continue  # a descendant: looked at through its Type0 parent
            bodies = [d.get_object() for d in obj.get("/DescendantFonts") or []] or [obj]
            files = []
            for body in bodies:
                descriptor = body.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                files += [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            found[str(obj["/BaseFont"])] = files
    return found


def page_font_names(read: ReadPdf) -> set[str]:
    """BaseFont of every font a page or a form on it names in its resources."""
    names: set[str] = set()

    def visit(resources: object) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in read.reader.pages:
        visit(page.get("/Resources"))
    return names


# -- what the reader of the pack finds ---------------------------------------------------


def test_chinese_japanese_korean_and_arabic_print_as_written(cjk_pack) -> None:
    _ref, _outcome, pdf = cjk_pack
    text = pdf.text
    assert "[U+" not in text
    assert "\x00" not in text  # a glyph no font had would come back as NUL
    for written in CJK_TEXTS:
        assert squeezed(written) in squeezed(text), written
    assert "中华人民共和国外交部" in text  # the agency, in the tables
    folded = unicodedata.normalize("NFKC", text)
    assert all(word in folded for word in ARABIC.split()), "Arabic not printed"


def test_cjk_is_on_the_cover_in_the_running_title_the_marking_and_the_contents(
    cjk_pack,
) -> None:
    _ref, _outcome, pdf = cjk_pack
    cover, body = flat(pdf.pages[0]), flat(pdf.pages[1])
    assert squeezed(EVENT) in squeezed(cover)
    assert DELEGATION in cover
    assert f"Briefing pack: {EVENT}" in body  # the running title
    # The marking, drawn piece by piece (CJK font, then the bold sans), on every page.
    assert all(flat(page).count("内部 INTERNAL") == 2 for page in pdf.pages)


def test_bookmarks_and_metadata_keep_the_text_as_written(cjk_pack) -> None:
    ref, _outcome, pdf = cjk_pack
    titles = [title for _, title in pdf.outline]
    assert EVENT in titles
    assert f"{ref}  核セキュリティ強化 {KOREAN}" in titles
    assert pdf.metadata["/Title"] == f"Briefing pack: {EVENT}"
    assert "内部 Internal" in pdf.metadata["/Keywords"]


def test_emoji_are_printed_by_name_one_per_emoji_and_reported(cjk_pack) -> None:
    ref, outcome, pdf = cjk_pack
    text = flat(pdf.text)
    assert "Agreed " + " ".join(EMOJI.values()) in text
    assert "[emoji: GRINNING FACE]" in text
    assert "[emoji: MEDIUM SKIN TONE]" not in text  # the modifier is part of its emoji
    reported = {(note.section, note.record, note.message) for note in outcome.notes}
    for placeholder in EMOJI.values():
        assert any(
            section == "sheets" and record == ref and message.endswith(placeholder)
            for section, record, message in reported
        ), placeholder
    assert all("emoji" in note.message for note in outcome.notes)


def test_the_fonts_note_names_the_fonts_this_pack_used(cjk_pack, demo_pack) -> None:
    _ref, _outcome, cjk = cjk_pack
    note = flat(cjk.pages[-1])
    assert "Chinese, Japanese and Korean text: Droid Sans Fallback (Apache License 2.0)." in note
    assert "Arabic text: Noto Naskh Arabic (SIL Open Font License 1.1)" in note
    assert "Emoji and other characters no embedded font can draw" in note
    demo = flat(demo_pack.pages[-1])
    assert "Latin, Cyrillic and Greek text: Noto Sans and Noto Serif" in demo
    assert "Droid Sans Fallback" not in demo_pack.text
    assert "Emoji" not in demo


def test_the_cjk_font_is_embedded_as_a_small_subset(cjk_pack) -> None:
    _ref, _outcome, pdf = cjk_pack
    fonts = fonts_in_file(pdf.reader)
    droid = [name for name in fonts if name.endswith("+DroidSansFallback")]
    assert droid
    assert all(fonts[name] == ["/FontFile2"] for name in droid)
    # The font file is 3.4 MB; the pack carries only the glyphs it prints.
    assert pdf.path.stat().st_size < 250_000


@pytest.mark.parametrize("pack", ["cjk_pack", "demo_pack"])
def test_every_font_in_the_pack_is_embedded_and_none_is_a_standard_one(
    pack: str, request: pytest.FixtureRequest
) -> None:
    """A font only named (Helvetica, which reportlab's canvas and tables start in)
    is drawn with whatever the reader's machine substitutes: the pack would not look
    the same everywhere, and a Chinese reader's viewer might show boxes."""
    value = request.getfixturevalue(pack)
    pdf = value[2] if isinstance(value, tuple) else value
    fonts = fonts_in_file(pdf.reader)
    assert fonts
    unembedded = sorted(name for name, files in fonts.items() if not files)
    assert unembedded == []
    assert all("+" in name for name in fonts)  # subsets, every one
    assert page_font_names(pdf) <= set(fonts)


def test_the_check_would_catch_a_standard_font(tmp_path: Path) -> None:
    """The embedding check is not vacuous: a plain reportlab document names
    Helvetica, and the check finds it unembedded."""
    from reportlab.platypus import SimpleDocTemplate

    path = tmp_path / "plain.pdf"
    SimpleDocTemplate(str(path)).build([Paragraph("x", ParagraphStyle("p", fontName="NsSans"))])
    assert fonts_in_file(PdfReader(str(path)))["/Helvetica"] == []


def test_pages_with_cjk_and_arabic_render(cjk_pack, tmp_path: Path) -> None:
    _ref, _outcome, pdf = cjk_pack
    images = render_pages(pdf.path, tmp_path / "png", dpi=40)
    assert len(images) == len(pdf.pages)
    from PIL import Image

    sheet = pdf.page_of(squeezed(JAPANESE)[:6])
    image = Image.open(images[sheet - 1]).convert("L")
    width, height = image.size
    text_area = image.crop((width // 10, height // 8, 9 * width // 10, height // 2))
    assert text_area.getextrema()[0] < 100, "nothing dark drawn where the text is"


# -- line breaking -------------------------------------------------------------------------


def test_a_chinese_sentence_fills_its_lines_and_keeps_punctuation_off_line_starts() -> None:
    """Chinese has no spaces: broken only at spaces, a sentence too long for what is
    left of a line jumps whole to the next one, leaving the line half empty."""
    setter = TextSetter(load_fonts())
    style = ParagraphStyle("body", fontName="NsSerif", fontSize=10, leading=13)
    text = f"The ministry said {CHINESE} and the agency said {CHINESE * 2} today."
    markup = setter.markup(text, section="s", record="r", serif=True)

    def lines(cjk: bool) -> list[tuple[float, str]]:
        paragraph = Paragraph(markup, style)
        finish([paragraph], cell_font="NsSans", cjk_font="NsCJK" if cjk else None)
        paragraph.wrap(300, 1000)
        return [
            (line.extraSpace, "".join(word.text for word in line.words))
            for line in paragraph.blPara.lines
        ]

    broken = lines(cjk=True)
    assert "".join(line for _, line in broken) == text
    assert len(broken) == 3
    assert all(space < 12 for space, _ in broken[:-1])  # less than a character left
    assert not any(line.lstrip()[:1] in "，。：" for _, line in broken)
    # The contrast: broken at spaces only, the first line holds three words.
    space, first = lines(cjk=False)[0]
    assert (first, space > 150) == ("The ministry said", True)
