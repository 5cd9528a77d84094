"""Checks on authentication codes beyond the first enable: ResyncMFADevice, and malformed codes.

What the rules rest on:

- ResyncMFADevice "synchronizes the specified MFA device with its IAM resource object on the Amazon Web
  Services servers" with two consecutive codes (documented); the suite sends codes of steps later than
  the ones the enable used, never a pair that was accepted before, and waits for a fresh 30-second step
  only when the endpoint refused codes of the step still to come.
- Wrong codes are the modeled ``InvalidAuthenticationCode`` (403) for ResyncMFADevice as for
  EnableMFADevice (model).
- A code that breaks the model's length or pattern is refused before it is compared: a 400 (model),
  not the 403 of a wrong code.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.checks.assignment import needs_enabled
from conformance.checks.registry import Miss, Outcome, Pass, check
from conformance.error_tables import refused_with, unsupported
from conformance.observations import ApiCall, Rejection
from reports.model import Evidence

__all__ = ["MalformedCode", "Resync", "malformed_code_refused", "resync_valid_codes", "resync_wrong_codes"]

_RESYNC = "ResyncMFADevice"
_WRONG = "InvalidAuthenticationCode"


@dataclass(frozen=True)
class Resync:
    """A device enabled for a user, then resynchronised with fresh codes, then offered wrong ones."""

    call: ApiCall  # the resync with fresh codes
    enabled: Rejection | None
    resynced: Rejection | None  # None: accepted
    waited_s: float  # how long the suite waited for a fresh step before the accepted resync
    wrong: Rejection | None  # ResyncMFADevice with wrong codes


@dataclass(frozen=True)
class MalformedCode:
    """EnableMFADevice with one code that breaks the model (``case``), the other one right."""

    call: ApiCall
    case: str
    answer: Rejection | None


@check(
    id="vmfa.resync.valid-codes",
    operation=_RESYNC,
    scenario="resync",
    clause="ResyncMFADevice: AuthenticationCode1, AuthenticationCode2",
    evidence=Evidence.DOCUMENTED,
)
def resync_valid_codes(probe: Resync) -> Outcome:
    """Two consecutive codes of steps after the enable's resynchronise the device."""
    skipped = needs_enabled(probe.enabled)
    if skipped:
        return skipped
    if probe.resynced is None:
        return Pass()
    return unsupported(_RESYNC, probe.resynced) or Miss(
        "HTTP 200: the device resynchronised", probe.resynced.describe()
    )


@check(
    id="vmfa.resync.wrong-codes",
    operation=_RESYNC,
    scenario="resync",
    clause="ResyncMFADevice: Errors",
    evidence=Evidence.MODEL,
)
def resync_wrong_codes(probe: Resync) -> Outcome:
    """Well-formed but wrong codes are refused with InvalidAuthenticationCode."""
    return needs_enabled(probe.enabled) or refused_with(_RESYNC, probe.wrong, _WRONG, "wrong codes")


@check(
    id="vmfa.enable.malformed-codes",
    operation="EnableMFADevice",
    scenario="enable.malformed-codes",
    clause="EnableMFADevice: AuthenticationCode1 length, pattern",
    evidence=Evidence.MODEL,
)
def malformed_code_refused(probe: MalformedCode) -> Outcome:
    """A code that breaks the model's length or pattern is refused with a 400, not judged as wrong."""
    if probe.answer is not None and probe.answer.status == 400:
        return Pass()
    received = "HTTP 200: the device enabled" if probe.answer is None else probe.answer.describe()
    return Miss(f"HTTP 400: {probe.case}", received)
