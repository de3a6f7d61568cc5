"""What turns the package into an app on a laptop (packaging/): the version the
bundle takes from pyproject, the Windows version resource, the icons per OS, the
Linux desktop integration, and a double-clicked desk reaching the app.

The bundle itself is built and smoke-tested by `make package`, the offline wheel
set by `make wheelhouse` (both run by .ci/run after the tests).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from nsdesk import __version__

REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGING = REPOSITORY / "packaging"


def load(name: str):
    """A packaging script as a module (they are scripts, not part of nsdesk)."""
    sys.path.insert(0, str(PACKAGING))
    try:
        spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(PACKAGING))


build_info = load("build_info")
desktop_files = load("desktop_files")


def test_the_bundle_takes_the_packages_name_and_version():
    info = build_info.read_build_info()
    assert (info.name, info.version) == ("nsdesk", __version__)
    assert info.version_tuple[:3] == tuple(int(n) for n in __version__.split(".")[:3])


def test_a_prerelease_version_still_gives_four_numbers():
    info = build_info.BuildInfo("nsdesk", "1.2.0rc3", "x")
    assert info.version_tuple == (1, 2, 0, 0)


def test_the_windows_version_resource_names_the_version():
    info = build_info.read_build_info()
    text = build_info.windows_version_resource(info)
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates it as Python
    assert isinstance(tree.body, ast.Call)
    assert tree.body.func.id == "VSVersionInfo"
    assert f"filevers={info.version_tuple}" in text
    assert f"StringStruct('ProductVersion', '{info.version}')" in text
    assert "StringStruct('OriginalFilename', 'nsdesk.exe')" in text


def test_the_spec_and_installer_name_files_that_exist():
    spec = (PACKAGING / "nsdesk.spec").read_text()
    ast.parse(spec)
    for icon in ("nsdesk.ico", "nsdesk.icns"):
        assert f'"{icon}"' in spec
        assert (PACKAGING / "icons" / icon).is_file()
    inno = (PACKAGING / "windows" / "nsdesk.iss").read_text()
    assert r"SetupIconFile=..\icons\nsdesk.ico" in inno
    assert 'Subkey: "Software\\Classes\\.nsdesk"' in inno
    assert r'""{app}\nsdesk-gui.exe"" ""%1""' in inno  # double-click opens the desk
    assert 'name=f"{info.name}-gui"' in spec  # the executable the association starts


def test_the_windows_icon_holds_every_size_explorer_shows():
    icon = Image.open(PACKAGING / "icons" / "nsdesk.ico")
    assert icon.format == "ICO"
    assert {16, 24, 32, 48, 64, 128, 256} <= {w for w, h in icon.info["sizes"]}


def test_the_macos_icon_holds_the_retina_sizes():
    icon = Image.open(PACKAGING / "icons" / "nsdesk.icns")
    assert icon.format == "ICNS"
    assert {(512, 512, 2), (256, 256, 2), (128, 128, 1), (16, 16, 2)} <= set(icon.info["sizes"])


def test_the_raster_icons_are_the_size_they_say(qapp):
    from nsdesk.ui.icons import ICON_SIZES

    folder = REPOSITORY / "resources" / "icons"
    for size in ICON_SIZES:
        assert Image.open(folder / f"nsdesk-{size}.png").size == (size, size)
    assert (folder / "nsdesk.svg").read_bytes() == (PACKAGING / "icons" / "nsdesk.svg").read_bytes()


@pytest.fixture
def share_tree(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    desktop_files.write_share_tree(bundle, build_info.read_build_info())
    return bundle


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it on Debian)")
    return found


def test_the_desktop_entry_is_valid(share_tree):
    entry = share_tree / "share" / "applications" / f"{build_info.APP_ID}.desktop"
    result = subprocess.run(
        [tool("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "MimeType=application/x-nsdesk;" in entry.read_text()


def test_the_appstream_metadata_is_valid_and_versioned(share_tree):
    metainfo = share_tree / "share" / "metainfo" / f"{build_info.APP_ID}.metainfo.xml"
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert f'<release version="{__version__}" date="' in metainfo.read_text()


@pytest.mark.file_desk  # a desk file handed over by the desktop
def test_a_double_clicked_desk_opens_in_nsdesk(share_tree, tmp_path, demo_desk_path):
    """Install the integration as a user would (into a private XDG data folder),
    check the desktop now calls *.nsdesk files application/x-nsdesk, then do what
    the file manager does on a double-click: run the entry's Exec line with the desk."""
    tool("update-mime-database")
    program = share_tree / "nsdesk"  # stands in for the bundle's executable: runs the source
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m nsdesk "$@"\n')
    program.chmod(0o755)
    data, config = tmp_path / "xdg-data", tmp_path / "xdg-config"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(config)}
    subprocess.run(
        [str(share_tree / "install-desktop-integration.sh")], env=env, check=True, text=True
    )
    assert "application/x-nsdesk:*.nsdesk" in (data / "mime" / "globs2").read_text()
    entry = (data / "applications" / f"{build_info.APP_ID}.desktop").read_text()
    exec_line = next(line[5:] for line in entry.splitlines() if line.startswith("Exec="))
    command = [demo_desk_path if part == "%f" else part for part in shlex.split(exec_line)]
    assert command[0] == str(program)
    result = subprocess.run(
        [str(part) for part in command],
        env={**env, "QT_QPA_PLATFORM": "offscreen", "NSDESK_STARTUP_PROBE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "nsdesk-probe data_shown" in result.stdout
