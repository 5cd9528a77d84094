"""TOTP codes from a device's seed (RFC 6238: 30-second steps, 6 digits, SHA-1), as AWS takes them."""

from __future__ import annotations

import pyotp

from conformance.session.secrets import Secret

__all__ = ["TOTP_STEP", "totp_codes", "totp_pair"]

TOTP_STEP = 30  # seconds: RFC 6238's default time step, the one AWS virtual MFA devices use


def totp_codes(seed: Secret, now: float, *, correct: bool = True) -> dict[str, str]:
    """Two consecutive TOTP codes, as EnableMFADevice takes them.

    The first is the previous step's and the second the current one's, as recorded against AWS: a
    step boundary falling between this and the server's check still leaves a consecutive pair the
    server accepts. Wrong codes are the right ones with every digit shifted: well-formed, and matching
    no nearby step.
    """
    return totp_pair(seed, int(now // TOTP_STEP), correct=correct)


def totp_pair(seed: Secret, step: int, *, correct: bool = True) -> dict[str, str]:
    """The codes of steps ``step - 1`` and ``step`` (or those codes with every digit shifted)."""
    totp = pyotp.TOTP(seed.reveal().decode("ascii"), interval=TOTP_STEP)
    first, second = totp.at((step - 1) * TOTP_STEP), totp.at(step * TOTP_STEP)
    if not correct:
        first, second = (_shifted(code) for code in (first, second))
    return {"AuthenticationCode1": first, "AuthenticationCode2": second}


def _shifted(code: str) -> str:
    return "".join(str((int(digit) + 5) % 10) for digit in code)
