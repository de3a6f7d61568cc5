"""Screenshots of every main view on the demo desk, taken offscreen.

``make screenshots`` keeps them in ``screenshots/`` (light, dark, and 200 %) so a
person can look at them; in the suite they go to a temporary folder. Each is
checked for what a person would notice at once: the page is drawn (not blank) and
the window shows that page.
"""

from __future__ import annotations

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


def test_the_commitments_at_200_percent(demo_desk_location, folder):
    """Qt scales the whole window; text and painted charts stay crisp (no pixmaps)."""
    code = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from nsdesk.ui.context import AppContext\n"
        "from nsdesk.ui.background import Background, run_now\n"
        "from nsdesk.ui.desk.opening_flow import open_desk_into\n"
        "from nsdesk.ui.main_window import MainWindow\n"
        "from nsdesk.ui.settings import AppSettings\n"
        "w = MainWindow(); w.resize(1366, 768); w.show()\n"
        "c = AppContext(settings=AppSettings(), background=Background(executor=run_now))\n"
        "from nsdesk.domain.location import existing_desk_location\n"
        "assert open_desk_into(c, w, existing_desk_location(sys.argv[1]))\n"
        "for page in ('dashboard', 'commitments'):\n"
        "    w.workspace.show_page(page); app.processEvents()\n"
        "    image = w.grab().toImage()\n"
        "    print(page, image.width(), w.width(), image.devicePixelRatio())\n"
        "    image.save(str(Path(sys.argv[2]) / f'{page}_200.png'))\n"
        "c.close_desk()\n"
    )
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code, str(demo_desk_location), str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        _page, pixels, width, ratio = line.split()
        assert int(width) <= 1366  # still fits a small laptop screen at 100 %
        assert int(pixels) == 2 * int(width)
        assert float(ratio) == 2.0
