"""What the endpoint lists of a lifecycle sequence's devices, and where that differs from the model.

After each step the state machine reads the endpoint through every view the API offers: the three
AssignmentStatus filters of ListVirtualMFADevices, each paged with a small ``MaxItems`` so that markers
are followed on every listing (a page that repeats or drops an entry shows), ListMFADevices for each
user, and ListMFADeviceTags for the device the step touched.

Only what the sequence created is judged: the account may hold other devices (another test's, a
person's), and they are not the model's business. Entries are reduced to serial numbers, user names
and tags the moment they arrive: a list entry may wrongly carry the seed, which is never kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from conformance.scenarios.lifecycle.checks import Disagreement
from conformance.scenarios.lifecycle.model import LifecycleModel, ModelDevice
from conformance.session.calls import ApiCall, Rejection
from conformance.session.suite import SuiteSession
from strategies.model import integer_constraint

__all__ = ["PAGE_SIZE", "compare_views"]

# The model's smallest MaxItems: every entry is a page of its own, so even two devices make a marker
# to follow, under every filter (a page that repeats, skips or drops an entry shows at once).
PAGE_SIZE = integer_constraint("ListVirtualMFADevices", "MaxItems").min_value or 1
_STATUSES = ("Any", "Assigned", "Unassigned")
_SHOWN_VALUE = 24  # characters of a tag value shown in a disagreement
_SHOWN_TAGS = 5  # tags (and tag differences) shown in a disagreement


def compare_views(
    suite: SuiteSession, model: LifecycleModel, tagged: Iterable[str], *, tagging: bool, every_view: bool
) -> tuple[ApiCall, tuple[Disagreement, ...]]:
    """Read the views of the sequence's devices; return the first call made and the disagreements.

    ``every_view=False`` reads only what tells whether the model still knows the state: the devices
    and their users (ListVirtualMFADevices, Any, pages of the endpoint's default size) and the tags.
    ``tagged`` are the serials whose tags the last step may have changed (listed only with ``tagging``).
    """
    found: list[Disagreement] = []
    calls: list[ApiCall] = []
    for status in _STATUSES if every_view else ("Any",):
        params = {"AssignmentStatus": status}
        call, entries = _paged(suite, "list_virtual_mfa_devices", params, PAGE_SIZE if every_view else None)
        calls.append(call)
        wanted = {serial: device.user for serial, device in model.devices.items() if _shown(status, device)}
        listed = [(serial, user) for serial, user in _devices(entries) if serial in model.known_serials]
        found += _differences(call, wanted, listed)
    for user in model.users if every_view else ():
        call, entries = _paged(suite, "list_mfa_devices", {"UserName": user})
        listed_serials = [str(entry.get("SerialNumber", "")) for entry in entries]
        ours = [(serial, None) for serial in listed_serials if serial in model.known_serials]
        found += _differences(call, dict.fromkeys(model.devices_of(user)), ours)
    for serial in sorted(set(tagged) & set(model.devices)) if tagging else ():
        call, entries = _paged(suite, "list_mfa_device_tags", {"SerialNumber": serial})
        pairs = [(str(tag.get("Key")), str(tag.get("Value"))) for tag in entries]
        found += _tag_differences(call, model.devices[serial].tags, pairs)
    return calls[0], tuple(found)


def _shown(status: str, device: ModelDevice) -> bool:
    """Whether ListVirtualMFADevices under ``status`` lists the device (documented filter meaning)."""
    return status == "Any" or (status == "Assigned") == (device.user is not None)


_MEMBERS = {"list_virtual_mfa_devices": "VirtualMFADevices", "list_mfa_devices": "MFADevices"}


def _paged(
    suite: SuiteSession, operation: str, params: Mapping[str, Any], page_size: int | None = PAGE_SIZE
) -> tuple[ApiCall, list[Any]]:
    """Every entry of a list operation, page by page (``None``: the endpoint's default page size);
    only the members the views read are kept (never a whole entry, which may carry the seed)."""
    first = {**params, **({"MaxItems": page_size} if page_size else {})}
    call = suite.call(operation, first)
    entries = suite.entries(operation, first, _MEMBERS.get(operation, "Tags"), partial(_kept, operation))
    if isinstance(entries, Rejection):
        entries.unexpected()
    return call, entries


def _kept(operation: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    if operation == "list_mfa_device_tags":
        return {"Key": entry.get("Key"), "Value": entry.get("Value")}
    user = entry.get("User") or {}
    return {"SerialNumber": entry.get("SerialNumber"), "UserName": user.get("UserName")}


def _devices(entries: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None]]:
    return [(str(entry.get("SerialNumber", "")), entry.get("UserName")) for entry in entries]


def _entry(serial: str, user: str | None) -> str:
    return serial + (f" (User {user})" if user else "")


def _differences(
    call: ApiCall, wanted: Mapping[str, str | None], listed: Sequence[tuple[str, str | None]]
) -> list[Disagreement]:
    """A list of devices (serial, user) against the model's; ``[]`` when they agree."""
    repeated = sorted(
        serial for serial, count in Counter(serial for serial, _ in listed).items() if count > 1
    )
    if dict(listed) == dict(wanted) and not repeated:
        return []
    shown = [_entry(serial, user) for serial, user in sorted(wanted.items())]
    received = "lists " + (", ".join(_entry(serial, user) for serial, user in listed) or "none of them")
    if repeated:
        received += f" ({', '.join(repeated)} more than once)"
    expected = "lists " + (", ".join(shown) or "none of the sequence's devices")
    return [Disagreement(call.shown(), expected, received, call)]


def _tag_differences(
    call: ApiCall, wanted: Mapping[str, str], listed: list[tuple[str, str]]
) -> list[Disagreement]:
    if Counter(listed) == Counter(wanted.items()):
        return []
    held = dict(listed)
    wrong = [f"{key!r} missing" for key in sorted(wanted) if key not in held]
    wrong += [f"{key!r} not expected" for key in sorted(held) if key not in wanted]
    wrong += [
        f"{key!r} = {_short(held[key])} instead of {_short(value)}"
        for key, value in sorted(wanted.items())
        if key in held and held[key] != value
    ]
    if len(held) != len(listed):
        wrong.append("a key listed more than once")
    shown = [f"{key!r} = {_short(value)}" for key, value in sorted(wanted.items())]
    more = f", ... {len(shown)} in all" if len(shown) > _SHOWN_TAGS else ""
    expected = "lists " + (", ".join(shown[:_SHOWN_TAGS]) + more if shown else "no tag")
    received = "; ".join(wrong[:_SHOWN_TAGS]) + (
        f"; ... {len(wrong)} in all" if len(wrong) > _SHOWN_TAGS else ""
    )
    return [Disagreement(call.shown(), expected, received, call)]


def _short(value: str) -> str:
    return repr(value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "...")
