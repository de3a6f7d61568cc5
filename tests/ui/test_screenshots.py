"""Screenshots of every main view on the demo desk, taken offscreen.

``make screenshots`` keeps them in ``screenshots/`` (light, dark, and every view
and dialog on each screen size a delegation has, at 100 % and 200 %) so a person
can look at them; in the suite they go to a temporary folder. Each is checked for
what a person would notice at once: the page is drawn (not blank), the window shows
that page, and on every screen nothing is cut off or scrolls sideways
(:mod:`tests.ui.fit_check`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.workspace.workspace_view import PAGES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    wanted = os.environ.get("NSDESK_SCREENSHOTS")
    target = Path(wanted) if wanted else tmp_path / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target


def distinct_colours(image: QImage, step: int = 7) -> int:
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#171717"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        (QPalette.ColorRole.Mid, "#5f6368"),
    ):
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.Text,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))
    return palette


def shoot_every_page(window, folder: Path, suffix: str) -> list[Path]:
    saved = []
    for number, (name, _label, _registers) in enumerate(PAGES):
        window.workspace.show_page(name)
        view = window.workspace.current_register()
        if view is not None and view.model.rowCount():
            view.table.selectRow(0)
        QApplication.processEvents()
        path = folder / f"{number}_{name}{suffix}.png"
        image = window.grab().toImage()
        assert image.save(str(path))
        assert distinct_colours(image) > 20, f"{path.name} looks blank"
        assert window.workspace.current_page() == name
        # Looking is not editing: going through the pages writes nothing.
        assert window.undo_stack.count() == 0, window.undo_stack.undoText()
        saved.append(path)
    return saved


def test_every_main_view_in_the_light_palette(window, context, demo_desk_location, folder):
    window.resize(1400, 860)
    assert open_desk_into(context, window, demo_desk_location)
    assert len(shoot_every_page(window, folder, "")) == len(PAGES)


def test_every_main_view_in_a_dark_palette(window, context, demo_desk_location, folder):
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(dark_palette())
    try:
        window.resize(1400, 860)
        assert open_desk_into(context, window, demo_desk_location)
        saved = shoot_every_page(window, folder, "_dark")
        # The register's background follows the palette: dark, not white.
        commitments = QImage(str(saved[1]))
        middle = QColor(commitments.pixel(commitments.width() // 3, commitments.height() // 2))
        assert middle.lightness() < 128
    finally:
        app.setPalette(before)


#: The screens delegations have (logical pixels) and their scale: a small laptop, the
#: default window, the common laptop, a desk monitor, and a 200 % laptop screen.
SCREENS = (
    (1024, 700, 1),
    (1280, 800, 1),
    (1366, 768, 1),
    (1920, 1080, 1),
    (1280, 800, 2),
)

#: What the tour must have seen: every page and tab, a new record of each kind the
#: registers create, and every dialog the menus open.
SHOTS = {
    "welcome",
    *(name for name, _label, _registers in PAGES),
    *(f"{name}-{r}" for name, _label, registers in PAGES for r in registers[1:]),
    "new-commitments",
    "new-gift_baskets",
    "new-instruments",
    "new-commitment-themes",
    "shortcuts",
    "briefing",
    "export_workbook",
    "import_workbook",
    "import_history",
    "send_changes",
    "merge_changes",
    "conflicts",
    "merge_history",
    "backups",
    "desk_settings",
    "about",
    "search",
}


# The windows are the same whichever kind of desk is open (the light and dark palette
# tests above open both kinds); the tour runs once, on the demo desk file.
@pytest.mark.file_desk
@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=lambda v: str(v))
def test_every_view_and_dialog_fits_the_screen(
    demo_desk_path, folder, tmp_path, width, height, scale
):
    """On each screen, in a process of its own with a screen of that size, every
    view and dialog is shot and checked: no form scrolls sideways, no control is
    cut off, no list's title column shrinks to a few letters, nothing is larger
    than the screen (:mod:`tests.ui.fit_check`, :mod:`tests.ui.screen_tour`)."""
    screen = tmp_path / "screen.json"
    physical = {"width": width * scale, "height": height * scale}
    screen.write_text(
        json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "logicalDpi": 96, **physical}]})
    )
    shots = folder / (f"{width}x{height}" + ("@2x" if scale == 2 else ""))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
        QT_SCALE_FACTOR=str(scale),
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_tour", str(demo_desk_path), str(shots)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["shots"]) >= SHOTS, SHOTS - set(report["shots"])
    said = "\n".join(
        f"{shot}: {problem}" for shot, found in report["problems"].items() for problem in found
    )
    assert not report["problems"], f"on {width}×{height} at {scale * 100} %:\n{said}"
    commitments = QImage(str(shots / "commitments.png"))
    assert commitments.width() == width * scale  # the window is as wide as the screen
    assert distinct_colours(commitments) > 20


def test_the_check_names_what_a_small_screen_cuts_off(qtbot):
    """The check itself, on a pane made wrong on purpose in each way the issue saw."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import (
        QFormLayout,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QPushButton,
        QScrollArea,
        QTableView,
        QVBoxLayout,
        QWidget,
    )

    from tests.ui.fit_check import fit_problems

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    form_body = QWidget()
    form = QFormLayout(form_body)
    wide = QLineEdit()
    wide.setMinimumWidth(900)  # a field wider than the screen: the form scrolls sideways
    form.addRow("Title", wide)
    form_scroll = QScrollArea()
    form_scroll.setWidgetResizable(True)
    form_scroll.setWidget(form_body)
    layout.addWidget(form_scroll)

    row = QWidget()
    row.setFixedSize(200, 40)
    inner = QWidget(row)
    inner.setGeometry(0, 0, 400, 40)  # drawn past its holder's edge
    buttons = QHBoxLayout(inner)
    buttons.addStretch(1)
    buttons.addWidget(QPushButton("Add action item…"))
    layout.addWidget(row)

    hint = QLabel("Completes (or re-plans) the implementing legislation already planned. " * 3)
    hint.setWordWrap(True)
    hint.setFixedHeight(16)  # one line of a three-line hint
    layout.addWidget(hint)

    model = QStandardItemModel(1, 2)
    model.setHorizontalHeaderLabels(["Id", "Commitment"])
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().resizeSection(1, 20)  # "Co" of "Commitment"
    table.setProperty("nsdesk_main_column", 1)
    layout.addWidget(table)
    window.resize(600, 500)
    window.show()
    qtbot.waitExposed(window)

    said = "\n".join(fit_problems(window))
    assert "QScrollArea: a form that scrolls sideways" in said
    assert "QPushButton 'Add action item…': cut off at the side" in said
    assert "QLabel 'Completes (or re-plans) the implementing legisl...': its text needs" in said
    assert "column 'Commitment' is 26 px, its title needs" in said  # Qt's narrowest column
    assert "main column 'Commitment' is 26 px, less than 12 characters" in said
