"""Every party's participation, dated, from the catalogue: what a new desk answers,
the corrections and additions of the 2026-12 addendum, and merging a newer
catalogue without overwriting the user's edits."""

import copy
from datetime import date

import pytest
from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Channel, Confidence, MilestoneKind, Standing
from nsdesk.services.audit import Actor
from nsdesk.services.overview.party_standing import instrument_standings
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.catalogue_update import apply_catalogue_update
from nsdesk.store import models as m

SHIPPED = Catalogue.shipped().data


def rows_of(instrument):
    return [r for r in SHIPPED["participation"] if r["instrument"] == instrument]


def test_a_new_desk_answers_icsant_parties_and_their_consent_dates_as_the_addendum_gives(desk):
    standings, _ = instrument_standings(desk, "icsant", date(2026, 12, 1))
    by_code = {s.code: s for s in standings}
    expected = rows_of("icsant")
    assert len(expected) == 151  # the addendum's 152 rows less Palau (low confidence)
    for row in expected:
        consent = next((ms for ms in row["milestones"] if ms["key"].endswith(":deposit")), None)
        got = by_code[row["party"]]
        if row["listed_standing"] == "party":
            assert got.standing is Standing.PARTY, row["party"]
            assert str(got.consented or "") == (consent["actual"] if consent else ""), row["party"]
        else:
            assert got.standing is Standing.SIGNATORY, row["party"]
    # pinned from the addendum, kind and all
    assert (by_code["AFG"].consent, str(by_code["AFG"].consented)) == (
        MilestoneKind.RATIFICATION,
        "2013-03-25",
    )
    assert (by_code["NLD"].consent, str(by_code["NLD"].signed)) == (
        MilestoneKind.ACCEPTANCE,
        "2005-09-16",
    )
    assert by_code["DZA"].consent is MilestoneKind.ACCESSION
    # Thailand: party in the 2024 list, its date not found: counted from that list only
    assert (by_code["THA"].standing, by_code["THA"].undated) == (Standing.PARTY, True)
    assert "PLW" not in by_code  # a low-confidence row stays out
    counts = {
        s: sum(1 for x in standings if x.standing is s)
        for s in (Standing.PARTY, Standing.SIGNATORY)
    }
    assert counts == {Standing.PARTY: 119, Standing.SIGNATORY: 32}


def test_who_joined_the_cppnm_amendment_before_its_entry_into_force(desk):
    standings, _ = instrument_standings(desk, "cppnm_a", date(2016, 5, 7))
    joined = {s.code for s in standings if s.standing is Standing.PARTY}
    assert joined == {
        "AZE", "BWA", "CMR", "CIV", "DOM", "ISL", "IRL", "JOR", "KWT", "MHL", "MNE", "MAR",
        "NLD", "NZL", "NIC", "PAK", "PRY", "SRB", "SGP", "CHE", "USA", "URY",
    }  # fmt: skip
    dated = {s.code: str(s.since) for s in standings if not s.undated and s.code in joined}
    assert dated["CHE"] == "2008-10-15"
    assert dated["USA"] == "2015-07-31"
    assert dated["NIC"] == "2016-04-08"  # the 102nd
    # Brazil (2022) and Zimbabwe (2024) came later
    assert {s.code for s in standings if s.standing is Standing.OUTSIDE} == {"BRA", "ZWE"}
    later, _ = instrument_standings(desk, "cppnm_a", date(2022, 4, 1))
    assert "BRA" in {s.code for s in later if s.standing is Standing.PARTY}


def test_party_counts_are_dated_snapshots_saying_what_they_count(desk):
    _, icsant = instrument_standings(desk, "icsant", date(2026, 12, 1))
    assert [(str(c.snapshot_date), c.parties, c.signatories) for c in icsant] == [
        ("2016-09-23", 106, None), ("2018-06-24", 113, 115), ("2021-02", 117, 115),
        ("2023-11-14", 124, 115), ("2025-05-16", 127, 115),
    ]  # fmt: skip
    assert {(c.includes_organisations, c.member_list_complete) for c in icsant} == {(False, False)}
    _, cppnm = instrument_standings(desk, "cppnm", date(2026, 12, 1))
    # 153 and 152 around April-May 2016: a conflict between sources, both kept as dated
    assert [(str(c.snapshot_date), c.parties) for c in cppnm] == [
        ("2015-10", 153), ("2016-03", 152), ("2016-04-01", 153), ("2016-05", 152),
        ("2018-10", 157), ("2022-03", 164),
    ]  # fmt: skip
    assert "Conflicts with 152" in cppnm[2].description
    _, amendment = instrument_standings(desk, "cppnm_a", date(2026, 12, 1))
    assert [c.parties for c in amendment] == [None, 92, 102, 129, 118, 137]
    assert [c.snapshot_date for c in amendment][-2:] == [None, None]  # undated pages last


def test_conflicting_sources_keep_both_values_visibly(desk):
    with desk.reading() as session:
        deposit = session.scalars(
            select(m.Milestone).where(
                m.Milestone.catalogue_key == "participation:icsant:JOR:deposit"
            )
        ).one()
        assert str(deposit.actual) == "2016-01-29"  # the depositary's (UNODA) date
        notes = session.execute(
            select(m.Citation.field, m.Citation.note).where(m.Citation.subject_uuid == deposit.uuid)
        ).all()
        assert [(f, "28 Feb 2016" in n) for f, n in notes] == [("actual", True)]
        reporting = session.scalars(
            select(m.GiftBasket).where(m.GiftBasket.code == "gb_2016_consolidated_reporting")
        ).one()
        assert str(reporting.issued_on) == "2016-04-01"
        assert "Sources differ on the date" in reporting.notes
        other = session.execute(
            select(m.Citation.note).where(
                m.Citation.subject_uuid == reporting.uuid, m.Citation.field == "issued_on"
            )
        ).scalar_one()
        assert "5 April 2016" in other
        amendment = session.scalars(
            select(m.Instrument).where(m.Instrument.code == "cppnm_a")
        ).one()
        assert "153 (White House) or 152" in amendment.entry_into_force_condition


def test_the_additions_of_the_addendum(desk):
    with desk.reading() as session:
        plans = session.scalars(
            select(m.Document).where(m.Document.kind == "action_plan").order_by(m.Document.id)
        ).all()
        assert len(plans) == 5
        assert {p.title.split(" in Support of ")[-1] for p in plans} == {
            "the United Nations",
            "the International Atomic Energy Agency",
            "INTERPOL",
            "the Global Initiative to Combat Nuclear Terrorism",
            "the Global Partnership Against the Spread of Weapons and Materials of Mass "
            "Destruction",
        }
        assert all(p.event.code == "nss2016" for p in plans)
        events = {e.code for e in session.scalars(select(m.Event))}
        assert {"ev_icons_2013", "ev_icons_2016", "ev_icons_2020", "ev_icons_2024"} <= events
        assert "ev_acppnm_cop_2022" in events
        deadlines = {
            d.catalogue_key: d
            for d in session.scalars(
                select(m.Deadline).where(m.Deadline.catalogue_key.is_not(None))
            )
        }
        four_years = deadlines["nss2010:secure_vulnerable_material"]
        assert four_years.document.title.startswith("Communique of the Washington")
        assert "secure all vulnerable nuclear material in four years" in four_years.notes
        due = {key: str(d.due) for key, d in deadlines.items()}
        assert due["nss2014:category_1_sources_secured"] == "2016"
        assert due["nss2012:european_isotopes_off_heu"] == "2015"
        assert due["nss2016:infcirc_912_first_report"] == "2017-05-01"
        assert due["nss2016:infcirc_912_yearly_report"] == "2018-03-01"
        assert due["unscr_2663:first_review"] == "2027-11"
        assert due["unscr_2663:mandate_ends"] == "2032-11-30"
        resolution = session.scalars(
            select(m.Instrument).where(m.Instrument.code == "unscr_2663")
        ).one()
        assert deadlines["unscr_2663:mandate_ends"].instrument_id == resolution.id
        heu = session.scalars(
            select(m.GiftBasket).where(m.GiftBasket.code == "gb_2016_heu_minimization")
        ).one()
        assert heu.document.citation == "INFCIRC/912"
        assert deadlines["nss2016:infcirc_912_first_report"].document_id == heu.document_id
        sources = session.scalars(
            select(m.GiftBasket).where(m.GiftBasket.code == "gb_2016_radioactive_sources")
        ).one()
        assert sources.title == (
            "Joint Statement on Strengthening the Security of High Activity Sealed "
            "Radioactive Sources"
        )
        assert sources.infcirc == "INFCIRC/910"
        transport = session.scalars(
            select(m.GiftBasket).where(m.GiftBasket.code == "gb_2016_transport_security")
        ).one()
        assert transport.infcirc == "INFCIRC/909"


def test_example_commitments_carry_the_corrections():
    examples = {(e["state"], e["summit"]): e for e in SHIPPED["example_commitments"]}
    assert examples[("VNM", "nss2012")]["completed_on"] == "2013-07-02"
    assert "22 Sep 2010" in examples[("ARM", "nss2010")]["outcome"]
    assert "Sources differ" in examples[("JOR", "nss2014")]["outcome"]


# -- merging a newer catalogue ---------------------------------------------------------


@pytest.fixture
def newer():
    data = copy.deepcopy(SHIPPED)
    data["version"] = "2027.01.1"
    rows = {r["key"]: r for r in data["participation"]}
    afg = rows["participation:icsant:AFG"]
    for ms in afg["milestones"]:
        if ms["kind"] == "signature":
            ms["actual"] = "2005-12-30"  # the catalogue corrects a date the user did not touch
    nld = rows["participation:icsant:NLD"]
    for ms in nld["milestones"]:
        if ms["key"].endswith(":deposit"):
            ms["actual"] = "2010-07-01"  # ... and one the user edited
    nld["notes"] = "A newer note."
    return Catalogue(data)


def milestone(session, key):
    return session.scalars(select(m.Milestone).where(m.Milestone.catalogue_key == key)).one()


def test_a_newer_catalogue_updates_participation_without_overwriting_the_users_edits(desk, newer):
    records = RecordService(desk)
    with desk.reading() as session:
        deposit = milestone(session, "participation:icsant:NLD:deposit")
        participation = deposit.participation.uuid
        deposit_uuid = deposit.uuid
    records.update("milestone", deposit_uuid, {"actual": "2010-06-29"})
    domestic = records.create(
        "milestone",
        {"participation": participation, "kind": "parliament_approval", "actual": "2009-11-12"},
    )
    report = apply_catalogue_update(desk, newer, Actor("tester", Channel.TYPED))
    with desk.reading() as session:
        assert str(milestone(session, "participation:icsant:AFG:signature").actual) == "2005-12-30"
        assert str(milestone(session, "participation:icsant:NLD:deposit").actual) == "2010-06-29"
        own = session.scalars(select(m.Milestone).where(m.Milestone.uuid == domestic.uuid)).one()
        assert (own.catalogue_key, str(own.actual)) == (None, "2009-11-12")  # the user's own
        nld = session.scalars(
            select(m.Participation).where(m.Participation.uuid == participation)
        ).one()
        assert nld.notes == "A newer note."
    assert [(k.field, k.desk_value) for k in report.kept_edits] == [("actual", "2010-06-29")]
    assert report.updated == {"participation": 1, "milestone": 1}


def test_a_participation_the_user_recorded_first_is_adopted_not_duplicated(tmp_path):
    """A desk made before the catalogue knew participation (the user typed their own
    ICSANT steps) gains the depositary's facts on its own rows, keeping what it typed."""
    data = copy.deepcopy(SHIPPED)
    data["participation"] = []
    from nsdesk.services.desk import open_desk
    from nsdesk.services.setup.new_desk import create_desk

    path, _ = create_desk(tmp_path / "old.nsdesk", state="NLD", catalogue=Catalogue(data))
    with open_desk(path) as desk:
        records = RecordService(desk)
        mine = records.create("participation", {"party": "NLD", "instrument": "icsant"})
        records.create(
            "milestone",
            {"participation": mine.uuid, "kind": "ratification", "actual": "2010-05-21"},
        )
        records.create(
            "milestone",
            {"participation": mine.uuid, "kind": "cabinet_approval", "actual": "2009-02-13"},
        )
        report = apply_catalogue_update(desk, Catalogue.shipped(), Actor("tester"))
        with desk.reading() as session:
            rows = session.scalars(
                select(m.Participation)
                .join(m.Instrument)
                .where(
                    m.Instrument.code == "icsant",
                    m.Participation.party_id == desk.info().own_state_id,
                )
            ).all()
            assert [r.uuid for r in rows] == [mine.uuid]
            steps = {ms.kind.value: ms for ms in rows[0].milestones}
            # the user's consent step became the catalogue's, with the user's values
            assert steps["ratification"].catalogue_key == "participation:icsant:NLD:consent"
            assert str(steps["ratification"].actual) == "2010-05-21"
            assert str(steps["signature"].actual) == "2005-09-16"  # the catalogue's, added
            assert steps["cabinet_approval"].catalogue_key is None
        assert report.adopted == {"participation": 1, "milestone": 1}
        assert ("kind", "ratification") in {(k.field, k.desk_value) for k in report.kept_edits}


def test_a_withdrawn_record_is_retired_unless_the_user_edited_it(tmp_path):
    data = copy.deepcopy(SHIPPED)
    data.pop("withdrawn")
    nss2016 = next(e for e in data["events"] if e["code"] == "nss2016")
    nss2016["documents"].append(
        {
            "key": "nss2016:action_plan",
            "kind": "action_plan",
            "title": "Action Plans in support of the UN, IAEA, INTERPOL, GICNT and the GP",
            "issued_on": "2016-04-01",
            "url": None,
            "confidence": "high",
            "sources": [],
        }
    )
    from nsdesk.services.desk import open_desk
    from nsdesk.services.setup.new_desk import create_desk

    for edited in (False, True):
        path, _ = create_desk(
            tmp_path / f"old{edited}.nsdesk", state="NLD", catalogue=Catalogue(data)
        )
        with open_desk(path) as desk:
            with desk.reading() as session:
                old = session.scalars(
                    select(m.Document).where(m.Document.catalogue_key == "nss2016:action_plan")
                ).one()
            if edited:
                RecordService(desk).update("document", old.uuid, {"title": "Our own title"})
            report = apply_catalogue_update(desk, Catalogue.shipped(), Actor("tester"))
            with desk.reading() as session:
                document = session.get(m.Document, old.id)
                assert (document.retired_at is not None) is not edited
                live = session.scalars(
                    select(m.Document.catalogue_key).where(
                        m.Document.kind == "action_plan", m.Document.retired_at.is_(None)
                    )
                ).all()
                assert len(live) == (6 if edited else 5)
            assert report.retired == ({} if edited else {"document": 1})


def test_each_participation_fact_keeps_its_source_confidence_and_as_of(desk):
    with desk.reading() as session:
        jordan = session.scalars(
            select(m.Participation).where(
                m.Participation.catalogue_key == "participation:icsant:JOR"
            )
        ).one()
        assert jordan.confidence is Confidence.MEDIUM
        assert jordan.as_of == PartialDate(2018, 6, 24)
        assert jordan.listed_standing is Standing.PARTY
        titles = session.scalars(
            select(m.Source.title).join(m.Citation).where(m.Citation.subject_uuid == jordan.uuid)
        ).all()
        assert any("UNODA" in t for t in titles)
        assert all(ms.confidence is Confidence.MEDIUM for ms in jordan.milestones)
        assert all(ms.sensitivity == "PUBLIC" for ms in jordan.milestones)
