"""The conflicts of an import preview and the side the user chose for each: a field
changed both in the desk and in the workbook since the export keeps the desk's
value or takes the workbook's. Plain Python: the preview tree shows it, the
wizard hands :meth:`Resolutions.chosen` to the import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DESK, WORKBOOK = "desk", "workbook"
"""The two sides of a conflict (the values of :class:`~nsdesk.services.exchange.apply.Side`)."""

ConflictKey = tuple[str, str]
"""A conflict: (record key, column key)."""


class Resolutions:
    """Every conflict of one preview, each settled (``DESK`` or ``WORKBOOK``) or open
    (None), in the order the preview lists them."""

    def __init__(
        self,
        conflicts: Iterable[ConflictKey] = (),
        earlier: Mapping[ConflictKey, str | None] | None = None,
    ):
        """``earlier``: the sides chosen on a preview of the same file read before;
        a conflict that is still there keeps its side."""
        earlier = earlier or {}
        self._sides: dict[ConflictKey, str | None] = {key: earlier.get(key) for key in conflicts}

    def __len__(self) -> int:
        return len(self._sides)

    def __contains__(self, key: object) -> bool:
        return key in self._sides

    def keys(self) -> list[ConflictKey]:
        """Every conflict, in the preview's order."""
        return list(self._sides)

    def side(self, key: ConflictKey) -> str | None:
        """The side chosen for ``key`` (None: still open)."""
        return self._sides[key]

    def open_count(self) -> int:
        """How many conflicts have no side yet."""
        return sum(1 for side in self._sides.values() if side is None)

    def chosen(self) -> dict[ConflictKey, str]:
        """The side chosen for each settled conflict: what the import is given."""
        return {key: side for key, side in self._sides.items() if side is not None}

    def of_record(self, record_key: str) -> list[ConflictKey]:
        """The conflicts of one record."""
        return [key for key in self._sides if key[0] == record_key]

    def records(self) -> set[str]:
        """The records with at least one conflict."""
        return {key[0] for key in self._sides}

    def settle(self, keys: Iterable[ConflictKey], side: str) -> None:
        """Choose ``side`` for each of ``keys`` (keys that are no conflict are ignored)."""
        for key in keys:
            if key in self._sides:
                self._sides[key] = side

    def settle_all(self, side: str) -> None:
        """Choose ``side`` for every conflict."""
        self.settle(list(self._sides), side)
