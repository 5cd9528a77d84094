"""Where the spec contradicts itself: a valid Path that makes a SerialNumber the model forbids.

A Path may hold any of ``!``..``~`` and be 512 characters long, but the device's SerialNumber,
``arn:...:mfa`` + path + name, must match ``[\\w+=/:,.@-]+`` and be at most 256 characters (SPEC-NOTES,
"Known contradictions"). No answer is wrong here, so the suite records what the endpoint does: refuses
the create, or creates a device, and whether that device can be deleted again (DeleteVirtualMFADevice
takes the SerialNumber, and a conformant endpoint validates it against the same pattern).
"""

from __future__ import annotations

from conformance.checks.registry import Info, Outcome, check
from conformance.observations import ContradictionProbe, Rejection
from reports.model import Evidence

__all__ = ["serial_contradiction"]


@check(
    id="vmfa.create.serial.spec-contradiction",
    operation="CreateVirtualMFADevice",
    scenario="create.contradiction",
    clause="CreateVirtualMFADevice: Path vs VirtualMFADevice.SerialNumber (the spec contradicts itself)",
    evidence=Evidence.NONE,
)
def serial_contradiction(probe: ContradictionProbe) -> Outcome:
    """A valid path whose serial the model forbids: recorded, never judged."""
    if isinstance(probe.outcome, Rejection):
        return Info(f"{probe.reason}: refused, {probe.outcome.describe()}")
    serial = probe.outcome.serial_number or ""
    return Info(f"{probe.reason}: created, serial of {len(serial)} characters; delete: {probe.deletion}")
