"""The demo desk: realistic, reproducible, and labelled DEMO."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from nsdesk.domain.enums import (
    Channel,
    CommitmentStatus,
    GiftBasketRole,
    ParticipationStatus,
)
from nsdesk.services.desk import open_desk
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.setup.demo import create_demo_desk
from nsdesk.store import models as m
from tests.conftest import DEMO_DAY


def test_the_demo_desk_is_labelled_demo(demo_desk):
    info = demo_desk.info()
    assert info.is_demo
    assert "DEMO" in info.delegation
    assert info.own_state_code == "NLD"


def test_some_sixty_commitments_across_the_themes_with_histories_over_the_years(demo_desk):
    with demo_desk.reading() as session:
        commitments = session.scalars(select(m.Commitment)).all()
        assert len(commitments) == 60
        themes = {t.code for c in commitments for t in c.themes}
        assert len(themes) >= 20
        history = session.execute(
            select(
                func.min(m.StatusEntry.entry_date), func.max(m.StatusEntry.entry_date), func.count()
            )
        ).one()
        assert history[0].year == 2010
        assert history[1].year == 2026
        assert history[2] >= 400
        assert {e.channel for c in commitments for e in c.history} == {Channel.DEMO}
        statuses = Counter(c.status for c in commitments)
        assert statuses[CommitmentStatus.COMPLETED] > 10
        assert len(statuses) >= 6


def test_some_items_are_late_and_some_at_risk_on_the_day_it_was_made(demo_desk):
    dashboard = load_dashboard(demo_desk, as_of=DEMO_DAY)
    assert dashboard.late.total > 0
    assert dashboard.at_risk.total > 0


def test_the_one_real_commitment_carries_its_public_source(demo_desk):
    with demo_desk.reading() as session:
        real = session.scalars(select(m.Commitment).where(m.Commitment.ref == "C-0001")).one()
        assert real.sensitivity == "PUBLIC"
        assert real.status is CommitmentStatus.COMPLETED
        sources = session.scalars(
            select(m.Source).join(m.Citation).where(m.Citation.subject_uuid == real.uuid)
        ).all()
        assert any("nuclearforensics.eu" in (s.url or "") for s in sources)


def test_roles_in_real_joint_statements_come_from_the_catalogue_lists(demo_desk):
    with demo_desk.reading() as session:
        roles = dict(session.execute(select(m.GiftBasket.code, m.GiftBasket.own_role)).all())
    assert roles["gb_2014_strengthening_implementation"] is GiftBasketRole.LEAD
    assert roles["gb_2012_nssc"] is GiftBasketRole.SIGNATORY
    assert roles["gb_2012_us_uk_fr"] is GiftBasketRole.NONE


def test_participation_in_real_instruments_with_domestic_pipeline(demo_desk):
    from nsdesk.domain.participation import derive_participation_status

    with demo_desk.reading() as session:
        own = demo_desk.info().own_state_id
        participations = {
            p.instrument.code: p
            for p in session.scalars(select(m.Participation).where(m.Participation.party_id == own))
        }
        amendment = participations["cppnm_a"]
        status = derive_participation_status(
            amendment.instrument.mechanism, amendment.milestone_facts(), DEMO_DAY
        )
        assert status.status is ParticipationStatus.IN_FORCE
        assert status.next_step.kind == "implementing_legislation"  # still in the pipeline
        assert any(ms.kind.is_domestic for ms in amendment.milestones)


def test_the_depositary_facts_are_the_catalogues_and_the_pipeline_is_the_demos(demo_desk):
    """The Netherlands' acts under ICSANT are the depositary's (catalogue keys, real
    dates); the demo adds only its domestic steps, and no step of its own contradicts
    them."""
    with demo_desk.reading() as session:
        own = demo_desk.info().own_state_id
        icsant = session.scalars(
            select(m.Participation)
            .join(m.Instrument)
            .where(m.Participation.party_id == own, m.Instrument.code == "icsant")
        ).one()
        assert icsant.catalogue_key == "participation:icsant:NLD"
        acts = {ms.kind.value: str(ms.actual) for ms in icsant.milestones if ms.catalogue_key}
        assert acts == {
            "signature": "2005-09-16",
            "acceptance": "2010-06-30",
            "deposit": "2010-06-30",
        }
        own_steps = [ms for ms in icsant.milestones if ms.catalogue_key is None]
        assert own_steps
        assert all(ms.kind.is_domestic for ms in own_steps)
        approval = next(ms for ms in own_steps if ms.kind == "parliament_approval")
        assert str(approval.actual) == "2009-11-12"  # real, and says where it comes from
        assert approval.notes.startswith("Real:")
        assert all("Illustrative" in ms.notes for ms in own_steps if ms is not approval)
        # a participation the demo invents says its dates are illustrative
        cns = session.scalars(
            select(m.Participation)
            .join(m.Instrument)
            .where(m.Participation.party_id == own, m.Instrument.code == "cns")
        ).one()
        assert "illustrative" in cns.notes


def test_the_netherlands_has_its_real_roles_in_the_2016_statements(demo_desk):
    with demo_desk.reading() as session:
        roles = dict(session.execute(select(m.GiftBasket.code, m.GiftBasket.own_role)).all())
    for code in (
        "gb_2016_insider_threats",
        "gb_2016_counter_smuggling",
        "gb_2016_heu_minimization",  # INFCIRC/912
        "gb_2016_nssc_coe",  # training and support centres
    ):
        assert roles[code] is GiftBasketRole.SIGNATORY, code
    assert roles["gb_2016_consolidated_reporting"] is GiftBasketRole.LEAD
    assert roles["gb_2014_forensics"] is GiftBasketRole.LEAD


def test_real_facts_are_not_tagged_illustrative_and_invented_ones_are(demo_desk):
    from nsdesk.services.setup.demo.content import ILLUSTRATIVE

    with demo_desk.reading() as session:
        reporting = session.scalars(select(m.Commitment).where(m.Commitment.ref == "C-0047")).one()
        assert reporting.notes == "Real public commitment; see its sources."
        assert reporting.status is CommitmentStatus.COMPLETED
        assert [b.code for b in reporting.gift_baskets] == ["gb_2016_consolidated_reporting"]
        sources = session.scalars(
            select(m.Source).join(m.Citation).where(m.Citation.subject_uuid == reporting.uuid)
        ).all()
        assert any("Consolidated Reporting" in s.title for s in sources)
        assert not reporting.targets  # its sources set none: none is invented
        agencies = session.scalars(select(m.Agency)).all()
        assert agencies
        assert all(a.notes == ILLUSTRATIVE for a in agencies)
        invented = session.scalars(select(m.Commitment).where(m.Commitment.ref == "C-0002")).one()
        assert invented.notes == ILLUSTRATIVE


def test_nothing_invented_contradicts_the_catalogue(demo_desk):
    with demo_desk.reading() as session:

        def commitment(ref):
            return session.scalars(select(m.Commitment).where(m.Commitment.ref == ref)).one()

        # INFCIRC/225/Rev.5 appeared in January 2011: a 2010 pledge cannot name it
        rev4 = commitment("C-0010")
        assert "Rev.5" not in rev4.title
        for c in session.scalars(select(m.Commitment)):
            for instrument in c.instruments:
                if instrument.adopted and c.pledged_on:
                    assert instrument.adopted.earliest() <= c.pledged_on.latest(), (
                        c.ref,
                        instrument.code,
                    )
        # C-0053 reports under INFCIRC/912, the 2016 HEU statement
        assert [b.code for b in commitment("C-0053").gift_baskets] == ["gb_2016_heu_minimization"]
        # The Netherlands led the 2014 implementation statement: it does not "subscribe"
        led = commitment("C-0031")
        assert "Subscribe" not in led.title
        assert [b.code for b in led.gift_baskets] == ["gb_2014_strengthening_implementation"]


def test_a_baseline_as_reported_in_2014(demo_desk):
    with demo_desk.reading() as session:
        baseline = session.scalars(select(m.Baseline)).one()
        assert baseline.name == "As reported at The Hague 2014"
        assert baseline.as_of == date(2014, 3, 24)
        refs = {i.record_ref for i in baseline.items if i.record_table == "commitment"}
        # pledged in 2010 and 2012 only: the 2014 and 2016 pledges came later
        assert len(refs) == 30


def test_the_same_seed_on_the_same_day_gives_the_same_desk(tmp_path):
    def content(seed):
        path, _ = create_demo_desk(
            tmp_path / f"d{seed}-{len(list(tmp_path.iterdir()))}.nsdesk", seed=seed, today=DEMO_DAY
        )
        with open_desk(path) as desk, desk.reading() as session:
            return [
                (c.ref, c.title, c.status, c.sensitivity)
                for c in session.scalars(select(m.Commitment).order_by(m.Commitment.id))
            ]

    assert content(7) == content(7)
    assert content(7) != content(8)


@pytest.mark.slow
def test_scale_multiplies_the_register(tmp_path):
    path, _ = create_demo_desk(tmp_path / "big.nsdesk", scale=3, today=DEMO_DAY)
    with open_desk(path) as desk, desk.reading() as session:
        assert session.scalar(select(func.count()).select_from(m.Commitment)) == 180
        refs = session.scalars(select(m.Commitment.ref).order_by(m.Commitment.id)).all()
        assert refs[-1] == "C-0180"
        assert len(set(refs)) == 180
        # new records continue the series
    from nsdesk.services.records.record_service import RecordService

    with open_desk(path) as desk:
        assert RecordService(desk).create("commitment", {"title": "Next"}).key == "C-0181"
