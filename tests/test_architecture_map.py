"""docs/ARCHITECTURE.md is the map of the house: it stays true."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
MAP = REPOSITORY / "docs" / "ARCHITECTURE.md"


def _packages() -> set[str]:
    return {
        init.parent.relative_to(REPOSITORY).as_posix()
        for init in (REPOSITORY / "nsdesk").rglob("__init__.py")
    }


def _named_paths(text: str) -> set[str]:
    return {m.rstrip("/.") for m in re.findall(r"`(nsdesk/[\w/.]*)`", text)}


def test_every_package_is_on_the_map() -> None:
    named = _named_paths(MAP.read_text(encoding="utf-8"))
    missing = sorted(_packages() - named)
    assert missing == [], f"packages missing from docs/ARCHITECTURE.md: {missing}"


def test_every_package_the_map_names_exists() -> None:
    named = _named_paths(MAP.read_text(encoding="utf-8"))
    gone = sorted(p for p in named if not (REPOSITORY / p).exists())
    assert gone == [], f"docs/ARCHITECTURE.md names what does not exist: {gone}"


def test_the_readme_points_to_the_map() -> None:
    assert "docs/ARCHITECTURE.md" in (REPOSITORY / "README.md").read_text(encoding="utf-8")
