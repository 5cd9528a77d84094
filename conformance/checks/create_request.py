"""Checks on how CreateVirtualMFADevice answers a request as a whole (accepted or rejected)."""

from __future__ import annotations

from conformance.checks.registry import Miss, Outcome, Pass, check
from conformance.observations import CreatedDevice, Rejection
from reports.model import Evidence

__all__ = ["valid_request_accepted"]


@check(
    id="vmfa.create.valid-request-accepted",
    operation="CreateVirtualMFADevice",
    scenario="create.request",
    clause="CreateVirtualMFADevice: request parameters (model constraints)",
    evidence=Evidence.MODEL,
)
def valid_request_accepted(outcome: CreatedDevice | Rejection) -> Outcome:
    """A request that meets every model constraint of Path, VirtualMFADeviceName and Tags succeeds."""
    if isinstance(outcome, CreatedDevice):
        return Pass()
    return Miss(
        "HTTP 200 and a VirtualMFADevice",
        f"HTTP {outcome.status} {outcome.code}: {outcome.message}",
    )
