"""Make every raster and per-OS icon from ``nsdesk.svg``.

    .venv/bin/python packaging/icons/build_icons.py

Writes the PNG sizes the app sets as its window icon (``resources/icons``, which
every wheel and bundle carries), the Windows ``nsdesk.ico`` and the macOS
``nsdesk.icns`` (here, for the PyInstaller spec). Qt draws the SVG, Pillow
(already installed for reportlab) writes the two container formats. The outputs
are committed: building a bundle does not need to draw anything.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "nsdesk.svg"
RUNTIME_ICONS = HERE.parent.parent / "resources" / "icons"
#: The window-icon sizes (title bars, task bars, Alt-Tab, the Linux menus).
RUNTIME_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> Image.Image:
    """The icon drawn by Qt's SVG renderer at ``size`` pixels, as a Pillow image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    RUNTIME_ICONS.mkdir(parents=True, exist_ok=True)
    for size in RUNTIME_SIZES:
        render(size).save(RUNTIME_ICONS / f"nsdesk-{size}.png", optimize=True)
    (RUNTIME_ICONS / "nsdesk.svg").write_bytes(SOURCE.read_bytes())
    largest = render(max(ICO_SIZES))
    largest.save(
        HERE / "nsdesk.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[render(s) for s in ICO_SIZES[:-1]],
    )
    biggest = render(max(ICNS_SIZES))
    biggest.save(HERE / "nsdesk.icns", append_images=[render(s) for s in ICNS_SIZES[:-1]])
    print(f"icons written to {RUNTIME_ICONS} and {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
