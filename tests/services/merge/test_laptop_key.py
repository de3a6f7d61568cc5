"""This laptop's signing key: made once in the profile, owner-only, the same ever
after, and refused (never used) when others could read it or it is damaged."""

from __future__ import annotations

import os
import stat

import pytest

from nsdesk.domain.changes_errors import LaptopKeyError
from nsdesk.services.merge.laptop_key import key_path, laptop_key

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@posix_only
def test_the_key_is_made_once_in_the_profile_owner_only(nsdesk_home):
    first = laptop_key()
    path = key_path()
    assert path.is_relative_to(nsdesk_home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert b"BEGIN PRIVATE KEY" in path.read_bytes()
    assert laptop_key().fingerprint == first.fingerprint


@posix_only
def test_a_key_others_can_read_is_refused_and_not_replaced(nsdesk_home):
    laptop_key()
    path = key_path()
    before = path.read_bytes()
    path.chmod(0o644)
    with pytest.raises(LaptopKeyError, match=r"can be read by other users.*chmod 600"):
        laptop_key()
    assert path.read_bytes() == before


def test_a_damaged_key_is_refused_with_what_to_do(nsdesk_home):
    laptop_key()
    path = key_path()
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(LaptopKeyError, match=r"damaged.*Move it away"):
        laptop_key()


def test_two_profiles_are_two_laptops(tmp_path):
    assert laptop_key(tmp_path / "one").fingerprint != laptop_key(tmp_path / "two").fingerprint
