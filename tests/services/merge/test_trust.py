"""Trust on first contact, kept in the desk: trusted, revoked for good, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nsdesk.domain.changes_errors import KeyTrustError
from nsdesk.exchange.changes import KeyState, SigningKey
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.merge.trust import key_status, revoke_key, trust_key, trusted_keys
from nsdesk.store import tables as t

ANNA = SigningKey.generate().fingerprint
BOB = SigningKey.generate().fingerprint


def test_a_key_is_unknown_until_trusted_and_then_trusted_by_whom(desk):
    assert key_status(desk, ANNA).state is KeyState.UNKNOWN
    trusted = trust_key(
        desk, ANNA.upper().replace("-", " "), label="Anna's laptop", actor=Actor("chef@desk-1")
    )
    assert trusted.fingerprint == ANNA
    status = key_status(desk, ANNA)
    assert status.state is KeyState.TRUSTED
    assert "by chef@desk-1" in status.said
    assert [k.label for k in trusted_keys(desk)] == ["Anna's laptop"]


def test_trust_and_revocation_are_in_the_history(desk):
    trust_key(desk, ANNA, label="Anna's laptop", actor=Actor("chef@desk-1"))
    revoke_key(desk, ANNA, actor=Actor("chef@desk-1"))
    with desk.connect() as connection:
        entries = connection.execute(
            select(t.audit_entry.c.action, t.audit_entry.c.field, t.audit_entry.c.actor)
            .where(t.audit_entry.c.record_table == "changes_trust")
            .order_by(t.audit_entry.c.id)
        ).all()
    assert [(e.action.value, e.field) for e in entries][:1] == [("create", None)]
    assert ("update", "revoked_at") in [(e.action.value, e.field) for e in entries]
    assert {e.actor for e in entries} == {"chef@desk-1"}


def test_a_revoked_key_stays_revoked(desk):
    trust_key(desk, ANNA)
    revoked = revoke_key(desk, ANNA)
    assert revoked.state is KeyState.REVOKED
    with pytest.raises(KeyTrustError, match=r"revoked in this desk .* cannot be trusted again"):
        trust_key(desk, ANNA)
    assert key_status(desk, ANNA).state is KeyState.REVOKED


def test_a_key_can_be_revoked_before_anything_came_from_it(desk):
    revoke_key(desk, BOB)
    assert key_status(desk, BOB).state is KeyState.REVOKED
    assert trusted_keys(desk)[0].describe().startswith("revoked ")


def test_trust_is_kept_in_the_desk_for_everyone_who_opens_it(
    new_desk_location, tmp_path, monkeypatch
):
    with open_desk(new_desk_location) as desk:
        trust_key(desk, ANNA)
    monkeypatch.setenv("NSDESK_HOME", str(tmp_path / "another-officer"))
    with open_desk(new_desk_location, read_only=True) as desk:
        assert key_status(desk, ANNA).state is KeyState.TRUSTED


def test_what_is_not_a_fingerprint_is_refused_saying_what_one_is(desk):
    with pytest.raises(KeyTrustError, match="32 hex digits"):
        trust_key(desk, "3f9a-1c04")
    assert trusted_keys(desk) == []
