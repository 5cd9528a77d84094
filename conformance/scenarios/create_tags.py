"""Tags given to CreateVirtualMFADevice are the device's tags afterwards.

The create request's ``Tags`` are "tags that you want to attach to the new IAM virtual MFA device";
ListMFADeviceTags then returns them. A key comes back as it was sent, case and all (two keys that
differ only in case cannot both be sent: strategies keep keys distinct under case folding), and the
list has no order, so the comparison is of (Key, Value) multisets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.judging.memo import overlappable
from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from reports.model import Evidence

__all__ = ["TAGGED", "ListedTags", "gather", "listed_tags", "tags_listed_as_sent"]


TAGGED = "create.tagged"
TagPairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ListedTags:
    """Tags sent with a create, and what ListMFADeviceTags then returned for the device."""

    device: CreatedDevice
    sent: TagPairs
    listed: TagPairs
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.device.call


@overlappable
@recorded
def gather(suite: SuiteSession, params: Mapping[str, Any]) -> ListedTags | None:
    """Create a tagged device, list its tags (polled on remote targets until they show), delete it.
    None when the valid create was refused (judged elsewhere)."""
    with suite.create_device(params) as device:
        if not (isinstance(device, CreatedDevice) and device.serial_number):
            return None
        return listed_tags(suite, device, params)


def listed_tags(suite: SuiteSession, device: CreatedDevice, params: Mapping[str, Any]) -> ListedTags:
    """The tags ListMFADeviceTags gives for ``device``, just created from ``params`` (polled on remote
    targets until they show what was sent)."""
    assert device.serial_number is not None
    sent = tuple((tag["Key"], tag["Value"]) for tag in params.get("Tags", ()))
    listed = suite.device_tags(device.serial_number, lambda tags: sorted(tags) == sorted(sent))
    return ListedTags(device, sent, listed)


def _summary(tags: Counter[tuple[str, str]]) -> str:
    keys = sorted(key for key, _ in tags.elements())
    shown = ", ".join(repr(key) for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
    return f"{len(keys)} tags" + (f" (keys {shown})" if keys else "")


@check(
    id="vmfa.create.tags.listed",
    operation="CreateVirtualMFADevice",
    scenario=TAGGED,
    clause="CreateVirtualMFADevice: Tags; ListMFADeviceTags",
    evidence=Evidence.DOCUMENTED,
)
def tags_listed_as_sent(seen: ListedTags) -> Outcome:
    """ListMFADeviceTags returns exactly the tags given at creation (case kept, order ignored)."""
    sent, listed = Counter(seen.sent), Counter(seen.listed)
    if sent == listed:
        return Pass()
    missing, extra = sent - listed, listed - sent
    return Miss(
        _summary(sent), f"{_summary(listed)}; missing {_summary(missing)}; unexpected {_summary(extra)}"
    )
