"""Authentication codes after the first enable: ResyncMFADevice with fresh and with wrong codes, and
EnableMFADevice offered a code that breaks the model.

A resync needs codes of a step later than the last accepted one. The enable used the previous and the
current step, so the resync sends the current and the next: an endpoint that tolerates a step of clock
drift (as AWS's TOTP checks do) takes them at once; one that does not gets the same pair again once the
next step has begun (at most one 30-second wait, and only for that endpoint). Few examples, each may
wait, and no shrinking: the device's name plays no part in a resync, and each replay could wait again.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from conformance.checks.authentication_codes import MalformedCode, Resync
from conformance.checks.registry import Check, checks_for
from conformance.observations import CreatedDevice, Rejection, refusal
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import TOTP_STEP, SuiteSession, totp_codes, totp_pair
from strategies.authentication_codes import MALFORMED_CODE_LABELS, malformed_codes
from strategies.names import virtual_mfa_device_names

_NAMES = virtual_mfa_device_names(serial_safe=True, max_length=24)
_FEW = min(suite_settings().max_examples, 2)
_NO_SHRINK = [phase for phase in suite_settings().phases if phase is not Phase.shrink]


def _resync(
    suite: SuiteSession, user: str, device: CreatedDevice, step: int
) -> tuple[Rejection | None, float]:
    """Resync with the codes of ``step - 1`` and ``step``; wait for ``step`` if they were refused early."""
    assert device.seed is not None and device.serial_number is not None
    params = {"UserName": user, "SerialNumber": device.serial_number, **totp_pair(device.seed, step)}
    answer = refusal(suite.invoke("resync_mfa_device", params)[1])
    waited = 0.0
    wait = step * TOTP_STEP - time.time()
    refused_early = answer is not None and answer.code == "InvalidAuthenticationCode" and wait > 0
    if refused_early and suite.resync_wait_helps is not False:
        time.sleep(wait + 0.5)  # the step has begun: the same (never accepted) pair is now current
        waited = wait + 0.5
        answer = refusal(suite.invoke("resync_mfa_device", params)[1])
        suite.resync_wait_helps = answer is None
    return answer, waited


@pytest.mark.parametrize("check", checks_for("resync"), ids=str)
@settings(suite_settings(), max_examples=_FEW, phases=_NO_SHRINK)
@given(name=_NAMES)
def test_resync(check: Check[Any], name: str, suite: SuiteSession, judge: Judge) -> None:
    params = {"VirtualMFADeviceName": f"{name}-{suite.unique_token()}"}
    with suite.user() as user, suite.create_device(params) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.seed is not None and device.serial_number
        enabled_step = int(time.time() // TOTP_STEP)
        enabled = refusal(suite.enable(user, device))
        call = suite.call("resync_mfa_device", {"UserName": user, "SerialNumber": device.serial_number})
        resynced, waited = _resync(suite, user, device, max(enabled_step + 1, int(time.time() // TOTP_STEP)))
        wrong_codes = totp_pair(device.seed, int(time.time() // TOTP_STEP), correct=False)
        wrong = suite.invoke("resync_mfa_device", {**call.params, **wrong_codes})[1]
        judge(check, Resync(call, enabled, resynced, waited, refusal(wrong)))


@pytest.mark.parametrize("label", sorted(MALFORMED_CODE_LABELS))
@pytest.mark.parametrize("check", checks_for("enable.malformed-codes"), ids=str)
@settings(suite_settings())
@given(name=_NAMES, data=st.data())
def test_malformed_code(
    check: Check[Any], label: str, name: str, data: st.DataObject, suite: SuiteSession, judge: Judge
) -> None:
    with contextlib.ExitStack() as stack:
        user = stack.enter_context(suite.user())
        device = stack.enter_context(
            suite.create_device({"VirtualMFADeviceName": f"{name}-{suite.unique_token()}"})
        )
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.seed is not None
        code = data.draw(malformed_codes(label), label="AuthenticationCode1")
        codes = {**totp_codes(device.seed, time.time()), "AuthenticationCode1": code}
        params = {"UserName": user, "SerialNumber": device.serial_number, **codes}
        call, answer = suite.invoke("enable_mfa_device", params, validated=False)
        judge(check, MalformedCode(call, MALFORMED_CODE_LABELS[label], refusal(answer)))
