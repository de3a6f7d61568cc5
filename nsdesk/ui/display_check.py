"""Saying why no window can open, before Qt aborts with a message nobody can act on.

On Linux, Qt 6 draws X11 windows through a plugin that needs a dozen system
libraries (libxcb-cursor0, libxcb-icccm4…) which minimal installations lack.
Qt then stops the process with "could not load the Qt platform plugin", naming
the wrong culprit. Loading the plugin ourselves first tells exactly which file
is missing; Qt reuses the loaded library afterwards, so the check costs nothing.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

import PySide6

DEBIAN_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0"
)


def _xcb_plugin() -> Path | None:
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def display_problem() -> str | None:
    """Why Qt will not be able to open a window here, or ``None`` if it can."""
    if sys.platform != "linux":
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    uses_xcb = platform.startswith("xcb") or (
        not platform and os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    )
    plugin = _xcb_plugin() if uses_xcb else None
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        # "…/libqxcb.so: libxcb-icccm.so.4: cannot open shared object file: …"
        names = [n for n in re.findall(r"lib[\w.+-]*\.so[\w.]*", str(error)) if n != plugin.name]
        missing = names[0] if names else str(error)
        return (
            f"nsdesk cannot open its window: Qt's X11 support needs a system library that "
            f"is not installed ({missing}).\n"
            f"On Debian or Ubuntu: sudo apt-get install {DEBIAN_PACKAGES}\n"
            "The command line (nsdesk init, demo, check…) works without it."
        )
    return None
