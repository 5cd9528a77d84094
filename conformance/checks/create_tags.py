"""Tags given to CreateVirtualMFADevice are the device's tags afterwards.

The create request's ``Tags`` are "tags that you want to attach to the new IAM virtual MFA device";
ListMFADeviceTags then returns them. A key comes back as it was sent, case and all (two keys that
differ only in case cannot both be sent: strategies keep keys distinct under case folding), and the
list has no order, so the comparison is of (Key, Value) multisets.
"""

from __future__ import annotations

from collections import Counter

from conformance.checks.registry import Miss, Outcome, Pass, check
from conformance.observations import ListedTags
from reports.model import Evidence

__all__ = ["tags_listed_as_sent"]


def _summary(tags: Counter[tuple[str, str]]) -> str:
    keys = sorted(key for key, _ in tags.elements())
    shown = ", ".join(repr(key) for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
    return f"{len(keys)} tags" + (f" (keys {shown})" if keys else "")


@check(
    id="vmfa.create.tags.listed",
    operation="CreateVirtualMFADevice",
    scenario="create.tagged",
    clause="CreateVirtualMFADevice: Tags; ListMFADeviceTags",
    evidence=Evidence.DOCUMENTED,
)
def tags_listed_as_sent(probe: ListedTags) -> Outcome:
    """ListMFADeviceTags returns exactly the tags given at creation (case kept, order ignored)."""
    sent, listed = Counter(probe.sent), Counter(probe.listed)
    if sent == listed:
        return Pass()
    missing, extra = sent - listed, listed - sent
    return Miss(
        _summary(sent), f"{_summary(listed)}; missing {_summary(missing)}; unexpected {_summary(extra)}"
    )
