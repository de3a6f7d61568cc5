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
        participations = {
            p.instrument.code: p for p in session.scalars(select(m.Participation)).all()
        }
        amendment = participations["cppnm_a"]
        status = derive_participation_status(
            amendment.instrument.mechanism, amendment.milestone_facts(), DEMO_DAY
        )
        assert status.status is ParticipationStatus.IN_FORCE
        assert status.next_step.kind == "implementing_legislation"  # still in the pipeline
        assert any(ms.kind.is_domestic for ms in amendment.milestones)


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
