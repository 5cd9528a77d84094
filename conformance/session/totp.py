"""TOTP codes from a device's seed (RFC 6238: 30-second steps, 6 digits, SHA-1), as AWS takes them.

A code is sent as a `TotpCode`: the text, and which step it is of and whether it was made wrong on
purpose, so that a reproduction computes it again from the seed (`conformance.session.reproduction`)
instead of showing it: a code is a secret for as long as it is valid.
"""

from __future__ import annotations

import time

import pyotp

from conformance.session.secrets import Secret

__all__ = ["TOTP_STEP", "WRONG_SHIFT", "TotpCode", "shifted", "totp_codes", "totp_pair"]

TOTP_STEP = 30  # seconds: RFC 6238's default time step, the one AWS virtual MFA devices use
WRONG_SHIFT = 5  # a wrong code is the right one with every digit shifted this far (mod 10)


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
    current = int(time.time() // TOTP_STEP)
    codes: dict[str, str] = {}
    for member, at in (("AuthenticationCode1", step - 1), ("AuthenticationCode2", step)):
        text = totp.at(at * TOTP_STEP)
        codes[member] = TotpCode(text if correct else shifted(text), at - current, not correct)
    return codes


def shifted(code: str) -> str:
    """``code`` with every digit shifted by `WRONG_SHIFT`: well-formed, and no nearby step's code."""
    return "".join(str((int(digit) + WRONG_SHIFT) % 10) for digit in code)
