"""Every change the user makes to the register, as one undoable action.

:class:`RecordActions` is the one way the UI writes: each method is one user
action, done at once through :class:`~nsdesk.services.records.record_service.RecordService`
(which validates and audits it) and pushed on the app's one ``QUndoStack`` as a
:class:`RecordCommand`. There is no Save button: a change is in the desk file
when the method returns. A refused change raises
:class:`~nsdesk.domain.errors.ValidationError` (the editor shows it beside the
field) and pushes nothing.

Commands name records by UUID, so undo still finds a record whose code was
edited. Undoing a creation retires the record (nothing is ever deleted) and
redoing it restores it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.records import spec_for
from nsdesk.ui.wording import error_text

if TYPE_CHECKING:
    from nsdesk.services.records.record_service import RecordRef, RecordService


class RecordCommand(QUndoCommand):
    """One user action on the register: ``do`` was already done when it is pushed;
    undo calls ``undo``, redo calls ``do`` again."""

    def __init__(
        self,
        text: str,
        do: Callable[[], None],
        undo: Callable[[], None],
        *,
        kinds: frozenset[str],
        actions: RecordActions,
        focus: tuple[str, str] | None = None,
    ):
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._done = True  # QUndoStack.push calls redo(): the first one is already done
        self.kinds = kinds
        self.actions = actions
        #: The record to show after undo or redo: (kind, uuid).
        self.focus = focus

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._do, "redo")

    def undo(self) -> None:
        self._run(self._undo, "undo")

    def _run(self, step: Callable[[], None], verb: str) -> None:
        try:
            step()
        except NsdeskError as error:
            # The stack has moved on regardless; say plainly that the desk has not.
            said = error_text(error)
            self.actions.action_failed.emit(f"Could not {verb} “{self.text()}”: {said}.")
            return
        self.actions.changed(self.kinds, self.focus)
        if self.focus is not None:
            self.actions.revisited.emit(*self.focus)


class RecordActions(QObject):
    """Creates, edits, retires and restores records as undoable user actions."""

    records_changed = Signal(object, object)
    """(frozenset of record kinds changed, (kind, uuid) of the record to show or None)."""
    action_failed = Signal(str)
    """An undo or redo could not be applied; the sentence says why."""
    revisited = Signal(str, str)
    """(kind, uuid): an undo or redo changed this record; show it to the user."""

    def __init__(
        self,
        service: RecordService | Callable[[], RecordService],
        undo_stack: QUndoStack,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        # A factory is called on the first write or read of a record: the services
        # import the ORM, which the first sight of a desk does without.
        self._service = service
        self.undo_stack = undo_stack

    @property
    def service(self) -> RecordService:
        """The record service, made on first use when a factory was given."""
        if callable(self._service):
            self._service = self._service()
        return self._service

    def changed(self, kinds: frozenset[str], focus: tuple[str, str] | None = None) -> None:
        self.records_changed.emit(kinds, focus)

    def _push(
        self,
        text: str,
        do: Callable[[], None],
        undo: Callable[[], None],
        kinds: set[str] | frozenset[str],
        focus: tuple[str, str] | None,
    ) -> None:
        kinds = frozenset(kinds)
        self.undo_stack.push(RecordCommand(text, do, undo, kinds=kinds, actions=self, focus=focus))
        self.changed(kinds, focus)

    # -- the actions -----------------------------------------------------------------
    def create(self, kind: str, values: Mapping[str, Any], *, text: str | None = None) -> RecordRef:
        """Create a record; undo retires it, redo restores it."""
        service = self.service
        ref = service.create(kind, values)
        label = (
            text
            or f"Add {spec_for(kind).label.lower()} {ref.key if ref.key != ref.uuid else ref.label}"
        )
        self._push(
            label,
            lambda: service.restore(kind, ref.uuid),
            lambda: service.retire(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
        )
        return ref

    def update(
        self, kind: str, key: str, changes: Mapping[str, Any], *, text: str | None = None
    ) -> None:
        """Change some fields of one record (one undo step for all of them)."""
        service = self.service
        ref = service.identify(kind, key)
        new = dict(changes)
        previous = service.update(kind, ref.uuid, new)
        after = service.values(kind, ref.uuid)
        if all(after[name] == previous[name] for name in previous):
            return  # the same values again: nothing changed, no undo step for it
        spec = spec_for(kind)
        fields = ", ".join(spec.field(name).label for name in new)
        label = text or f"Edit {fields} of {ref.key if ref.key != ref.uuid else ref.label}"
        self._push(
            label,
            lambda: service.update(kind, ref.uuid, new),
            lambda: service.update(kind, ref.uuid, previous),
            _kinds_touched(kind),
            (kind, ref.uuid),
        )

    def retire(self, kind: str, key: str) -> RecordRef:
        """Retire a record (hidden from lists and exports, kept with its history)."""
        service = self.service
        ref = service.identify(kind, key)
        service.retire(kind, ref.uuid)
        name = ref.key if ref.key != ref.uuid else ref.label
        self._push(
            f"Retire {spec_for(kind).label.lower()} {name}",
            lambda: service.retire(kind, ref.uuid),
            lambda: service.restore(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
        )
        return ref

    def restore(self, kind: str, key: str) -> RecordRef:
        """Bring a retired record back."""
        service = self.service
        ref = service.identify(kind, key)
        service.restore(kind, ref.uuid)
        name = ref.key if ref.key != ref.uuid else ref.label
        self._push(
            f"Restore {spec_for(kind).label.lower()} {name}",
            lambda: service.restore(kind, ref.uuid),
            lambda: service.retire(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
        )
        return ref

    def record_progress(self, commitment: str, **entry: Any) -> RecordRef:
        """Add a progress entry (date, status, narrative, evidence) to a commitment;
        its status follows. Undo retires the entry."""
        service = self.service
        ref = service.record_progress(commitment, **entry)
        status = entry.get("status")
        said = getattr(status, "label", status)
        self._push(
            f"Record progress on {commitment}" + (f" ({said})" if said else ""),
            lambda: service.restore("status_entry", ref.uuid),
            lambda: service.retire("status_entry", ref.uuid),
            _kinds_touched("status_entry"),
            ("status_entry", ref.uuid),
        )
        return ref


# What else a change to one kind changes in what the user sees (a register, the
# dashboard): progress moves a commitment's status; a target moves its deadline.
_ALSO = {
    "status_entry": {"commitment"},
    "target": {"commitment"},
    "milestone": {"participation", "instrument"},
    "participation": {"instrument"},
    "membership_snapshot": {"gift_basket", "instrument"},
    "action_item": {"gift_basket"},
    "agency_contact": {"agency"},
}


def _kinds_touched(kind: str) -> frozenset[str]:
    return frozenset({kind, *_ALSO.get(kind, ())})
