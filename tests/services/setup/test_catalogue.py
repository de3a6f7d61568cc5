"""The catalogue every new desk starts with, and applying a newer one."""

import copy
import json

import pytest
from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import AuditAction, Channel, Confidence, GiftBasketRole
from nsdesk.services.audit import Actor
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.catalogue_update import apply_catalogue_update
from nsdesk.store.models import (
    AuditEntry,
    Citation,
    GiftBasket,
    Instrument,
    MembershipSnapshot,
    Party,
    Source,
)


def instrument(session, code):
    return session.scalars(select(Instrument).where(Instrument.code == code)).one()


def sources_of(session, record):
    return session.scalars(
        select(Source).join(Citation).where(Citation.subject_uuid == record.uuid)
    ).all()


def test_pinned_facts_of_the_instruments_with_their_sources(desk):
    with desk.reading() as session:
        amendment = instrument(session, "cppnm_a")
        assert amendment.entered_into_force == PartialDate(2016, 5, 8)
        assert amendment.amends.code == "cppnm"
        assert amendment.confidence is Confidence.HIGH
        assert any("UNODC" in s.title for s in sources_of(session, amendment))
        icsant = instrument(session, "icsant")
        assert icsant.entered_into_force == PartialDate(2007, 7, 7)
        assert icsant.opened_for_signature == PartialDate(2005, 9, 14)
        assert instrument(session, "unscr_1540").mechanism == "obligation_on_all_states"


def test_infcirc_869_subscribers_are_dated_snapshots_not_one_number(desk):
    with desk.reading() as session:
        snapshots = session.scalars(
            select(MembershipSnapshot)
            .where(MembershipSnapshot.instrument_id == instrument(session, "infcirc_869").id)
            .order_by(MembershipSnapshot.snapshot_date)
        ).all()
        assert [(str(s.snapshot_date), s.member_count) for s in snapshots] == [
            ("2014-03-25", 35), ("2015-11-13", 36), ("2016-04", 38),
        ]  # fmt: skip
        assert all(sources_of(session, s) for s in snapshots)


def test_the_four_summits_with_their_documents_and_deadlines(desk):
    from nsdesk.store.models import Deadline, Event

    with desk.reading() as session:
        summits = session.scalars(
            select(Event).where(Event.kind == "summit").order_by(Event.start_date)
        ).all()
        assert [(s.code, s.city, s.host.code) for s in summits] == [
            ("nss2010", "Washington, D.C.", "USA"), ("nss2012", "Seoul", "KOR"),
            ("nss2014", "The Hague", "NLD"), ("nss2016", "Washington, D.C.", "USA"),
        ]  # fmt: skip
        assert all(summit.documents for summit in summits)
        deadline = session.scalars(
            select(Deadline).where(Deadline.description.like("%CPPNM Amendment%"))
        ).one()
        assert str(deadline.due) == "2014"
        assert deadline.event.code == "nss2012"


def test_joint_statements_keep_signatories_leads_and_themes(desk):
    with desk.reading() as session:
        nssc = session.scalars(select(GiftBasket).where(GiftBasket.code == "gb_2012_nssc")).one()
        members = {p.code for p in nssc.snapshots[0].members}
        assert len(members) == nssc.snapshots[0].member_count == 23
        # "Republic of Korea" must be the Republic of Korea, never the DPRK
        assert "KOR" in members
        assert "PRK" not in members
        implementation = session.scalars(
            select(GiftBasket).where(GiftBasket.code == "gb_2014_strengthening_implementation")
        ).one()
        assert {p.code for p in implementation.leads} == {"USA", "KOR", "NLD"}
        assert implementation.infcirc == "INFCIRC/869"
        assert implementation.own_role is GiftBasketRole.NONE  # the desk's own part is its own


def test_low_confidence_records_stay_out_and_every_fact_is_sourced(desk):
    with desk.reading() as session:
        codes = set(session.scalars(select(GiftBasket.code)))
        assert "gb_2012_other_topics" not in codes
        # low in the reference, restored at medium by the addendum's correction
        cyber = session.scalars(select(GiftBasket).where(GiftBasket.code == "gb_2016_cyber")).one()
        assert cyber.confidence is Confidence.MEDIUM
        assert [p.code for p in cyber.leads] == ["GBR"]
        for basket in session.scalars(select(GiftBasket)):
            assert basket.confidence in (Confidence.HIGH, Confidence.MEDIUM)
            assert sources_of(session, basket), basket.code
        for inst in session.scalars(select(Instrument)):
            assert sources_of(session, inst), inst.code


def test_every_iso_state_and_the_signing_organisations_are_parties(desk):
    import pycountry

    with desk.reading() as session:
        codes = dict(session.execute(select(Party.code, Party.kind)).all())
        assert {c.alpha_3 for c in pycountry.countries} <= set(codes)
        assert {"IAEA", "UN", "EU", "INTERPOL"} <= {
            c for c, k in codes.items() if k == "organisation"
        }
        korea = session.scalars(select(Party).where(Party.code == "KOR")).one()
        assert korea.name == "Republic of Korea"


@pytest.fixture
def newer_catalogue():
    data = copy.deepcopy(Catalogue.shipped().data)
    data["version"] = "2027.01.1"
    by_code = {i["code"]: i for i in data["instruments"]}
    by_code["cppnm_a"]["entered_into_force"] = "2016-05-09"  # the user corrected this one
    by_code["cppnm_a"]["scope"] = "Revised scope text."  # the user never touched this one
    by_code["nsf"]["notes"] = "New note from the catalogue."  # retired by the user
    data["instruments"].append(
        {
            **by_code["psi"],
            "key": "new_initiative",
            "code": "new_initiative",
            "short_name": "NEW",
            "name": "A new initiative",
            "snapshots": [],
        }
    )
    return Catalogue(data)


def test_a_newer_catalogue_updates_what_the_user_did_not_edit(desk, newer_catalogue):
    records = RecordService(desk)
    records.update("instrument", "cppnm_a", {"entered_into_force": "2016-05-08", "notes": "x"})
    records.update("instrument", "cppnm_a", {"entered_into_force": "2016-06-01"})
    records.retire("instrument", "nsf")

    report = apply_catalogue_update(desk, newer_catalogue, Actor("tester", Channel.TYPED))

    with desk.reading() as session:
        amendment = instrument(session, "cppnm_a")
        assert amendment.entered_into_force == PartialDate(2016, 6, 1)  # the user's value kept
        assert amendment.scope == "Revised scope text."  # the catalogue's change taken
        assert instrument(session, "nsf").notes != "New note from the catalogue."
        assert instrument(session, "new_initiative").short_name == "NEW"
        audit = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_uuid == amendment.uuid,
                AuditEntry.channel == Channel.CATALOGUE,
                AuditEntry.action == AuditAction.UPDATE,
            )
        ).all()
        assert [(a.action, a.field) for a in audit] == [(AuditAction.UPDATE, "scope")]
    assert [(k.record, k.field, k.desk_value) for k in report.kept_edits] == [
        ("A/CPPNM (CPPNM/A)", "entered_into_force", "2016-06-01")
    ]
    assert report.created == {"instrument": 1}
    assert desk.info().catalogue_version == "2027.01.1"


def test_applying_the_same_catalogue_twice_changes_nothing(desk):
    report = apply_catalogue_update(desk, Catalogue.shipped(), Actor("tester"))
    assert report.created == {}
    assert report.updated == {}
    assert report.kept_edits == []


def test_a_catalogue_of_another_format_is_refused(tmp_path):
    from nsdesk.domain.errors import CatalogueError

    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"format": 99}))
    with pytest.raises(CatalogueError, match="not in format 1"):
        Catalogue.load(path)
