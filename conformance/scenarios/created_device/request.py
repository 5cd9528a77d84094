"""Checks on how CreateVirtualMFADevice answers a request as a whole (accepted or rejected)."""

from __future__ import annotations

from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.created_device import REQUEST
from conformance.session.calls import Rejection
from conformance.session.devices import CreatedDevice
from reports.model import Evidence

__all__ = ["valid_request_accepted"]


@check(
    id="vmfa.create.valid-request-accepted",
    operation="CreateVirtualMFADevice",
    scenario=REQUEST,
    clause="CreateVirtualMFADevice: request parameters (model constraints)",
    evidence=Evidence.MODEL,
)
def valid_request_accepted(outcome: CreatedDevice | Rejection) -> Outcome:
    """A request that meets every model constraint of Path, VirtualMFADeviceName and Tags succeeds."""
    if isinstance(outcome, CreatedDevice):
        return Pass()
    return Miss("HTTP 200 and a VirtualMFADevice", outcome.describe())
