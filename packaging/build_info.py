"""What the packaging knows about nsdesk, read from ``pyproject.toml`` so that the
bundle, the desktop entries and the Windows version resource never disagree with
the package about its name or version.

Imported by ``nsdesk.spec`` (PyInstaller runs the spec as Python), by the
packaging scripts and by their tests; it imports nothing from nsdesk.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PYPROJECT = REPOSITORY / "pyproject.toml"

#: The reverse-DNS identity the desktop knows the app by: the Linux desktop entry
#: and AppStream file are named after it, and it is the macOS bundle identifier.
APP_ID = "org.nsdesk.Desk"
#: The desk file type, associated with the app on every platform.
DESK_EXTENSION = "nsdesk"
DESK_MIME_TYPE = "application/x-nsdesk"
DESK_TYPE_NAME = "nsdesk desk"
DISPLAY_NAME = "nsdesk"
PUBLISHER = "nsdesk maintainers"


@dataclass(frozen=True)
class BuildInfo:
    name: str
    version: str
    description: str

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        """The four numbers a Windows version resource holds ("0.1.0" -> 0, 1, 0, 0);
        a pre-release suffix (0.2.0rc1) is dropped there but kept in the strings."""
        numbers = [int(n) for n in re.findall(r"\d+", self.version.split("+")[0])[:3]]
        while len(numbers) < 4:
            numbers.append(0)
        return (numbers[0], numbers[1], numbers[2], numbers[3])


def read_build_info(pyproject: Path = PYPROJECT) -> BuildInfo:
    """The name, version and description in ``pyproject.toml``'s [project] table."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return BuildInfo(
        name=project["name"], version=project["version"], description=project["description"]
    )


def release_date() -> str:
    """The day this version was committed (ISO), for the AppStream release entry:
    the same commit always gives the same date, unlike the day of the build."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs"],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return datetime.date.today().isoformat()  # a source tree that is not a clone
    return result.stdout.strip() or datetime.date.today().isoformat()


def windows_version_resource(info: BuildInfo) -> str:
    """The text of a PyInstaller version file: the Windows version resource that
    Explorer shows under Properties ▸ Details, and that IT inventories read."""
    numbers = info.version_tuple
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": "nsdesk — the delegation's nuclear-security desk",
        "FileVersion": info.version,
        "InternalName": info.name,
        "LegalCopyright": f"© {PUBLISHER}",
        "OriginalFilename": f"{info.name}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": info.version,
    }
    string_lines = ",\n            ".join(
        f"StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""# Generated from pyproject.toml by packaging/build_info.py: do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
            {string_lines}])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
