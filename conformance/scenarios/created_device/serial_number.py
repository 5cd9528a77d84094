"""Checks on ``SerialNumber``: a virtual device's ARN, ``arn:<partition>:iam::<account>:mfa<path><name>``.

The format is documented with the IAM identifiers (ARNs of virtual MFA devices include the path) and
was observed on real AWS for default and nested paths (SPEC-NOTES). The account comes from STS
GetCallerIdentity; an endpoint without STS is held to "some 12-digit account".
"""

from __future__ import annotations

import re

from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.created_device import CREATED
from conformance.session.devices import CreatedDevice
from reports.model import Evidence

__all__ = ["serial_is_device_arn"]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADevice.SerialNumber"
_ACCOUNT_ID = r"[0-9]{12}"  # an AWS account ID is 12 digits (IAM identifiers, "ARN" format)


def expected_serial(device: CreatedDevice) -> str:
    account = device.identity.account_id or "<12-digit account>"
    return f"arn:{device.identity.partition}:iam::{account}:mfa{device.path}{device.name}"


@check(
    id="vmfa.create.serial.arn",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def serial_is_device_arn(device: CreatedDevice) -> Outcome:
    """SerialNumber is arn:<partition>:iam::<account>:mfa<path><name>."""
    received = device.serial_number
    if received is None:
        return Miss(expected_serial(device), "no SerialNumber in the response")
    account = re.escape(device.identity.account_id) if device.identity.account_id else _ACCOUNT_ID
    pattern = (
        f"arn:{re.escape(device.identity.partition)}:iam::{account}:mfa{re.escape(device.path + device.name)}"
    )
    if re.fullmatch(pattern, received):
        return Pass()
    return Miss(expected_serial(device), received)
