"""Secrets never leave memory: every printable form of a `Secret` is redacted, and scrub() catches
the spellings a secret could take in text (raw, base64, decoded hex)."""

from __future__ import annotations

import base64
import pickle

import pytest

from conformance.session.secrets import Secret, describe_secret, forget_secrets, scrub

SEED = b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_secret_reprs_are_redacted() -> None:
    secret = Secret(SEED)
    for text in (repr(secret), str(secret), f"{secret}", f"{[secret]}"):
        assert SEED.decode() not in text
        assert "64 bytes" in text and "base32 alphabet" in text


def test_secret_refuses_pickling() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(SEED))


def test_description_tells_values_apart_without_showing_them() -> None:
    other = SEED[:-1] + b"A"
    assert describe_secret(SEED) != describe_secret(other)
    assert describe_secret(b"\x89PNG\r\n\x1a\nrest").count("PNG signature") == 1
    assert "binary" in describe_secret(bytes(range(200, 256)))


@pytest.mark.parametrize(
    "spelling",
    [SEED.decode(), base64.b64encode(SEED).decode(), base64.b32decode(SEED).hex()],
    ids=["raw", "base64", "decoded-hex"],
)
def test_scrub_replaces_every_spelling_of_a_seen_secret(spelling: str) -> None:
    Secret(SEED)
    scrubbed = scrub(f"message with {spelling} inside")
    assert spelling not in scrubbed
    assert "<redacted: 64 bytes" in scrubbed


def test_forget_secrets_empties_the_memory() -> None:
    Secret(SEED)
    forget_secrets()
    assert scrub(SEED.decode()) == SEED.decode()
