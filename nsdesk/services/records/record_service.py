"""Creating, editing, retiring and restoring any record of the register.

One generic service serves every kind declared in :mod:`nsdesk.domain.records`:
values are checked against the field specs, references are resolved by their
human key (an agency code, a commitment ref, an instrument key) or UUID, the
kind's cross-field rules run, and the change is written in one audited unit of
work. An edit returns the previous values in the same form it accepts, so undo
is simply the same edit with those values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.orm import Session

from nsdesk.domain.enums import AuditAction, Channel, CommitmentStatus
from nsdesk.domain.errors import ChangedField, FieldChangedError, ValidationError
from nsdesk.domain.fields import FieldSpec, FieldType, coerce
from nsdesk.domain.records import RecordSpec, spec_for
from nsdesk.domain.validation import check_not_future, check_period, check_target_after_pledge
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk, DeskInfo
from nsdesk.services.overview.baselines import freeze_items
from nsdesk.store import models as m
from nsdesk.store import tables as t
from nsdesk.store.change_log import take_revision
from nsdesk.store.types import utcnow

MODELS: dict[str, type[Any]] = {
    "party": m.Party,
    "agency": m.Agency,
    "agency_contact": m.AgencyContact,
    "theme": m.Theme,
    "source": m.Source,
    "instrument": m.Instrument,
    "participation": m.Participation,
    "milestone": m.Milestone,
    "event": m.Event,
    "document": m.Document,
    "deadline": m.Deadline,
    "gift_basket": m.GiftBasket,
    "membership_snapshot": m.MembershipSnapshot,
    "action_item": m.ActionItem,
    "commitment": m.Commitment,
    "target": m.Target,
    "status_entry": m.StatusEntry,
    "reporting_obligation": m.ReportingObligation,
    "baseline": m.Baseline,
}


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Which record a service call created or changed."""

    kind: str
    uuid: str
    key: str
    label: str


def record_key(obj: Any) -> str:
    """The key a person uses for a record: its ref or code, else its UUID."""
    spec = spec_for(_kind_of(obj))
    if spec.key_field:
        return str(getattr(obj, spec.key_field))
    return str(obj.uuid)


def _kind_of(obj: Any) -> str:
    for kind, model in MODELS.items():
        if type(obj) is model:
            return kind
    raise TypeError(f"{type(obj).__name__} is not a record kind")


def _normalise_key(spec: RecordSpec, key: str) -> str:
    key_spec = next((f for f in spec.fields if f.name == spec.key_field), None)
    if spec.allocated_key or (key_spec and key_spec.type is FieldType.CODE):
        return key.strip().upper()
    if key_spec and key_spec.type is FieldType.KEY:
        return key.strip().lower()
    return key.strip()


def find_record(
    session: Session, kind: str, key: str, *, field: str | None = None, lock: bool = False
) -> Any:
    """The record of ``kind`` whose key (or UUID) is ``key`` — or, when none is, the
    one record that had ``key`` before an identity clash renumbered it (its alias).

    ``field`` names the field being filled, for the message when nothing matches;
    ``lock`` holds its row until the transaction ends (``SELECT … FOR UPDATE`` where
    the database has it; SQLite's one writer at a time needs none).
    """
    spec, model = spec_for(kind), MODELS[kind]
    conditions = [model.uuid == key.strip()]
    if spec.key_field:
        conditions.append(getattr(model, spec.key_field) == _normalise_key(spec, key))
    query = select(model).where(or_(*conditions))
    found = session.scalars(query.with_for_update() if lock else query).first()
    if found is None and spec.key_field:
        found = _by_alias(session, model, _normalise_key(spec, key), lock=lock)
    if found is None:
        example = {"ref": f"{spec.allocated_key}-0001", "code": "a code"}.get(
            spec.key_field or "", "its identifier"
        )
        raise ValidationError(
            field or spec.label, f"an existing {spec.label.lower()} ({example})", key
        )
    return found


def _by_alias(session: Session, model: Any, key: str, *, lock: bool) -> Any:
    """The record known by ``key`` as an alias (the number it had before an identity
    clash between two laptops' records was settled), when exactly one is."""
    alias = t.record_alias
    owners = (
        session.execute(
            select(alias.c.record_uuid)
            .where(alias.c.record_table == model.__table__.name, alias.c.alias == key)
            .distinct()
        )
        .scalars()
        .all()
    )
    if len(owners) != 1:
        return None
    query = select(model).where(model.uuid == owners[0])
    return session.scalars(query.with_for_update() if lock else query).first()


class RecordWriter:
    """The write operations, on a session that is already a unit of work.

    Services that change several records in one user action share one writer.
    """

    def __init__(self, session: Session, info: DeskInfo, actor: Actor, today: date):
        self.session = session
        self.info = info
        self.actor = actor
        self.today = today

    # -- values in and out ---------------------------------------------------------
    def _resolve(self, spec: FieldSpec, key: str) -> Any:
        target = find_record(self.session, spec.referenced_kind, key, field=spec.label)
        if getattr(target, "retired_at", None) is not None:
            noun = spec_for(spec.referenced_kind).label.lower()
            article = "an" if noun[0] in "aeiou" else "a"
            raise ValidationError(spec.label, f"{article} {noun} that is not retired", key)
        return target

    def _assign(self, obj: Any, rspec: RecordSpec, values: Mapping[str, Any]) -> None:
        for name, raw in values.items():
            fspec = rspec.field(name)
            value = coerce(fspec, raw)
            if fspec.type is FieldType.REFERENCE:
                target = self._resolve(fspec, value) if value is not None else None
                setattr(obj, f"{name}_id", target.id if target is not None else None)
            elif fspec.type is FieldType.REFERENCES:
                setattr(obj, name, [self._resolve(fspec, key) for key in value or []])
            elif fspec.type is FieldType.SENSITIVITY:
                if value is None:
                    raise ValidationError(fspec.label, "a level of the desk's marking scheme")
                setattr(obj, name, self.info.marking.normalise(value))
            else:
                setattr(obj, name, value)

    def values_of(self, obj: Any, names: list[str] | None = None) -> dict[str, Any]:
        """The record's editable values, in the form :meth:`update` accepts."""
        rspec = spec_for(_kind_of(obj))
        result: dict[str, Any] = {}
        for fspec in rspec.fields:
            if names is not None and fspec.name not in names:
                continue
            if fspec.type is FieldType.REFERENCE:
                related_id = getattr(obj, f"{fspec.name}_id")
                related = (
                    self.session.get(MODELS[fspec.referenced_kind], related_id)
                    if related_id is not None
                    else None
                )
                result[fspec.name] = record_key(related) if related is not None else None
            elif fspec.type is FieldType.REFERENCES:
                result[fspec.name] = [record_key(o) for o in getattr(obj, fspec.name)]
            else:
                result[fspec.name] = getattr(obj, fspec.name)
        return result

    # -- what the editor showed -----------------------------------------------------
    def check_unchanged(self, obj: Any, expected: Mapping[str, Any]) -> None:
        """Refuse (:class:`FieldChangedError`, naming each field, the value shown, the
        value now, who changed it and when) if a field of ``expected`` no longer holds
        the value given for it there. Values compare as stored: "MFA" and the
        agency's UUID are the same reference, "2013" and ``PartialDate(2013)`` the
        same date, a list of references in any order the same set."""
        rspec = spec_for(_kind_of(obj))
        current = self.values_of(obj, list(expected))
        changed = []
        with self.session.no_autoflush:
            for name, shown in expected.items():
                fspec = rspec.field(name)
                if self._canonical(fspec, shown) == self._canonical(fspec, current[name]):
                    continue
                by, at = self._last_change(obj, name)
                changed.append(ChangedField(name, fspec.label, shown, current[name], by, at))
        if changed:
            raise FieldChangedError(f"{rspec.label} {record_key(obj)}", changed)

    def _canonical(self, spec: FieldSpec, value: Any) -> Any:
        """``value`` in one comparable form: references as row ids, sets as sets."""
        if value is None or value == "" or value == []:
            return None
        try:
            if spec.type is FieldType.REFERENCE:
                return find_record(self.session, spec.referenced_kind, str(value)).id
            if spec.type is FieldType.REFERENCES:
                return frozenset(self._canonical_reference(spec, v) for v in coerce(spec, value))
            if spec.type is FieldType.SENSITIVITY:
                return self.info.marking.normalise(value)
            return coerce(spec, value)
        except ValidationError:  # names nothing in the desk now: compare as given
            return ("as given", str(value))

    def _canonical_reference(self, spec: FieldSpec, key: str) -> Any:
        try:
            return find_record(self.session, spec.referenced_kind, key).id
        except ValidationError:
            return ("as given", key)

    def _last_change(self, obj: Any, name: str) -> tuple[str | None, datetime | None]:
        """Who last set field ``name`` of ``obj``, and when (its creation if never since)."""
        a = t.audit_entry
        found = self.session.execute(
            select(a.c.actor, a.c.at)
            .where(
                a.c.record_uuid == obj.uuid,
                or_(a.c.field == name, a.c.action == AuditAction.CREATE),
            )
            .order_by(a.c.revision.desc(), a.c.id.desc())
            .limit(1)
        ).first()
        return (found.actor, found.at) if found is not None else (None, None)

    # -- rules -------------------------------------------------------------------------
    def _check(self, kind: str, obj: Any) -> None:
        rspec = spec_for(kind)
        for fspec in rspec.required:
            column = f"{fspec.name}_id" if fspec.type is FieldType.REFERENCE else fspec.name
            if getattr(obj, column, None) in (None, ""):
                raise ValidationError(fspec.label, "a value (this field is required)")
        if rspec.key_field and not rspec.allocated_key:
            self._check_unique_key(kind, obj, rspec.key_field)
        rule = _RULES.get(kind)
        if rule is not None:
            rule(self, obj)

    def _check_unique_key(self, kind: str, obj: Any, key_field: str) -> None:
        rspec, model = spec_for(kind), MODELS[kind]
        key = getattr(obj, key_field)
        with self.session.no_autoflush:
            clash = self.session.scalars(
                select(model).where(getattr(model, key_field) == key, model.id != obj.id)
                if obj.id is not None
                else select(model).where(getattr(model, key_field) == key)
            ).first()
        if clash is not None:
            raise ValidationError(
                rspec.field(key_field).label,
                f"a key not already in use ({key} is already {clash.audit_label()})",
                key,
            )

    # -- operations ------------------------------------------------------------------
    def create(self, kind: str, values: Mapping[str, Any]) -> Any:
        rspec, model = spec_for(kind), MODELS[kind]
        obj = model()
        if rspec.sensitive:
            obj.sensitivity = self.info.default_sensitivity
        self._assign(obj, rspec, values)
        if rspec.allocated_key and rspec.key_field:  # a spec with one has the other
            setattr(obj, rspec.key_field, self.allocate(rspec.allocated_key))
        _BEFORE_CREATE.get(kind, lambda _w, _o: None)(self, obj)
        self._check(kind, obj)
        self.session.add(obj)
        self.session.flush()
        _AFTER_CREATE.get(kind, lambda _w, _o: None)(self, obj)
        return obj

    def update(self, obj: Any, changes: Mapping[str, Any], *, flush: bool = True) -> dict[str, Any]:
        """Change some fields (validated now); ``flush=False`` leaves the write to the
        caller's next flush, for bulk work that flushes once (an import)."""
        kind = _kind_of(obj)
        rspec = spec_for(kind)
        for name in _FROZEN_AFTER_CREATE.get(kind, ()):
            if name in changes:
                raise ValidationError(
                    rspec.field(name).label,
                    f"no change: a {rspec.label.lower()} is frozen once taken (take a new one)",
                )
        previous = self.values_of(obj, list(changes))
        self._assign(obj, rspec, changes)
        self._check(kind, obj)
        if flush:
            self.session.flush()
        return previous

    def set_retired(self, obj: Any, retired: bool) -> None:
        if not hasattr(obj, "retired_at"):
            raise ValidationError(
                "record",
                f"a kind of record that can be retired ({spec_for(_kind_of(obj)).label} cannot)",
            )
        obj.retired_at = utcnow() if retired else None
        self.session.flush()

    def allocate(self, series: str) -> str:
        """The next id of a series (``C`` → ``C-0043``); never reused."""
        counter = self.session.get(m.SequenceCounter, series)
        if counter is None:
            model = {"C": m.Commitment, "A": m.ActionItem}[series]
            existing = self.session.scalar(select(func.count()).select_from(model)) or 0
            counter = m.SequenceCounter(name=series, next_value=existing + 1)
            self.session.add(counter)
        number = counter.next_value
        counter.next_value = number + 1
        return f"{series}-{number:04d}"


# -- per-kind rules and hooks ------------------------------------------------------


def _commitment_after(writer: RecordWriter, obj: m.Commitment) -> None:
    """Every commitment starts its history: pledged, on the day it was pledged."""
    start = obj.pledged_on.earliest() if obj.pledged_on else writer.today
    writer.session.add(
        m.StatusEntry(
            commitment_id=obj.id,
            entry_date=min(start, writer.today),
            status=CommitmentStatus.PLEDGED,
            narrative="Recorded as pledged.",
            channel=writer.actor.channel,
            recorded_by=writer.actor.name,
            sensitivity=obj.sensitivity,
        )
    )
    writer.session.flush()


def _status_entry_before(writer: RecordWriter, obj: m.StatusEntry) -> None:
    obj.channel = writer.actor.channel
    obj.recorded_by = writer.actor.name


def _check_target(writer: RecordWriter, obj: m.Target) -> None:
    commitment = writer.session.get_one(m.Commitment, obj.commitment_id)
    check_target_after_pledge(obj.due, commitment.pledged_on)
    if obj.revises_id is None:
        return
    # A revision replaces the target in force of the same commitment: one that
    # another live target revised already is history, not in force.
    with writer.session.no_autoflush:
        revised = writer.session.get_one(m.Target, obj.revises_id)
        if revised.id == obj.id or revised.commitment_id != obj.commitment_id:
            raise ValidationError("Revises", f"a target of {commitment.ref}")
        already = writer.session.scalars(
            select(m.Target).where(
                m.Target.revises_id == revised.id,
                m.Target.retired_at.is_(None),
                m.Target.id != (obj.id or -1),
            )
        ).first()
    if already is not None:
        raise ValidationError(
            "Revises",
            f"the target in force (the one due {revised.due} was revised already, "
            f"by the one due {already.due})",
        )


def _check_commitment(writer: RecordWriter, obj: m.Commitment) -> None:
    if obj.id is None or not inspect(obj).attrs.pledged_on.history.has_changes():
        return  # the targets were checked against this pledge date already
    with writer.session.no_autoflush:
        for target in obj.current_targets():
            check_target_after_pledge(target.due, obj.pledged_on)


def _check_status_entry(writer: RecordWriter, obj: m.StatusEntry) -> None:
    check_not_future("Date", obj.entry_date, writer.today)


def _check_milestone(writer: RecordWriter, obj: m.Milestone) -> None:
    check_not_future("Actual", obj.actual, writer.today)


def _check_event(writer: RecordWriter, obj: m.Event) -> None:
    check_period(obj.start_date, obj.end_date)


def _check_snapshot(writer: RecordWriter, obj: m.MembershipSnapshot) -> None:
    if (obj.instrument_id is None) == (obj.gift_basket_id is None):
        raise ValidationError("Gift basket", "either a gift basket or an instrument, not both")


def _check_participation(writer: RecordWriter, obj: m.Participation) -> None:
    with writer.session.no_autoflush:
        clash = writer.session.scalars(
            select(m.Participation).where(
                m.Participation.party_id == obj.party_id,
                m.Participation.instrument_id == obj.instrument_id,
                m.Participation.id != (obj.id or -1),
            )
        ).first()
    if clash is not None:
        raise ValidationError(
            "Instrument",
            "an instrument this party has no participation record for yet "
            "(add milestones to the existing one)",
        )


def _reporting_before(writer: RecordWriter, obj: m.ReportingObligation) -> None:
    if obj.party_id is None:
        obj.party_id = writer.info.own_state_id


def _baseline_after(writer: RecordWriter, obj: m.Baseline) -> None:
    """A baseline is the register frozen as of its date, taken when it is created."""
    freeze_items(writer.session.connection(), obj.id, obj.as_of)
    writer.session.expire(obj, ["items"])


#: Fields that cannot change once the record exists.
_FROZEN_AFTER_CREATE: dict[str, tuple[str, ...]] = {"baseline": ("as_of",)}

_BEFORE_CREATE: dict[str, Callable[[RecordWriter, Any], None]] = {
    "status_entry": _status_entry_before,
    "reporting_obligation": _reporting_before,
}
_AFTER_CREATE: dict[str, Callable[[RecordWriter, Any], None]] = {
    "commitment": _commitment_after,
    "baseline": _baseline_after,
}
_RULES: dict[str, Callable[[RecordWriter, Any], None]] = {
    "commitment": _check_commitment,
    "target": _check_target,
    "status_entry": _check_status_entry,
    "milestone": _check_milestone,
    "event": _check_event,
    "membership_snapshot": _check_snapshot,
    "participation": _check_participation,
}


class RecordService:
    """The register's editing operations, each one audited unit of work."""

    def __init__(
        self, desk: Desk, actor: Actor | None = None, today: Callable[[], date] = date.today
    ):
        self.desk = desk
        self.actor = actor or Actor.local(Channel.TYPED)
        self._today = today

    def _writer(self, session: Session) -> RecordWriter:
        return RecordWriter(session, self.desk.info(), self.actor, self._today())

    @staticmethod
    def _ref(kind: str, obj: Any) -> RecordRef:
        return RecordRef(kind, obj.uuid, record_key(obj), obj.audit_label())

    def create(self, kind: str, values: Mapping[str, Any]) -> RecordRef:
        """Create a record of ``kind``; ``ValidationError`` names the field at fault."""
        with self.desk.writing(self.actor) as session:
            obj = self._writer(session).create(kind, values)
            return self._ref(kind, obj)

    def update(
        self,
        kind: str,
        key: str,
        changes: Mapping[str, Any],
        *,
        expected: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Change some fields; returns their previous values (to undo, apply them).

        ``expected`` maps fields to the value the editor showed (an undo: the value
        its step wrote). If any of them holds something else now — another session
        changed it since — nothing is written and :class:`FieldChangedError` says
        which, what it holds and who changed it when. The check and the write are
        one transaction that first takes the desk's next revision (so no other
        writer can commit in between) and locks the record's row; fields left out
        of ``expected`` are not checked, so two people editing different fields of
        one record never stop each other."""
        with self.desk.writing(self.actor) as session:
            if expected:
                take_revision(session.connection())
            obj = find_record(session, kind, key, lock=bool(expected))
            writer = self._writer(session)
            if expected:
                writer.check_unchanged(obj, expected)
            return writer.update(obj, changes)

    def retire(self, kind: str, key: str) -> None:
        """Hide a record from lists and exports, keeping it and its history."""
        with self.desk.writing(self.actor) as session:
            self._writer(session).set_retired(find_record(session, kind, key), True)

    def restore(self, kind: str, key: str) -> None:
        """Undo a retirement."""
        with self.desk.writing(self.actor) as session:
            self._writer(session).set_retired(find_record(session, kind, key), False)

    def identify(self, kind: str, key: str) -> RecordRef:
        """Which record ``key`` (a ref, code or UUID) names; ``ValidationError`` if none."""
        with self.desk.reading() as session:
            return self._ref(kind, find_record(session, kind, key))

    def values(self, kind: str, key: str) -> dict[str, Any]:
        """A record's editable values (for an editor, or to compare)."""
        with self.desk.reading() as session:
            obj = find_record(session, kind, key)
            return self._writer(session).values_of(obj)

    def record_progress_many(
        self,
        commitments: list[str],
        *,
        status: CommitmentStatus | str,
        entry_date: date | str | None = None,
        narrative: str | None = None,
        evidence: str | None = None,
    ) -> int:
        """The same progress entry for several commitments, in ONE unit of work:
        either every commitment gets it or none does. Returns how many."""
        with self.desk.writing(self.actor) as session:
            writer = self._writer(session)
            for ref in commitments:
                writer.create(
                    "status_entry",
                    {
                        "commitment": ref,
                        "status": status,
                        "entry_date": entry_date or self._today(),
                        "narrative": narrative,
                        "evidence": evidence,
                    },
                )
        return len(commitments)

    def record_progress(
        self,
        commitment: str,
        *,
        status: CommitmentStatus | str,
        entry_date: date | str | None = None,
        narrative: str | None = None,
        evidence: str | None = None,
        source_ref: str | None = None,
        **extra: Any,
    ) -> RecordRef:
        """Add a progress entry to a commitment's history (its status follows)."""
        values = {
            "commitment": commitment,
            "status": status,
            "entry_date": entry_date or self._today(),
            "narrative": narrative,
            "evidence": evidence,
            **extra,
        }
        with self.desk.writing(self.actor) as session:
            obj = self._writer(session).create("status_entry", values)
            if source_ref:
                obj.source_ref = source_ref
            return self._ref("status_entry", obj)
