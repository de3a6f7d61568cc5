"""The briefing pack of real desks, read back from the PDF: every section, the
desk's figures, the marking on every page, nothing above the ceiling, the
user's text exactly as written, bookmarks, contents numbers, page x of y."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from nsdesk.briefing.model import SECTION_KEYS, SECTION_TITLES
from nsdesk.domain.errors import CancelledError, RecordNotFoundError, ValidationError
from nsdesk.services.audit import Actor
from nsdesk.services.briefing.pack import BriefingRequest, build_briefing, write_briefing
from nsdesk.services.desk import open_desk
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.progress import Progress
from nsdesk.services.records.record_service import RecordService
from tests.briefing.pdf_reading import (
    ReadPdf,
    annotations,
    embedded_font_names,
    image_count,
    read_pdf,
    render_pages,
)
from tests.conftest import DEMO_DAY

TOP = "CONFIDENTIAL"


def flat(text: str) -> str:
    """Text with every run of white space as one space (extraction breaks lines
    where the PDF places words, e.g. before a number drawn from a form)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo_pack(desk_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    """The demo desk's full pack at the default ceiling, made once for the module."""
    folder = tmp_path_factory.mktemp("pack")
    desk_file = Path(shutil.copy(desk_templates["demo"], folder / "demo.nsdesk"))
    out = folder / "pack.pdf"
    with open_desk(desk_file, read_only=True) as desk:
        request = BriefingRequest(as_of=DEMO_DAY, deterministic=True)
        pack = build_briefing(desk, request)
        outcome = write_briefing(desk, request, out)
    return pack, outcome, read_pdf(out)


def test_every_section_is_in_the_pack_in_order_with_its_contents_page(demo_pack) -> None:
    _, outcome, pdf = demo_pack
    assert outcome.pages == len(pdf.pages) > 20
    contents = pdf.pages[1]
    last = 0
    for key in SECTION_KEYS[2:]:
        title = SECTION_TITLES[key]
        # Each section starts on a page of its own, after the one before.
        page = pdf.page_of(title, start=max(last, 2))
        assert page > last, f"{title} is out of order"
        last = page
        # The contents line of the section ends with the page the section starts on.
        assert f"{title} {page}" in flat(contents), title
    assert [title for depth, title in pdf.outline if depth == 0] == [
        "Sherpa meeting (DEMO)",
        "Contents",
        *(SECTION_TITLES[k] for k in SECTION_KEYS[2:]),
    ]


def test_the_marking_is_on_every_page_and_page_x_of_y_counts_them(demo_pack) -> None:
    _, outcome, pdf = demo_pack
    total = len(pdf.pages)
    for number, text in enumerate(pdf.pages, start=1):
        assert text.count("INTERNAL") >= 2, f"page {number} lacks the marking top and bottom"
        if number > 1:
            assert f"Page {number} of {total}" in flat(text)
    assert outcome.marking_label == "Internal"
    assert "DEMO" in pdf.pages[0]


def test_the_figures_are_the_desks(demo_pack, desk_templates) -> None:
    pack, _, pdf = demo_pack
    with open_desk(desk_templates["demo"], read_only=True) as desk:
        everything = build_briefing(desk, BriefingRequest(as_of=DEMO_DAY, ceiling=TOP))
        dashboard = load_dashboard(desk, DEMO_DAY)
    # With nothing withheld, the pack and the dashboard count the same commitments.
    assert everything.summary.withheld == 0
    assert everything.summary.total == dashboard.total
    assert everything.summary.late == dashboard.late.total
    assert everything.summary.at_risk == dashboard.at_risk.total
    assert {f.label: f.count for f in everything.summary.by_status} == {
        s.status.label: s.count for s in dashboard.by_status if s.count
    }
    # At the default ceiling the restricted ones are withheld, and the pack says so.
    summary = pack.summary
    assert summary.total + summary.withheld == dashboard.total
    assert summary.withheld > 0
    page = pdf.pages[pdf.page_of("Executive summary", start=2) - 1]
    assert f"{summary.total} {summary.late} {summary.at_risk}" in flat(page)
    assert f"{summary.withheld} commitments marked above Internal withheld" in flat(page)
    assert sum(f.count for f in summary.by_status) == summary.total


def test_bookmarks_name_every_commitment_sheet_and_basket(demo_pack) -> None:
    pack, _, pdf = demo_pack
    titles = [title for depth, title in pdf.outline if depth == 1]
    for sheet in pack.sheets:
        assert f"{sheet.ref}  {sheet.title}" in titles
    for basket in pack.gift_baskets:
        assert basket.title in titles


def test_the_pack_is_the_same_bytes_twice_in_deterministic_mode(demo_pack, tmp_path) -> None:
    _, outcome, _ = demo_pack
    with open_desk(outcome.path.parent / "demo.nsdesk", read_only=True) as desk:
        again = write_briefing(
            desk, BriefingRequest(as_of=DEMO_DAY, deterministic=True), tmp_path / "again.pdf"
        )
    assert again.path.read_bytes() == outcome.path.read_bytes()


def test_metadata_says_what_the_pack_is(demo_pack) -> None:
    _, _, pdf = demo_pack
    assert pdf.metadata["/Title"] == "Briefing pack: Sherpa meeting (DEMO)"
    assert "2026-11-22" in pdf.metadata["/Subject"]
    assert "Internal" in pdf.metadata["/Keywords"]
    assert pdf.metadata["/Author"]


def test_pages_render_with_the_marking_in_red_at_the_top(demo_pack, tmp_path) -> None:
    _, _, pdf = demo_pack
    images = render_pages(pdf.path, tmp_path / "png", dpi=30)
    assert len(images) == len(pdf.pages)
    from PIL import Image

    for image_path in images[:6]:
        image = Image.open(image_path).convert("RGB")
        width, height = image.size
        band = image.crop((width // 3, 0, 2 * width // 3, height // 12))
        reds = [p for p in band.get_flattened_data() if p[0] > 120 and p[1] < 90 and p[2] < 90]
        assert reds, f"{image_path.name}: no marking drawn at the top"
        inner = image.crop((width // 10, height // 6, 9 * width // 10, height // 2))
        assert inner.getextrema() != ((255, 255), (255, 255), (255, 255)), image_path.name


# -- the ceiling --------------------------------------------------------------------------

CANARY = "Zanzibar-canary"


@pytest.fixture
def marked_desk(demo_desk_path: Path):
    """The demo desk with records above Internal whose words must never leave."""
    with open_desk(demo_desk_path) as desk:
        records = RecordService(desk, Actor("officer@laptop"), today=lambda: DEMO_DAY)
        secret = records.create(
            "commitment",
            {
                "title": f"{CANARY} commitment",
                "pledged_on": "2024-03-01",
                "sensitivity": "CONFIDENTIAL",
                "talking_points": f"{CANARY} talking point",
            },
        )
        records.create(
            "status_entry",
            {
                "commitment": secret.key,
                "entry_date": "2024-05-01",
                "status": "stalled",
                "sensitivity": "CONFIDENTIAL",
            },
        )
        visible = records.create(
            "commitment", {"title": "Visible commitment", "pledged_on": "2024-03-01"}
        )
        records.create(
            "status_entry",
            {
                "commitment": visible.key,
                "entry_date": "2024-05-01",
                "status": "in_progress",
                "narrative": f"{CANARY} restricted narrative",
                "sensitivity": "RESTRICTED",
            },
        )
        records.create(
            "action_item",
            {
                "gift_basket": "gb_2016_nscg",
                "title": f"{CANARY} action",
                "sensitivity": "CONFIDENTIAL",
            },
        )
    return demo_desk_path, secret.key, visible.key


def _pack(desk_file: Path, out: Path, **request) -> tuple[object, ReadPdf]:
    with open_desk(desk_file, read_only=True) as desk:
        outcome = write_briefing(
            desk, BriefingRequest(as_of=DEMO_DAY, deterministic=True, **request), out
        )
    return outcome, read_pdf(out)


def test_nothing_above_the_ceiling_appears_anywhere(marked_desk, tmp_path) -> None:
    desk_file, secret, _visible = marked_desk
    outcome, pdf = _pack(desk_file, tmp_path / "internal.pdf", ceiling="INTERNAL")
    assert CANARY not in pdf.everything()
    assert secret not in pdf.everything()
    # The visible commitment is there; its restricted entry is counted, not shown.
    assert "Visible commitment" in pdf.text
    assert "1 history entry marked above Internal withheld" in flat(pdf.text)
    assert outcome.marking_label == "Internal"
    assert outcome.withheld > 3


def test_a_higher_ceiling_includes_them_and_marks_the_pack_higher(marked_desk, tmp_path) -> None:
    desk_file, _secret, _ = marked_desk
    outcome, pdf = _pack(desk_file, tmp_path / "all.pdf", ceiling="confidential")
    assert f"{CANARY} talking point" in pdf.text
    assert f"{CANARY} restricted narrative" in pdf.text
    assert outcome.marking_label == "Confidential"
    assert all(text.count("CONFIDENTIAL") >= 2 for text in pdf.pages)


def test_the_marking_follows_what_is_included_not_the_ceiling(new_desk_path, tmp_path) -> None:
    # A desk of public catalogue facts only: a Confidential ceiling still prints Public.
    outcome, pdf = _pack(new_desk_path, tmp_path / "public.pdf", ceiling="CONFIDENTIAL")
    assert outcome.marking_label == "Public"
    assert all("PUBLIC" in text for text in pdf.pages)
    with open_desk(new_desk_path) as desk:
        RecordService(desk).create(
            "commitment", {"title": "Internal one", "pledged_on": "2024", "sensitivity": "INTERNAL"}
        )
    outcome, _ = _pack(new_desk_path, tmp_path / "internal.pdf", ceiling="CONFIDENTIAL")
    assert outcome.marking_label == "Internal"


# -- the user's text, exactly as written --------------------------------------------------

HOSTILE = [
    '<img src="/etc/passwd"/>',
    '<a href="https://example.org/x">click</a>',
    "R&D budget",
    "a < b",
    "</para> closed",
]
NAMES = ["Министерство иностранных дел", "Υπουργείο Εξωτερικών", "وزارة الخارجية"]


def test_hostile_text_and_every_script_print_literally(new_desk_path, tmp_path) -> None:
    with open_desk(new_desk_path) as desk:
        records = RecordService(desk, today=lambda: DEMO_DAY)
        records.create("agency", {"code": "MFA", "name": NAMES[0]})
        ref = records.create(
            "commitment",
            {
                "title": "R&D <b>not bold</b> a < b",
                "pledged_on": "2024-03-01",
                "lead_agency": "MFA",
                "text": "\n".join(HOSTILE),
                "talking_points": "alpha" + "\n" * 5000 + "omega " + " / ".join(NAMES[1:]),
            },
        ).key
        records.create(
            "status_entry",
            {
                "commitment": ref,
                "entry_date": "2024-04-01",
                "status": "in_progress",
                "narrative": "</para><para>Progress & more",
            },
        )
    outcome, pdf = _pack(new_desk_path, tmp_path / "hostile.pdf", sections=("sheets",))
    text = pdf.text
    for line in HOSTILE:
        assert line in text, line
    assert "R&D <b>not bold</b> a < b" in text
    assert "</para><para>Progress & more" in text
    assert NAMES[0] in text
    assert NAMES[1] in text
    import unicodedata

    arabic = unicodedata.normalize("NFKC", text)
    assert all(word in arabic for word in NAMES[2].split()), "Arabic not printed"
    assert "\x00" not in text  # a glyph no font had would come back as NUL
    assert "alpha" in text
    assert "omega" in text
    assert outcome.pages <= 3
    assert annotations(pdf) == []
    assert image_count(pdf) == 0
    fonts = embedded_font_names(pdf)
    assert any(name.endswith("NotoSans-Regular") for name in fonts)
    assert any(name.endswith("NotoNaskhArabic-Regular") for name in fonts)
    assert outcome.notes == ()


def test_a_character_no_font_has_is_reported_by_section_and_record(new_desk_path, tmp_path) -> None:
    with open_desk(new_desk_path) as desk:
        ref = (
            RecordService(desk, today=lambda: DEMO_DAY)
            .create("commitment", {"title": "Smile \U0001f600 please", "pledged_on": "2024"})
            .key
        )
    outcome, pdf = _pack(new_desk_path, tmp_path / "emoji.pdf", sections=("themes", "sheets"))
    assert "[emoji: GRINNING FACE]" in pdf.text
    places = {(note.section, note.record) for note in outcome.notes}
    assert ("sheets", ref) in places
    assert any("GRINNING FACE" in note.message for note in outcome.notes)


# -- choices, paper, refusals, cancelling --------------------------------------------------


def test_sections_can_be_chosen_and_ordered_and_letter_paper_used(demo_desk_path, tmp_path) -> None:
    _outcome, pdf = _pack(
        demo_desk_path, tmp_path / "two.pdf", sections=("deadlines", "summary"), paper="Letter"
    )
    assert pdf.page_of("Upcoming deadlines") < pdf.page_of("Executive summary")
    assert "Detailed sheets" not in pdf.text
    box = pdf.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_bad_choices_are_refused_and_write_nothing(demo_desk_path, tmp_path) -> None:
    out = tmp_path / "never.pdf"
    with open_desk(demo_desk_path, read_only=True) as desk:
        for request, error in [
            (BriefingRequest(event="no_such_event"), RecordNotFoundError),
            (BriefingRequest(baseline="No such baseline"), RecordNotFoundError),
            (BriefingRequest(ceiling="TOP_SECRET"), ValidationError),
            (BriefingRequest(sections=("cover", "gossip")), ValidationError),
            (BriefingRequest(paper="A3"), ValidationError),
        ]:
            with pytest.raises(error):
                write_briefing(desk, request, out)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".nsdesk"] == []


def test_cancelling_leaves_no_file(demo_desk_path, tmp_path) -> None:
    progress = Progress(lambda done, total, text: progress.cancel() if done >= 2 else None)
    with open_desk(demo_desk_path, read_only=True) as desk, pytest.raises(CancelledError):
        write_briefing(desk, BriefingRequest(as_of=DEMO_DAY), tmp_path / "pack.pdf", progress)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".nsdesk"] == []


def test_an_earlier_as_of_date_shows_the_register_as_it_stood(demo_desk_path) -> None:
    with open_desk(demo_desk_path, read_only=True) as desk:
        now = build_briefing(desk, BriefingRequest(as_of=DEMO_DAY, ceiling=TOP))
        then = build_briefing(desk, BriefingRequest(as_of=date(2014, 3, 1), ceiling=TOP))
    assert then.summary.total < now.summary.total
    assert all(
        line.entry_date <= date(2014, 3, 1) for sheet in then.sheets for line in sheet.history
    )
