"""Where the spec contradicts itself: a valid Path that makes a SerialNumber the model forbids.

A Path may hold any of ``!``..``~`` and be 512 characters long, but the device's SerialNumber,
``arn:...:mfa`` + path + name, must match ``[\\w+=/:,.@-]+`` and be at most 256 characters (SPEC-NOTES,
"Known contradictions"). No answer is wrong here, so the suite records what the endpoint does: refuses
the create, or creates a device, and whether that device can be deleted again (DeleteVirtualMFADevice
takes the SerialNumber, and a conformant endpoint validates it against the same pattern).
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.judging.outcomes import Info, Outcome
from conformance.judging.registry import check
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import CLEANUP_ERRORS, SuiteSession
from reports.model import Evidence
from strategies.edge_cases import EdgeCase

__all__ = ["CONTRADICTION", "Contradiction", "gather", "serial_contradiction"]

CONTRADICTION = "create.contradiction"


@dataclass(frozen=True)
class Contradiction:
    """A request the model allows whose serial the model forbids, and what the endpoint made of it."""

    reason: str
    outcome: CreatedDevice | Rejection
    deletion: str  # "deleted", or how the endpoint refused to delete the device

    @property
    def call(self) -> ApiCall:
        return self.outcome.call


def gather(suite: SuiteSession, case: EdgeCase) -> Contradiction:
    """Send the case's create; if a device was made and the usual delete was refused, try once more
    to say how (the device is then left on the endpoint, and named in the note)."""
    with suite.create_device(case.params) as created:
        pass
    deletion = "deleted"
    if isinstance(created, CreatedDevice) and created.serial_number in suite.tracker.tracked():
        try:  # create_device's own delete was refused; once more, to say how
            suite.tracker.release_device(created.serial_number)
        except CLEANUP_ERRORS as error:
            deletion = f"refused ({type(error).__name__}): the device is left on the endpoint"
            # Left on purpose (the model's own delete cannot name it; never sent to real AWS): the run's
            # notes name it, and it is no leftover of a cleanup that failed.
            suite.tracker.forget_device(created.serial_number, f"{CONTRADICTION_CHECK}: {error}")
    return Contradiction(case.reason, created, deletion)


CONTRADICTION_CHECK = "vmfa.create.serial.spec-contradiction"


@check(
    id=CONTRADICTION_CHECK,
    operation="CreateVirtualMFADevice",
    scenario=CONTRADICTION,
    clause="CreateVirtualMFADevice: Path vs VirtualMFADevice.SerialNumber (the spec contradicts itself)",
    evidence=Evidence.NONE,
)
def serial_contradiction(seen: Contradiction) -> Outcome:
    """A valid path whose serial the model forbids: recorded, never judged."""
    if isinstance(seen.outcome, Rejection):
        return Info(f"{seen.reason}: refused, {seen.outcome.describe()}")
    serial = seen.outcome.serial_number or ""
    return Info(f"{seen.reason}: created, serial of {len(serial)} characters; delete: {seen.deletion}")
