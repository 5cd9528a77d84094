"""TOTP codes from a device's seed (RFC 6238: 30-second steps, 6 digits, SHA-1), as AWS takes them.

A code is sent as a `TotpCode`: the text, and which step it is of and whether it was made wrong on
purpose, so that a reproduction computes it again from the seed (`conformance.session.reproduction`)
instead of showing it: a code is a secret for as long as it is valid.

A seed that is not base32 (MiniStack 1.5.33 hands out hex text) yields no code at all: `seed_usable`
says so, and the codes sent instead are `UNCOMPUTED`, two well-formed codes that are wrong for any seed
one can hope for (zeros in two consecutive steps: one chance in 10^12). They are plain text, not
`TotpCode`s: no seed gives them, so a reproduction sends them as they were (they are no secret). A check
that needs right codes then cannot judge (the scenarios make it SKIP, naming ``vmfa.create.seed.base32``);
one that needs wrong or malformed codes, or names a user or device that does not exist, judges as always.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

from conformance.session.secrets import Secret

__all__ = [
    "TOTP_STEP",
    "UNCOMPUTED",
    "WRONG_SHIFT",
    "TotpCode",
    "seed_usable",
    "shifted",
    "totp_codes",
    "totp_pair",
]

TOTP_STEP = 30  # seconds: RFC 6238's default time step, the one AWS virtual MFA devices use
WRONG_SHIFT = 5  # a wrong code is the right one with every digit shifted this far (mod 10)
UNCOMPUTED = {"AuthenticationCode1": "000000", "AuthenticationCode2": "000000"}


class TotpCode(str):
    """A code as sent; ``step`` is its time step counted from the one it was sent in (-1: the previous
    step), ``wrong`` says the digits were shifted (`shifted`). Its repr never shows the digits."""

    step: int
    wrong: bool

    def __new__(cls, text: str, step: int, wrong: bool) -> TotpCode:
        code = super().__new__(cls, text)
        code.step, code.wrong = step, wrong
        return code

    def __repr__(self) -> str:
        return f"<TOTP code, step {self.step:+d}{', wrong' if self.wrong else ''}>"


def seed_usable(seed: Secret | None) -> bool:
    """Whether TOTP codes can be computed from ``seed`` (base32, as a phone's authenticator reads it)."""
    return _secret(seed) is not None


def _secret(seed: Secret | None) -> bytes | None:
    """The seed's bytes, read as authenticator apps read it: base32, any case, padding optional."""
    if seed is None:
        return None
    try:
        text = seed.reveal().decode("ascii").rstrip("=")
        secret = base64.b32decode(text + "=" * (-len(text) % 8), casefold=True)
    except (UnicodeDecodeError, binascii.Error, ValueError):
        return None
    return secret or None


def totp_codes(seed: Secret | None, now: float, *, correct: bool = True) -> dict[str, str]:
    """Two consecutive TOTP codes, as EnableMFADevice takes them (`UNCOMPUTED` for an unusable seed).

    The first is the previous step's and the second the current one's, as recorded against AWS: a
    step boundary falling between this and the server's check still leaves a consecutive pair the
    server accepts. Wrong codes are the right ones with every digit shifted: well-formed, and matching
    no nearby step.
    """
    return totp_pair(seed, int(now // TOTP_STEP), correct=correct)


def totp_pair(seed: Secret | None, step: int, *, correct: bool = True) -> dict[str, str]:
    """The codes of steps ``step - 1`` and ``step`` (or those codes with every digit shifted), each a
    `TotpCode`; `UNCOMPUTED` when the seed is not usable (`seed_usable`)."""
    secret = _secret(seed)
    if secret is None:
        return dict(UNCOMPUTED)
    current = int(time.time() // TOTP_STEP)
    codes: dict[str, str] = {}
    for member, at in (("AuthenticationCode1", step - 1), ("AuthenticationCode2", step)):
        text = _hotp(secret, at)
        codes[member] = TotpCode(text if correct else shifted(text), at - current, not correct)
    return codes


def _hotp(secret: bytes, counter: int) -> str:
    """RFC 4226 section 5.3: HMAC-SHA-1 of the counter, dynamically truncated, six digits (TOTP, RFC
    6238, is HOTP of the number of 30-second steps since the epoch)."""
    digest = hmac.new(secret, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def shifted(code: str) -> str:
    """``code`` with every digit shifted by `WRONG_SHIFT`: well-formed, and no nearby step's code."""
    return "".join(str((int(digit) + WRONG_SHIFT) % 10) for digit in code)
