"""The application icon, drawn from ``resources/icons`` (made from
``packaging/icons/nsdesk.svg`` by ``packaging/icons/build_icons.py``).

PNGs at every size a desktop asks for, rather than the SVG: they need no SVG
plugin in the bundle and look crisp at 16 pixels, where a scaled drawing blurs.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from nsdesk import locations

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """nsdesk's icon for windows, the task bar and the About box (an empty icon,
    never an error, if the files are missing: the self-check reports resources)."""
    icon = QIcon()
    try:
        folder = locations.resources_dir() / "icons"
    except FileNotFoundError:
        return icon
    for size in ICON_SIZES:
        path = folder / f"nsdesk-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
