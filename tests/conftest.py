"""Fixtures shared by the whole suite.

Every test runs with ``NSDESK_HOME`` in its own temporary folder, so no test can
touch a real profile, and with Qt offscreen. Desks are real SQLite files: one new
desk and one demo desk are built per session and copied for each test that wants
one (building takes a fraction of a second; copying a few milliseconds).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The demo is made "as of" a fixed day, so late/at-risk figures are stable.
DEMO_DAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def nsdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "nsdesk-home"
    monkeypatch.setenv("NSDESK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def desk_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from nsdesk.services.setup.demo import create_demo_desk
    from nsdesk.services.setup.new_desk import create_desk

    folder = tmp_path_factory.mktemp("templates")
    # Made before any test's own NSDESK_HOME is set: creating a desk keeps this
    # profile's replica of it, which must not land in a real profile either.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSDESK_HOME", str(folder / "nsdesk-home"))
        new, _ = create_desk(folder / "new.nsdesk", state="NLD", delegation="Test delegation")
        demo, _ = create_demo_desk(folder / "demo.nsdesk", today=DEMO_DAY)
    return {"new": new, "demo": demo}


@pytest.fixture
def new_desk_path(desk_templates: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh desk for the Netherlands with the catalogue and nothing else."""
    return Path(shutil.copy(desk_templates["new"], tmp_path / "desk.nsdesk"))


@pytest.fixture
def demo_desk_path(desk_templates: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the scale-1 demo desk made on ``DEMO_DAY``."""
    return Path(shutil.copy(desk_templates["demo"], tmp_path / "demo.nsdesk"))


@pytest.fixture
def desk(new_desk_path: Path) -> Iterator:
    from nsdesk.services.desk import open_desk

    with open_desk(new_desk_path) as opened:
        yield opened


@pytest.fixture
def demo_desk(demo_desk_path: Path) -> Iterator:
    from nsdesk.services.desk import open_desk

    with open_desk(demo_desk_path) as opened:
        yield opened
