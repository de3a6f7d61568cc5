"""A travel copy of a register on a server goes out on a laptop, is edited offline,
and its changes merge back into the register — while an officer at the ministry
edited another field of the same commitment — losing neither (issue 19, item 5,
with issue 18's changes files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nsdesk.domain.changes_errors import ChangesFileRefusedError
from nsdesk.services.setup.copy_desk import copy_desk
from tests.services.merge.laptops import Laptop, profile

pytestmark = pytest.mark.server_desk


def test_a_travel_copys_changes_merge_back_into_the_register(
    demo_desk_location: Any, tmp_path: Path
) -> None:
    register = Laptop("ministry", tmp_path / "ministry", demo_desk_location, in_place=True)
    with profile(register.home):
        travel = copy_desk(demo_desk_location, tmp_path / "travel.nsdesk").target
    laptop = Laptop("anna", tmp_path / "anna", travel)
    register.trusts(laptop)
    laptop.trusts(register)

    laptop.edit("commitment", "C-0001", {"title": "Ratified on the road"})
    register.edit("commitment", "C-0001", {"notes": "Checked at the ministry"})
    report = register.merge(laptop.send())

    assert report.conflicts == []
    assert register.value("commitment", "ref", "C-0001", "title") == "Ratified on the road"
    assert register.value("commitment", "ref", "C-0001", "notes") == "Checked at the ministry"
    # The same file again is refused as a replay, and changes nothing.
    with pytest.raises(ChangesFileRefusedError, match="already received"):
        register.merge(laptop.sent.path)
    assert register.value("commitment", "ref", "C-0001", "title") == "Ratified on the road"
