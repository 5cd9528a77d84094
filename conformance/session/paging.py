"""One paging walk: every entry of a list operation, following its Markers.

Each entry is reduced the moment it arrives (``keep``): a whole entry is never kept, because a wrong
one may carry the seed. A refused page is handed back as the `Rejection`; a truncated page without a
Marker, or a walk past `MAX_PAGES`, is an `EndpointFailure` (the endpoint's fault, not a hang).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from conformance.session.calls import EndpointFailure, Rejection, Reply, api_name
from strategies.model import integer_constraint

__all__ = [
    "ASSIGNMENT_STATUSES",
    "MAX_PAGES",
    "ListedDevice",
    "Listing",
    "Send",
    "entries",
    "largest_page",
    "listing",
    "pages",
    "serial_of",
]

MAX_PAGES = 200
ASSIGNMENT_STATUSES = ("Assigned", "Unassigned", "Any")
T = TypeVar("T")
Send = Callable[[str, Mapping[str, Any]], Reply]


def pages(send: Send, operation: str, params: Mapping[str, Any], limit: int = MAX_PAGES) -> Iterator[Reply]:
    """Each page's reply, the Marker of one sent for the next, at most ``limit`` of them.

    The walk ends after a refused page, a page that is not truncated, or a truncated page without a
    Marker; the caller sees that last reply and judges it.
    """
    request = dict(params)
    for _ in range(limit):
        reply = send(operation, request)
        yield reply
        body = reply.body
        if body is None or not body.get("IsTruncated") or not body.get("Marker"):
            return
        request = {**params, "Marker": body["Marker"]}


def entries(
    send: Send, operation: str, params: Mapping[str, Any], member: str, keep: Callable[[Mapping[str, Any]], T]
) -> list[T] | Rejection:
    """Every entry of ``member`` over all pages of ``operation``, each reduced by ``keep``."""
    kept: list[T] = []
    truncated = False
    for reply in pages(send, operation, params):
        if reply.rejection is not None:
            return reply.rejection
        page = reply.body or {}
        kept += [keep(entry) for entry in page.get(member, ())]
        truncated, has_marker = bool(page.get("IsTruncated")), bool(page.get("Marker"))
        del page, reply
        if truncated and not has_marker:
            raise EndpointFailure(f"{api_name(operation)}: IsTruncated without a Marker")
    if truncated:
        raise EndpointFailure(f"{api_name(operation)}: still truncated after {MAX_PAGES} pages")
    return kept


@dataclass(frozen=True)
class ListedDevice:
    """One entry of ListVirtualMFADevices: which members it has, never their values (a leaked seed
    stays a member name here)."""

    serial_number: str
    members: frozenset[str]
    user_name: str | None


Listing = Mapping[str, Mapping[str, ListedDevice]]  # AssignmentStatus -> serial -> entry


def _listed(entry: Mapping[str, Any]) -> ListedDevice:
    user = entry.get("User") or {}
    return ListedDevice(str(entry.get("SerialNumber", "")), frozenset(entry), user.get("UserName"))


def largest_page(operation: str = "ListVirtualMFADevices") -> int | None:
    """The model's largest MaxItems for ``operation``: a listing of a large account in few calls."""
    return integer_constraint(operation, "MaxItems").max_value


def listing(
    send: Send, statuses: tuple[str, ...] = ASSIGNMENT_STATUSES, *, page_size: int | None = None
) -> Listing:
    """ListVirtualMFADevices under each AssignmentStatus, every page (``page_size``: MaxItems; None, the
    endpoint's default); a refusal ends the scenario."""
    found: dict[str, dict[str, ListedDevice]] = {}
    for status in statuses:
        params: dict[str, Any] = {"AssignmentStatus": status}
        if page_size is not None:
            params["MaxItems"] = page_size
        listed = entries(send, "list_virtual_mfa_devices", params, "VirtualMFADevices", _listed)
        if isinstance(listed, Rejection):
            listed.unexpected()
        found[status] = {device.serial_number: device for device in listed}
    return found


def serial_of(entry: Mapping[str, Any]) -> str:
    """The SerialNumber of a listed MFA device (ListVirtualMFADevices, ListMFADevices), as text."""
    return str(entry.get("SerialNumber"))
