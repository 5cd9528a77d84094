"""TOTP codes as the suite computes them (RFC 6238 over RFC 4226), and what it sends for a seed it
cannot use (MiniStack's hex seed): codes wrong for any seed, and a word saying so."""

from __future__ import annotations

import base64

import pytest

from conformance.session.secrets import Secret
from conformance.session.totp import UNCOMPUTED, seed_usable, totp_codes, totp_pair

# RFC 6238 appendix B: the SHA-1 secret "12345678901234567890"; at T = 59 s the 8-digit code is
# 94287082, so the 6-digit one is 287082 (the same truncated value, modulo 10^6).
RFC_SEED = Secret(base64.b32encode(b"12345678901234567890"))


def test_the_codes_are_rfc_6238s() -> None:
    assert totp_codes(RFC_SEED, 59)["AuthenticationCode2"] == "287082"
    assert totp_pair(RFC_SEED, 1) == totp_codes(RFC_SEED, 59)


def test_wrong_codes_are_the_right_ones_shifted() -> None:
    right, wrong = totp_pair(RFC_SEED, 1), totp_pair(RFC_SEED, 1, correct=False)
    assert wrong["AuthenticationCode2"] == "732537"
    assert all(a != b for key in right for a, b in zip(right[key], wrong[key], strict=True))


@pytest.mark.parametrize(
    "seed",
    [b"8F3A0C9D1E2B4C5D6E7F8091A2B3C4D5", b"\x89PNG", b"", b"AB=C"],
    ids=["hex", "binary", "empty", "bad-padding"],
)
def test_a_seed_that_is_not_base32_gives_no_code(seed: bytes) -> None:
    assert not seed_usable(Secret(seed))
    assert totp_codes(Secret(seed), 59) == totp_codes(Secret(seed), 59, correct=False) == UNCOMPUTED


def test_a_seed_is_read_as_authenticator_apps_read_it() -> None:
    text = base64.b32encode(b"12345678901234567890").decode()
    lower_unpadded = Secret(text.lower().rstrip("=").encode())
    assert seed_usable(lower_unpadded)
    assert totp_codes(lower_unpadded, 59) == totp_codes(RFC_SEED, 59)
    assert not seed_usable(None)
