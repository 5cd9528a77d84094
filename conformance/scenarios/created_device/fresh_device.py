"""Checks on the state a CreateVirtualMFADevice answer gives the new device: not yet assigned to anyone.

``VirtualMFADevice`` (the data type) has ``User`` and ``EnableDate`` members, filled once a device is
enabled for a user. Real AWS's answer to a create carries neither (SPEC-NOTES, "Observed": "no
``User``, no ``EnableDate``"); the API reference does not say what a create returns beyond the data type,
so the rule rests on the observation and a miss is a DEVIATION.
"""

from __future__ import annotations

from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.created_device import CREATED
from conformance.session.devices import CreatedDevice
from reports.model import Evidence

__all__ = ["fresh_device_unassigned"]

_ASSIGNMENT_MEMBERS = frozenset({"User", "EnableDate"})


@check(
    id="vmfa.create.fresh-device-unassigned",
    operation="CreateVirtualMFADevice",
    scenario=CREATED,
    clause="CreateVirtualMFADevice: VirtualMFADevice.User, VirtualMFADevice.EnableDate",
    evidence=Evidence.OBSERVED,
)
def fresh_device_unassigned(device: CreatedDevice) -> Outcome:
    """A new device is unassigned: the answer carries no User and no EnableDate."""
    present = sorted(_ASSIGNMENT_MEMBERS & device.other_members)
    if not present:
        return Pass()
    return Miss("no User and no EnableDate (as observed on AWS)", f"the answer carries {', '.join(present)}")
