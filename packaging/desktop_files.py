"""The Linux desktop integration of a bundle: the desktop entry, the AppStream
metadata, the desk file type and the icons, laid out as a ``share/`` tree that
``install-desktop-integration.sh`` copies into ``~/.local/share`` or
``/usr/local/share``.

    python packaging/desktop_files.py BUNDLE_FOLDER

``make package`` runs it after PyInstaller, so the bundle carries its own
integration and the version in the AppStream file is the bundle's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_info import APP_ID, REPOSITORY, BuildInfo, read_build_info, release_date

LINUX = Path(__file__).resolve().parent / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def write_share_tree(bundle: Path, info: BuildInfo) -> Path:
    """Write ``bundle/share`` and return it."""
    share = bundle / "share"
    if share.exists():
        shutil.rmtree(share)
    applications = share / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", applications / f"{APP_ID}.desktop")
    metainfo = share / "metainfo"
    metainfo.mkdir()
    template = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    (metainfo / f"{APP_ID}.metainfo.xml").write_text(
        template.replace("@VERSION@", info.version).replace("@DATE@", release_date()),
        encoding="utf-8",
    )
    mime = share / "mime" / "packages"
    mime.mkdir(parents=True)
    shutil.copy2(LINUX / "nsdesk-mime.xml", mime / f"{APP_ID}.xml")
    icons = REPOSITORY / "resources" / "icons"
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / f"nsdesk-{size}.png", folder / f"{APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / "nsdesk.svg", scalable / f"{APP_ID}.svg")
    shutil.copy2(
        LINUX / "install-desktop-integration.sh", bundle / "install-desktop-integration.sh"
    )
    return share


if __name__ == "__main__":
    print(write_share_tree(Path(sys.argv[1]), read_build_info()))
