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

import dataclasses
import time
from dataclasses import dataclass

from conformance.judging.error_tables import refused_with, unsupported
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip, Unsupported
from conformance.judging.registry import check
from conformance.scenarios.assignment.checks import needs_enabled
from conformance.scenarios.created_device.seed import codes_computed
from conformance.scenarios.probe_world import ProbeWorld, probe_world
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from conformance.session.totp import TOTP_STEP, seed_usable, totp_codes, totp_pair
from reports.model import Evidence
from strategies.names import virtual_mfa_device_names

__all__ = [
    "MALFORMED",
    "NAMES",
    "RESYNC",
    "MalformedCode",
    "Resync",
    "gather_malformed",
    "gather_resync",
    "malformed_code_refused",
    "resync_valid_codes",
    "resync_wrong_codes",
]

RESYNC = "resync"
MALFORMED = "enable.malformed-codes"
NAMES = virtual_mfa_device_names(serial_safe=True, max_length=24)

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
    codes_computed: bool = True  # False: the seed is not base32; no resync with right codes was sent
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


@dataclass(frozen=True)
class MalformedCode:
    """EnableMFADevice with one code that breaks the model (``case``), the other one right."""

    call: ApiCall
    case: str
    answer: Rejection | None
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


def _resync(
    suite: SuiteSession, user: str, device: CreatedDevice, step: int
) -> tuple[Rejection | None, float]:
    """Resync with the codes of ``step - 1`` and ``step``; wait for ``step`` if they were refused early."""
    assert device.seed is not None and device.serial_number is not None
    params = {"UserName": user, "SerialNumber": device.serial_number, **totp_pair(device.seed, step)}
    answer = suite.send("resync_mfa_device", params).rejection
    waited = 0.0
    wait = step * TOTP_STEP - time.time()
    refused_early = answer is not None and answer.code == "InvalidAuthenticationCode" and wait > 0
    if refused_early and suite.resync_wait_helps is not False:
        time.sleep(wait + 0.5)  # the step has begun: the same (never accepted) pair is now current
        waited = wait + 0.5
        answer = suite.send("resync_mfa_device", params).rejection
        suite.resync_wait_helps = answer is None
    return answer, waited


@recorded
def gather_resync(suite: SuiteSession, name: str) -> Resync | None:
    """A user and a device, enabled; a resync with fresh codes, then one with wrong codes. None when
    the valid create was refused (judged elsewhere).

    A resync needs codes of a step later than the last accepted one. The enable used the previous and
    the current step, so the resync sends the current and the next: an endpoint that tolerates a step
    of clock drift (as AWS's TOTP checks do) takes them at once; one that does not gets the same pair
    again once the next step has begun (at most one 30-second wait, and only for that endpoint).
    """
    params = {"VirtualMFADeviceName": f"{name}-{suite.unique_token()}"}
    # The device first, so that the user is released first (its device deactivated), then the device:
    # released the other way, the device is still assigned, its delete refused, and it stays on the
    # endpoint until the final sweep, in every later walk of the account.
    with suite.create_device(params) as device, suite.user() as user:
        if not (isinstance(device, CreatedDevice) and device.serial_number and device.seed):
            return None
        enabled_step = int(time.time() // TOTP_STEP)
        enabled = suite.enable(user, device).rejection
        call = suite.call("resync_mfa_device", {"UserName": user, "SerialNumber": device.serial_number})
        computed = seed_usable(device.seed)
        resynced, waited = (
            _resync(suite, user, device, max(enabled_step + 1, int(time.time() // TOTP_STEP)))
            if computed
            else (None, 0.0)
        )
        wrong_codes = totp_pair(device.seed, int(time.time() // TOTP_STEP), correct=False)
        wrong = suite.send("resync_mfa_device", {**call.params, **wrong_codes}).rejection
        return Resync(call, enabled, resynced, waited, wrong, computed)


def gather_malformed(suite: SuiteSession, name: str, code: str, case: str) -> MalformedCode | None:
    """A user and a device (shared by these probes on the aws profile while nothing changed them:
    `conformance.scenarios.probe_world`); EnableMFADevice with ``code`` as the first code and a right
    second one. None when the valid create was refused (judged elsewhere)."""
    with probe_world(suite, MALFORMED, name) as world:
        if world is None or not world.device.seed:
            return None
        seen = _enable_malformed(suite, world, code, case)
        world.after(suite, seen.answer)  # an enable that went through leaves the device assigned
    return dataclasses.replace(seen, calls=world.story(suite, seen.calls))


@recorded
def _enable_malformed(suite: SuiteSession, world: ProbeWorld, code: str, case: str) -> MalformedCode:
    assert world.device.seed is not None
    codes = {**totp_codes(world.device.seed, time.time()), "AuthenticationCode1": code}
    params = {"UserName": world.user, "SerialNumber": world.serial, **codes}
    reply = suite.send("enable_mfa_device", params, validated=False)
    return MalformedCode(reply.call, case, reply.rejection)


def _enabled(seen: Resync) -> Skip | Unsupported | None:
    """Requirement: the device was enabled before the resync."""
    return needs_enabled(seen.enabled, seen.codes_computed)


@check(
    id="vmfa.resync.valid-codes",
    operation=_RESYNC,
    scenario=RESYNC,
    clause="ResyncMFADevice: AuthenticationCode1, AuthenticationCode2",
    evidence=Evidence.DOCUMENTED,
    requires=[codes_computed, _enabled],
)
def resync_valid_codes(seen: Resync) -> Outcome:
    """Two consecutive codes of steps after the enable's resynchronise the device."""
    if seen.resynced is None:
        return Pass()
    return unsupported(_RESYNC, seen.resynced) or Miss(
        "HTTP 200: the device resynchronised", seen.resynced.describe()
    )


@check(
    id="vmfa.resync.wrong-codes",
    operation=_RESYNC,
    scenario=RESYNC,
    clause="ResyncMFADevice: Errors",
    evidence=Evidence.MODEL,
    requires=[_enabled],
)
def resync_wrong_codes(seen: Resync) -> Outcome:
    """Well-formed but wrong codes are refused with InvalidAuthenticationCode."""
    return refused_with(_RESYNC, seen.wrong, _WRONG, "wrong codes")


@check(
    id="vmfa.enable.malformed-codes",
    operation="EnableMFADevice",
    scenario=MALFORMED,
    clause="EnableMFADevice: AuthenticationCode1 length, pattern",
    evidence=Evidence.MODEL,
)
def malformed_code_refused(seen: MalformedCode) -> Outcome:
    """A code that breaks the model's length or pattern is refused with a 400, not judged as wrong."""
    if seen.answer is not None and seen.answer.status == 400:
        return Pass()
    received = "HTTP 200: the device enabled" if seen.answer is None else seen.answer.describe()
    return Miss(f"HTTP 400: {seen.case}", received)
