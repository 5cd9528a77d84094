"""Checks on creating a device whose name is taken: on the same path, and on another path.

Same path and name: the model gives CreateVirtualMFADevice the error ``EntityAlreadyExists`` (409) and
the reference says the name "must be unique"; real AWS was recorded answering 409 EntityAlreadyExists
"MFA device already exists.". The same name on another path is where the documents are silent ("Use
with path to uniquely identify a virtual MFA device"): the suite records what happens, as INFO.
"""

from __future__ import annotations

from conformance.checks.registry import Info, Miss, Outcome, Pass, Skip, check
from conformance.error_tables import judge_status
from conformance.observations import DuplicateCreate, Rejection
from reports.model import Evidence

__all__ = ["duplicate_on_other_path", "duplicate_rejected", "duplicate_status"]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADeviceName (must be unique) and Errors"
_TAKEN = "EntityAlreadyExists"


@check(
    id="vmfa.create.duplicate.rejected",
    operation=_OPERATION,
    scenario="create.duplicate",
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def duplicate_rejected(probe: DuplicateCreate) -> Outcome:
    """Creating the same path and name again is refused with EntityAlreadyExists."""
    if isinstance(probe.second, Rejection) and probe.second.code == _TAKEN:
        return Pass()
    received = probe.second.describe() if isinstance(probe.second, Rejection) else "HTTP 200: a device"
    return Miss(f"{_TAKEN}: the device exists already", received)


@check(
    id="vmfa.create.duplicate.status",
    operation=_OPERATION,
    scenario="create.duplicate",
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def duplicate_status(probe: DuplicateCreate) -> Outcome:
    """The refusal has the HTTP status the model gives its error code."""
    if not isinstance(probe.second, Rejection):
        return Skip("the duplicate was accepted (vmfa.create.duplicate.rejected)")
    return judge_status(_OPERATION, probe.second, "vmfa.create.duplicate.rejected")


@check(
    id="vmfa.create.duplicate.other-path",
    operation=_OPERATION,
    scenario="create.duplicate.other-path",
    clause=_CLAUSE,
    evidence=Evidence.NONE,
)
def duplicate_on_other_path(probe: DuplicateCreate) -> Outcome:
    """The same name on another path: recorded, the documents do not say."""
    if isinstance(probe.second, Rejection):
        return Info(f"the same name on another path is refused: {probe.second.describe()}")
    if probe.second.serial_number == probe.first.serial_number:
        return Info("the same name on another path is accepted with the first device's serial number")
    return Info("the same name on another path is accepted as a second device")
