"""The cryptography of changes files, on ``cryptography`` (Apache-2.0 or BSD-3-Clause):
a laptop's Ed25519 signing key and its fingerprint, signatures over a file's digest,
and the passphrase encryption (scrypt, then AES-256-GCM in chunks).

Where the private key is kept (the user's profile, owner-only) is the services'
business: this module turns keys into bytes and back, and never touches a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from nsdesk.exchange.changes.model import ScryptCost

__all__ = [
    "InvalidTag",
    "SigningKey",
    "chunk_opener",
    "chunk_sealer",
    "derive_key",
    "fingerprint",
    "normalise_fingerprint",
    "signature_valid",
]

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
SALT_BYTES = 16
_SIGNED_PREFIX = b"nsdesk-changes signature\x00"
_FINGERPRINT_BYTES = 16  # 128 bits: as hard to match as the key is to forge, short to read out
_FINGERPRINT = re.compile(r"^[0-9a-f]{32}$")


def fingerprint(public_key: bytes) -> str:
    """The fingerprint people compare to confirm a key: the first 128 bits of the
    SHA-256 of the raw public key, in eight groups of four hex digits
    (``3f9a-1c04-77b2-0e5d-9a1f-44c0-b7e2-118d``), short enough to read on the phone."""
    digits = hashlib.sha256(public_key).digest()[:_FINGERPRINT_BYTES].hex()
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_fingerprint(text: str) -> str | None:
    """``text`` as a fingerprint in its usual form, whatever its case, spaces, dashes or
    colons; ``None`` when it is not one."""
    digits = re.sub(r"[\s:\-]", "", text).lower()
    if not _FINGERPRINT.match(digits):
        return None
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


class SigningKey:
    """A laptop's Ed25519 key pair: it signs the files the laptop sends."""

    def __init__(self, private: Ed25519PrivateKey):
        self._private = private
        self.public_bytes: bytes = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        """The public key, 32 bytes, as a file carries it."""

    @classmethod
    def generate(cls) -> SigningKey:
        """A new key pair, from the system's random source."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes) -> SigningKey:
        """The key pair kept as ``data`` (PKCS #8 PEM, as :meth:`to_pem` writes it);
        ``ValueError`` when it is not an Ed25519 private key."""
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return cls(private)

    def to_pem(self) -> bytes:
        """The private key as PKCS #8 PEM, unencrypted: it is kept owner-only in the
        user's profile, as an SSH key is."""
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the public key (see :func:`fingerprint`)."""
        return fingerprint(self.public_bytes)

    def sign_digest(self, digest: bytes) -> bytes:
        """The signature of a file whose contents have SHA-256 ``digest``."""
        return self._private.sign(_SIGNED_PREFIX + digest)


def signature_valid(public_key: bytes, signature: bytes, digest: bytes) -> bool:
    """Whether ``signature`` is the signature by ``public_key`` of a file whose
    contents have SHA-256 ``digest``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, _SIGNED_PREFIX + digest)
    except (InvalidSignature, ValueError):
        return False
    return True


def derive_key(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    """The 256-bit key a passphrase gives with ``salt`` (scrypt). The passphrase is
    taken in Unicode normal form C, so the same words typed on two systems that
    compose accents differently give the same key."""
    normal = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p)
    return kdf.derive(normal)


def _nonce(counter: int, last: bool) -> bytes:
    # The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015): a counter and a
    # last-chunk flag in each nonce, so chunks cannot be dropped, reordered or cut off
    # unseen. The key is new for every file (a fresh salt), so the nonces never repeat.
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def chunk_sealer(key: bytes, associated: bytes) -> Callable[[bytes, bool], bytes]:
    """A function sealing the chunks of one file in order: ``seal(data, last)``."""
    aead = AESGCM(key)
    counter = 0

    def seal(data: bytes, last: bool) -> bytes:
        nonlocal counter
        sealed = aead.encrypt(_nonce(counter, last), data, associated)
        counter += 1
        return sealed

    return seal


def chunk_opener(key: bytes, associated: bytes) -> Callable[[bytes, bool], bytes]:
    """A function opening the chunks of one file in order: ``open_(data, last)``;
    raises :class:`InvalidTag` when the key (the passphrase) is not the one they were
    sealed with, or a chunk is out of place."""
    aead = AESGCM(key)
    counter = 0

    def open_(data: bytes, last: bool) -> bytes:
        nonlocal counter
        opened = aead.decrypt(_nonce(counter, last), data, associated)
        counter += 1
        return opened

    return open_
