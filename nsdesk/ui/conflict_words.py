"""The words a user reads about a conflict a merge left open — the values of a field
on two laptops, who set each, when and on which laptop — wherever it shows: the
merge's windows (:mod:`nsdesk.ui.merge`) and the marker on a field in a record's
editor (:mod:`nsdesk.ui.records`), which do not know one another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nsdesk.ui import wording

if TYPE_CHECKING:
    from nsdesk.services.merge.outcome import OpenItem, Side


def side_text(side: Side | None) -> str:
    """One value of a field: the value alone ("(nothing)" when empty)."""
    return "(none: both created it)" if side is None else side.shown()


def who_text(side: Side | None) -> str:
    """Who set a value, when, and on which laptop."""
    if side is None:
        return ""
    moment = wording.when(side.at) if side.at is not None else "at an unknown time"
    return f"{side.actor}, {moment}, on {side.laptop}"


def theirs_of(item: OpenItem) -> Side | None:
    """The competing value shown (the newest when several)."""
    return item.theirs[-1] if item.theirs else None


def item_tooltip(item: OpenItem) -> str:
    """What the marker on a field says: both values, who set them, when and where."""
    mine = item.mine
    lines = [f"{item.field_label}: two different values arrived from two laptops."]
    if mine is not None:
        lines.append(f"This desk: {mine.shown()}\n    set by {who_text(mine)}")
    for side in item.theirs:
        lines.append(f"Theirs: {side.shown()}\n    set by {who_text(side)}")
    if item.base is not None:
        lines.append(f"Both replaced: {item.base.shown()}")
    lines.append("This desk keeps its value until someone decides.")
    return "\n".join(lines)


def conflict_marks(items: Sequence[OpenItem], fields: Sequence[str]) -> dict[str, tuple[int, str]]:
    """The editor's marks for a record's open conflicts: field name (one of
    ``fields``) -> (the conflict's number, its tooltip)."""
    marks: dict[str, tuple[int, str]] = {}
    for item in items:
        if item.kind.value != "conflict" or item.id is None or not item.field:
            continue
        for name in (item.field, item.field.removesuffix("_id")):
            if name in fields:
                tip = item_tooltip(item) + "\nSettle it with this button: Keep mine or Take theirs."
                marks[name] = (item.id, tip)
                break
    return marks
