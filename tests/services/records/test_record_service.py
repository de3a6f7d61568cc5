"""Creating, editing, retiring and restoring every kind of record, with audit."""

from datetime import date

import pytest
from sqlalchemy import func, select

from nsdesk.domain.enums import AuditAction, Channel, CommitmentStatus
from nsdesk.domain.errors import DeskError, ValidationError
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.audit import Actor
from nsdesk.services.records.record_service import MODELS, RecordService
from nsdesk.services.unit_of_work import UnauditedChangeError
from nsdesk.store.models import AuditEntry, Commitment

TODAY = date(2026, 11, 22)


@pytest.fixture
def records(desk):
    service = RecordService(desk, Actor("officer@laptop", Channel.TYPED), today=lambda: TODAY)
    service.create("agency", {"code": "MFA", "name": "Ministry of Foreign Affairs"})
    return service


def minimal_values(records, kind):
    """Just enough to create one record of ``kind`` (built on the catalogue)."""
    commitment = lambda: records.create("commitment", {"title": "Host", "pledged_on": "2016"}).key  # noqa: E731

    def participation():  # the catalogue holds no Dutch participation in the CNS
        return records.create("participation", {"party": "NLD", "instrument": "cns"}).uuid

    return {
        "party": lambda: {"code": "XTO", "kind": "organisation", "name": "Test organisation"},
        "agency": lambda: {"code": "REG", "name": "Regulator"},
        "agency_contact": lambda: {"agency": "MFA", "name": "A. Officer"},
        "theme": lambda: {"code": "new_theme", "label": "New theme"},
        "source": lambda: {"title": "A report", "url": "https://example.org/report"},
        "instrument": lambda: {
            "code": "new_code",
            "name": "New code",
            "short_name": "NEW",
            "kind": "code_of_conduct",
            "mechanism": "political_commitment",
        },
        "participation": lambda: {"party": "NLD", "instrument": "cppnm"},
        "milestone": lambda: {
            "participation": participation(),
            "kind": "signature",
            "actual": "2005-09-14",
        },
        "event": lambda: {"code": "sherpa_2027", "kind": "sherpa_meeting", "name": "Sherpas"},
        "document": lambda: {"kind": "national_statement", "title": "Our statement"},
        "deadline": lambda: {"description": "All to report", "due": "2027"},
        "gift_basket": lambda: {"code": "gb_new", "title": "A new joint statement"},
        "membership_snapshot": lambda: {
            "instrument": "gicnt",
            "snapshot_date": "2026",
            "member_count": 90,
        },
        "action_item": lambda: {"gift_basket": "gb_2016_nscg", "title": "Name a representative"},
        "commitment": lambda: {"title": "Ratify ICSANT", "pledged_on": "2010-04"},
        "target": lambda: {"commitment": commitment(), "due": "2027-06"},
        "status_entry": lambda: {
            "commitment": commitment(),
            "entry_date": "2026-01-05",
            "status": "in_progress",
        },
        "reporting_obligation": lambda: {"instrument": "unscr_1540", "title": "1540 report"},
        "baseline": lambda: {"name": "Before the sherpa meeting", "as_of": "2026-11-01"},
    }[kind]()


def audit_of(desk, record_uuid):
    with desk.reading() as session:
        return session.scalars(
            select(AuditEntry).where(AuditEntry.record_uuid == record_uuid).order_by(AuditEntry.id)
        ).all()


@pytest.mark.parametrize("kind", sorted(RECORD_SPECS))
def test_every_kind_is_created_edited_and_undone_with_audit(desk, records, kind):
    created = records.create(kind, minimal_values(records, kind))
    spec = RECORD_SPECS[kind]
    field = next(
        f.name
        for f in spec.fields
        if f.type.value in ("text", "long_text") and f.name != spec.key_field
    )
    previous = records.update(kind, created.key, {field: "Edited text"})
    assert records.values(kind, created.key)[field] == "Edited text"
    records.update(kind, created.key, previous)  # undo is the same edit, reversed
    assert records.values(kind, created.key)[field] == previous[field]

    audit = audit_of(desk, created.uuid)
    assert (audit[0].action, audit[0].field) == (AuditAction.CREATE, None)
    edit, undo = (a for a in audit if a.field == field)
    assert (edit.old_value, edit.new_value) == (previous[field], "Edited text")
    assert (undo.old_value, undo.new_value) == ("Edited text", previous[field])
    assert {(a.actor, a.channel) for a in audit} == {("officer@laptop", Channel.TYPED)}
    assert all(a.at.tzinfo is not None for a in audit)  # UTC, comparable across laptops


@pytest.mark.parametrize(
    "kind", sorted(k for k, model in MODELS.items() if hasattr(model, "retired_at"))
)
def test_retiring_hides_nothing_for_good_and_is_audited(desk, records, kind):
    created = records.create(kind, minimal_values(records, kind))
    records.retire(kind, created.key)
    records.restore(kind, created.key)
    actions = [a.action for a in audit_of(desk, created.uuid)]
    assert actions[-2:] == [AuditAction.RETIRE, AuditAction.RESTORE]


def test_a_baseline_is_frozen_when_taken_and_its_date_cannot_move(desk, records):
    ref = records.create("commitment", {"title": "Frozen", "pledged_on": "2020"}).key
    taken = records.create("baseline", {"name": "Before", "as_of": "2026-11-01"})
    records.record_progress(ref, status="completed", entry_date="2026-11-20")
    with desk.reading() as session:
        from nsdesk.store.models import Baseline

        baseline = session.scalars(select(Baseline).where(Baseline.uuid == taken.uuid)).one()
        frozen = {i.record_ref: i.payload["status"] for i in baseline.items}
    assert frozen[ref] == "pledged"  # the later progress does not reach the baseline
    with pytest.raises(ValidationError, match="As of: expected no change: a baseline is frozen"):
        records.update("baseline", "Before", {"as_of": "2026-11-21"})


def test_a_baseline_is_marked_with_the_desks_default_unless_a_level_is_chosen(desk, records):
    from nsdesk.services.overview.baselines import freeze_baseline
    from nsdesk.store import tables as t

    records.create("baseline", {"name": "Default", "as_of": "2026-11-01"})
    records.create(
        "baseline", {"name": "Chosen", "as_of": "2026-11-01", "sensitivity": "restricted"}
    )
    with desk.transaction(Actor("officer@laptop")) as (connection, ctx):
        freeze_baseline(connection, ctx, name="Bulk", as_of=date(2026, 11, 1))
        freeze_baseline(
            connection,
            ctx,
            name="Bulk, confidential",
            as_of=date(2026, 11, 1),
            sensitivity="CONFIDENTIAL",
        )
    with desk.connect() as connection:
        levels = dict(connection.execute(select(t.baseline.c.name, t.baseline.c.sensitivity)).all())
    assert desk.info().default_sensitivity == "INTERNAL"
    assert levels == {
        "Default": "INTERNAL",
        "Chosen": "RESTRICTED",
        "Bulk": "INTERNAL",
        "Bulk, confidential": "CONFIDENTIAL",
    }
    assert records.values("baseline", "Chosen")["sensitivity"] == "RESTRICTED"


def test_a_commitment_gets_a_stable_ref_and_starts_its_history_as_pledged(desk, records):
    first = records.create("commitment", {"title": "One", "pledged_on": "2012-03-27"})
    records.retire("commitment", first.key)
    second = records.create("commitment", {"title": "Two"})
    assert (first.key, second.key) == ("C-0001", "C-0002")  # numbers are never reused
    with desk.reading() as session:
        commitment = session.scalars(select(Commitment).where(Commitment.ref == "C-0001")).one()
        assert commitment.status is CommitmentStatus.PLEDGED
        assert str(commitment.history[0].entry_date) == "2012-03-27"


def test_status_is_the_latest_progress_entry_by_date(desk, records):
    ref = records.create("commitment", {"title": "Convert the reactor", "pledged_on": "2010"}).key
    records.record_progress(ref, status="completed", entry_date="2014-03-24")
    records.record_progress(ref, status="in progress", entry_date="2012-01-10")  # backfilled
    with desk.reading() as session:
        commitment = session.scalars(select(Commitment).where(Commitment.ref == ref)).one()
        assert commitment.status is CommitmentStatus.COMPLETED
        assert str(commitment.last_progress_on) == "2014-03-24"
        assert [e.channel for e in commitment.history] == [Channel.TYPED] * 3


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("commitment", {"title": ""}, "Title: expected a value"),
        (
            "commitment",
            {"title": "x", "lead_agency": "MFAA"},
            "Lead agency: expected an existing agency",
        ),
        ("commitment", {"title": "x", "pledged_on": "31/12/2012"}, "Pledged: expected a date"),
        ("commitment", {"title": "x", "priority": "urgent"}, "Priority: expected one of: High"),
        (
            "commitment",
            {"title": "x", "sensitivity": "SECRET"},
            "Sensitivity: expected one of PUBLIC",
        ),
        (
            "commitment",
            {"title": "x", "colour": "red"},
            "colour: expected one of the commitment fields",
        ),
        ("agency", {"code": "MFA", "name": "Again"}, "Code: expected a key not already in use"),
        (
            "event",
            {
                "code": "e1",
                "kind": "summit",
                "name": "E",
                "start_date": "2027-05",
                "end_date": "2027-04",
            },
            "Ends: expected a date on or after the start",
        ),
        ("participation", {"party": "NLD", "instrument": "cns"}, None),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_is_written(
    desk, records, kind, values, message
):
    if message is None:  # a second participation for the same pair is the error
        records.create(kind, values)
        message = "Instrument: expected an instrument this party has no participation"
    with desk.reading() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ValidationError, match=message):
        records.create(kind, values)
    with desk.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_a_target_before_the_pledge_and_progress_in_the_future_are_refused(records):
    ref = records.create("commitment", {"title": "x", "pledged_on": "2014-03"}).key
    with pytest.raises(
        ValidationError, match=r"Due: expected a date on or after the pledge \(2014-03\)"
    ):
        records.create("target", {"commitment": ref, "due": "2013"})
    with pytest.raises(ValidationError, match="Date: expected a date not after today"):
        records.record_progress(ref, status="completed", entry_date="2027-01-01")
    participation = records.create("participation", {"party": "NLD", "instrument": "cppnm"})
    with pytest.raises(ValidationError, match="Actual: expected a date not after today"):
        records.create(
            "milestone", {"participation": participation.uuid, "kind": "deposit", "actual": "2030"}
        )


def test_references_to_retired_records_are_refused(records):
    records.retire("agency", "MFA")
    with pytest.raises(
        ValidationError, match="Lead agency: expected an agency that is not retired"
    ):
        records.create("commitment", {"title": "x", "lead_agency": "MFA"})


def test_nothing_changes_outside_a_unit_of_work_or_on_a_read_only_desk(desk, new_desk_path):
    from nsdesk.services.desk import open_desk

    def sneak_in():
        with desk.reading() as session:
            session.add(Commitment(ref="C-9999", title="sneaked in", sensitivity="PUBLIC"))
            session.flush()

    with pytest.raises(UnauditedChangeError):
        sneak_in()
    desk.close()
    with (
        open_desk(new_desk_path, read_only=True) as read_only,
        pytest.raises(DeskError, match="read-only"),
    ):
        RecordService(read_only).create("agency", {"code": "X", "name": "X"})


def test_a_revision_replaces_the_target_in_force_of_the_same_commitment_only(records):
    from nsdesk.services.records.details.commitment import commitment_detail

    ref = records.create("commitment", {"title": "Ratify ICSANT", "pledged_on": "2014"}).key
    first = records.create("target", {"commitment": ref, "due": "2016", "clause": "para. 4"})
    later = records.create(
        "target", {"commitment": ref, "due": "2018-06", "clause": "para. 9", "revises": first.uuid}
    )
    detail = commitment_detail(records.desk, ref, as_of=TODAY)
    assert str(detail.binding_target) == "2018-06"
    assert [(str(t.due), t.clause, t.revised) for t in detail.targets] == [
        ("2016", "para. 4", True),
        ("2018-06", "para. 9", False),
    ]
    with pytest.raises(ValidationError, match="Revises: expected the target in force"):
        records.create("target", {"commitment": ref, "due": "2019", "revises": first.uuid})
    other = records.create("commitment", {"title": "Host a mission", "pledged_on": "2014"}).key
    with pytest.raises(ValidationError, match=f"Revises: expected a target of {other}"):
        records.create("target", {"commitment": other, "due": "2019", "revises": later.uuid})
    records.retire("target", later.uuid)  # the revision retired: the first is in force again
    assert str(commitment_detail(records.desk, ref, as_of=TODAY).binding_target) == "2016"
    assert [e.action for e in audit_of(records.desk, later.uuid)] == [
        AuditAction.CREATE,
        AuditAction.RETIRE,
    ]
