"""Requests naming a user or a device that does not exist: ``NoSuchEntity`` with the model's status (404).

Each lifecycle operation models ``NoSuchEntity`` among its errors; real AWS answers an unknown serial and
an unknown user so (SPEC-NOTES, "Observed on real AWS": delete, enable, deactivate). Every case names
exactly one missing entity: the other members of the request are valid, and refer to things that exist.
(TagMFADevice, UntagMFADevice and ListMFADeviceTags are judged by ``vmfa.tags.unknown-device``.)
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.checks.registry import Outcome, check
from conformance.error_tables import refused_with
from conformance.observations import ApiCall, Rejection
from reports.model import Evidence

__all__ = ["UnknownEntity", "unknown_entity_not_found"]

_CODE = "NoSuchEntity"


@dataclass(frozen=True)
class UnknownEntity:
    """A request naming one entity that does not exist (``missing``), and what came back."""

    call: ApiCall
    operation: str  # the API name, e.g. "DeactivateMFADevice"
    missing: str  # "the device" or "the user"
    answer: Rejection | None  # None: the request succeeded


@check(
    id="vmfa.lifecycle.unknown-entity",
    operation="EnableMFADevice, DeactivateMFADevice, ResyncMFADevice, GetMFADevice, ListMFADevices, "
    "DeleteVirtualMFADevice",
    scenario="lifecycle.unknown-entity",
    clause="Errors: NoSuchEntity",
    evidence=Evidence.MODEL,
)
def unknown_entity_not_found(probe: UnknownEntity) -> Outcome:
    """A request naming a device or a user that does not exist is refused with NoSuchEntity (404)."""
    return refused_with(probe.operation, probe.answer, _CODE, f"{probe.missing} does not exist")
