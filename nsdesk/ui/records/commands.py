"""Every change the user makes, as one undoable action, and the helpers every
undo step of the app is built from.

:class:`RecordActions` is the one way the UI writes records: each method is one
user action, done at once through
:class:`~nsdesk.services.records.record_service.RecordService` (which validates
and audits it) and pushed on the app's one ``QUndoStack`` as a
:class:`RecordCommand`. There is no Save button: a change is in the desk file
when the method returns. A refused change raises
:class:`~nsdesk.domain.errors.ValidationError` (the editor shows it beside the
field) and pushes nothing. :meth:`RecordActions.macro` makes several actions one
undo step.

Every command is a :class:`DoneCommand`: pushed after its change was made, so
the stack's first redo does nothing. An undo or redo the desk refuses takes the
command off the stack (``setObsolete``) and says so, rather than leaving the
stack claiming a state the desk is not in.

Commands name records by UUID, so undo still finds a record whose code was
edited. Undoing a creation retires the record (nothing is ever deleted) and
redoing it restores it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.domain.fields import FieldType, coerce
from nsdesk.domain.records import spec_for
from nsdesk.ui.wording import error_text, is_refusal

if TYPE_CHECKING:
    from nsdesk.services.records.record_service import RecordRef, RecordService

Report = Callable[[str], None]
"""Says a sentence to the user (the status bar)."""


class DoneCommand(QUndoCommand):
    """An undo step for a change already made when it is pushed: the stack's first
    redo (the one ``QUndoStack.push`` calls) does nothing; later ones call
    :meth:`redo_change`, undo calls :meth:`undo_change`.

    When either fails, the step is taken off the stack — the whole macro it is part
    of (``within``), if any — and ``report`` says why; an error nsdesk did not
    expect also goes to the app's error dialog. The stack then never offers to undo
    a change that is not in the desk, or to redo one that is.
    """

    def __init__(self, text: str, *, report: Report, within: QUndoCommand | None = None):
        super().__init__(text)
        self.report = report
        self.within = within
        self._pushed = False

    def redo_change(self) -> None:
        """Make the change again (after it was undone)."""
        raise NotImplementedError

    def undo_change(self) -> None:
        """Take the change back."""
        raise NotImplementedError

    def changed(self) -> None:
        """The change was undone or redone: what shows it can follow (nothing here)."""

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # pushed after the change: it is done already
            return
        self._run(self.redo_change, "redo")

    def undo(self) -> None:
        self._run(self.undo_change, "undo")

    def _run(self, step: Callable[[], None], verb: str) -> None:
        try:
            step()
        except Exception as error:  # the stack must not move on as if it had worked
            (self.within or self).setObsolete(True)
            reason = error_text(error) if is_refusal(error) else "an unexpected error"
            self.report(
                f"Could not {verb} “{self.text()}”: {reason}. It was taken off the undo list."
            )
            if not is_refusal(error):
                sys.excepthook(type(error), error, error.__traceback__)
            return
        self.changed()


class RecordCommand(DoneCommand):
    """One user action on the records: redo calls ``do`` again, undo calls ``undo``
    (what the service calls return is not used); either way the views showing
    ``kinds`` read them again, and the record acted on is brought forward — unless
    that step retired it (``retires_on``: "undo" for a creation, "redo" for a
    retirement): a record gone from the lists is not brought back as a retired one."""

    def __init__(
        self,
        text: str,
        do: Callable[[], object],
        undo: Callable[[], object],
        *,
        kinds: frozenset[str],
        actions: RecordActions,
        focus: tuple[str, str] | None = None,
        within: QUndoCommand | None = None,
        retires_on: str | None = None,
    ):
        super().__init__(text, report=actions.action_failed.emit, within=within)
        self._do = do
        self._undo = undo
        self.kinds = kinds
        self.actions = actions
        #: The record to show after undo or redo: (kind, uuid).
        self.focus = focus
        self.retires_on = retires_on
        self._last = ""  # "undo" or "redo": the step just taken

    def redo_change(self) -> None:
        self._last = "redo"
        self._do()

    def undo_change(self) -> None:
        self._last = "undo"
        self._undo()

    def changed(self) -> None:
        self.actions.changed(self.kinds, self.focus)
        if self.focus is None:
            return
        # A part of a record (a progress entry) is shown with its owner, which stays.
        if self._last == self.retires_on and self.focus[0] not in SHOWN_WITH_OWNER:
            return
        self.actions.revisited.emit(*self.focus)


class DeskSettingsCommand(DoneCommand):
    """A change of desk settings, already applied when pushed: ``apply`` takes the
    values to set and gives back those they replaced; undo applies ``before``,
    redo ``after``."""

    def __init__(
        self,
        apply: Callable[[dict[str, Any]], dict[str, Any]],
        before: dict[str, Any],
        after: dict[str, Any],
        *,
        report: Report,
    ):
        super().__init__("Change desk settings", report=report)
        self._apply, self._before, self._after = apply, before, after

    def redo_change(self) -> None:
        self._apply(self._after)

    def undo_change(self) -> None:
        self._apply(self._before)


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
        self._macro: QUndoCommand | None = None  # the macro being recorded, if any

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
        do: Callable[[], object],
        undo: Callable[[], object],
        kinds: set[str] | frozenset[str],
        focus: tuple[str, str] | None,
        *,
        retires_on: str | None = None,
    ) -> None:
        kinds = frozenset(kinds)
        command = RecordCommand(
            text,
            do,
            undo,
            kinds=kinds,
            actions=self,
            focus=focus,
            within=self._macro,
            retires_on=retires_on,
        )
        self.undo_stack.push(command)
        self.changed(kinds, focus)

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """The actions taken inside are one undo step, named ``text``. If the block
        raises, what it did is undone and dropped (no redo brings half of it
        back), and the error goes on to the caller."""
        stack = self.undo_stack
        outermost = self._macro is None
        stack.beginMacro(text)
        if outermost:  # the command the stack holds for the macro: the last one
            self._macro = stack.command(stack.count() - 1)
        try:
            yield
        except BaseException:
            stack.endMacro()
            if outermost:
                self._macro = None
                count = stack.count()
                stack.undo()
                if stack.count() == count:  # still there (an undo that failed drops it)
                    stack.command(stack.index()).setObsolete(True)
                    stack.redo()  # an obsolete command is removed, not redone
            raise
        stack.endMacro()
        if outermost:
            self._macro = None

    def name_macro(self, text: str) -> None:
        """Name the macro being recorded, once what it made is known ("Add
        commitment C-0061 with a target"); nothing outside a macro."""
        if self._macro is not None:
            self._macro.setText(text)

    def _name_of(self, kind: str, ref: RecordRef) -> str:
        """What an undo label calls a record: a key people use (C-0012, MFA, NLD),
        else its own name ("Radioactive sources", "CPPNM") — never an internal key
        (gb_2016_radioactive_sources) or a UUID."""
        spec = spec_for(kind)
        if spec.key_field and ref.key != ref.uuid:
            key = next((f for f in spec.fields if f.name == spec.key_field), None)
            if key is None or key.type is not FieldType.KEY:  # allocated (C-0012), or a code
                return ref.key
        values = self.service.values(kind, ref.uuid)
        for name in ("short_name", "name", "title", "label"):
            if isinstance(values.get(name), str) and values[name].strip():
                said = " ".join(values[name].split())
                return f"“{said[:60]}…”" if len(said) > 60 else f"“{said}”"
        return ref.label

    # -- the actions -----------------------------------------------------------------
    def create(self, kind: str, values: Mapping[str, Any], *, text: str | None = None) -> RecordRef:
        """Create a record; undo retires it, redo restores it."""
        service = self.service
        ref = service.create(kind, values)
        label = text or f"Add {spec_for(kind).label.lower()} {self._name_of(kind, ref)}"
        self._push(
            label,
            lambda: service.restore(kind, ref.uuid),
            lambda: service.retire(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
            retires_on="undo",
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
        label = text or f"Edit {fields} of {self._name_of(kind, ref)}"
        wrote = {name: after[name] for name in previous}
        # Undo puts back what was there only if the fields still hold what this step
        # wrote (redo: what undo put back); a later change by someone else is never
        # overwritten: the desk refuses, and the step leaves the stack saying whose.
        self._push(
            label,
            lambda: service.update(kind, ref.uuid, new, expected=previous),
            lambda: service.update(kind, ref.uuid, previous, expected=wrote),
            _kinds_touched(kind),
            (kind, ref.uuid),
        )

    def retire(self, kind: str, key: str, *, text: str | None = None) -> RecordRef:
        """Retire a record (hidden from lists and exports, kept with its history)."""
        service = self.service
        ref = service.identify(kind, key)
        service.retire(kind, ref.uuid)
        self._push(
            text or f"Retire {spec_for(kind).label.lower()} {self._name_of(kind, ref)}",
            lambda: service.retire(kind, ref.uuid),
            lambda: service.restore(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
            retires_on="redo",
        )
        return ref

    def restore(self, kind: str, key: str) -> RecordRef:
        """Bring a retired record back."""
        service = self.service
        ref = service.identify(kind, key)
        service.restore(kind, ref.uuid)
        self._push(
            f"Restore {spec_for(kind).label.lower()} {self._name_of(kind, ref)}",
            lambda: service.restore(kind, ref.uuid),
            lambda: service.retire(kind, ref.uuid),
            _kinds_touched(kind),
            (kind, ref.uuid),
            retires_on="undo",
        )
        return ref

    def record_progress(self, commitment: str, **entry: Any) -> RecordRef:
        """Add a progress entry (date, status, narrative, evidence) to a commitment;
        its status follows. Undo retires the entry."""
        service = self.service
        ref = service.record_progress(commitment, **entry)
        status = entry.get("status")
        said = CommitmentStatus(status).label if status else ""  # the label, never the key
        self._push(
            f"Record progress on {commitment}" + (f" ({said.lower()})" if said else ""),
            lambda: service.restore("status_entry", ref.uuid),
            lambda: service.retire("status_entry", ref.uuid),
            _kinds_touched("status_entry"),
            ("status_entry", ref.uuid),
        )
        return ref

    # -- a commitment's targets ------------------------------------------------------------
    def add_target(
        self,
        commitment: str,
        due: str,
        *,
        clause: str | None = None,
        revises: str | None = None,
    ) -> RecordRef:
        """Give ``commitment`` a target due ``due`` (set in ``clause``); with
        ``revises`` (a target's UUID) the new target replaces that one, which stays
        as history. One undo step, which retires the new target again."""
        spec = spec_for("target")
        when = coerce(spec.field("due"), due)
        said = when.display() if isinstance(when, PartialDate) else due
        values = {"commitment": commitment, "due": due, "clause": clause, "revises": revises}
        if revises is None:
            text = f"Add target due {said} to {commitment}"
        else:
            before = self.service.values("target", revises)["due"]
            text = f"Revise the target of {commitment}: due {said}, was {before.display()}"
        return self.create("target", values, text=text)

    def retire_target(self, uuid: str) -> RecordRef:
        """Retire a target (a revision retired puts the one it revised back in force)."""
        values = self.service.values("target", uuid)
        return self.retire(
            "target",
            uuid,
            text=f"Retire the target due {values['due'].display()} of {values['commitment']}",
        )


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


#: The kinds listed in no register of their own: shown with the record they belong
#: to (services/records/locate.py), which stays when one of them is retired.
SHOWN_WITH_OWNER = frozenset(
    {
        "status_entry",
        "target",
        "milestone",
        "participation",
        "membership_snapshot",
        "agency_contact",
    }
)


def _kinds_touched(kind: str) -> frozenset[str]:
    return frozenset({kind, *_ALSO.get(kind, ())})
