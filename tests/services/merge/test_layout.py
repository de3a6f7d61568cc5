"""The merge's modules keep to the house's size and are each on the map."""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
MERGE = REPOSITORY / "nsdesk" / "services" / "merge"
MAP = REPOSITORY / "docs" / "ARCHITECTURE.md"
LIMIT = 500
"""Lines a module may have (the house rule): beyond it, split it by what it decides."""


def test_every_module_of_the_merge_is_short_enough_to_read():
    long = {
        path.name: n
        for path in MERGE.glob("*.py")
        if (n := len(path.read_text("utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"modules over {LIMIT} lines: {long}"


def test_the_map_names_every_module_of_the_merge_and_every_changes_command():
    text = MAP.read_text("utf-8")
    missing = [
        p.name for p in MERGE.glob("*.py") if p.name != "__init__.py" and f"`{p.name}`" not in text
    ]
    assert missing == [], f"docs/ARCHITECTURE.md does not name: {missing}"
    said = text.split("`nsdesk changes ")[-1].split("`")[0].split("|")
    assert said == ["show", "trust", "export", "merge", "conflicts", "resolve", "merges", "undo"]
