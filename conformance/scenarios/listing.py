"""Checks on ListVirtualMFADevices' paging and on the requests it must refuse.

What the rules rest on:

- Paging (documented, "Paginating IAM results" and the operation's reference): ``MaxItems`` caps a page;
  while ``IsTruncated`` is true the answer carries a ``Marker`` to send for the next page; the last
  page says ``IsTruncated`` false and has no ``Marker``. Walking the pages returns every device once.
- ``MaxItems`` outside the model's range, an ``AssignmentStatus`` outside its enum and a ``Marker`` with
  a character outside its pattern's class break the model: a 400 (model).
- A ``Marker`` the endpoint never issued: real AWS answers ``400 ValidationError`` "Invalid Marker."
  (observed), so another answer is a DEVIATION.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.judging.memo import overlappable
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.paging import pages
from conformance.session.suite import SuiteSession
from reports.model import Evidence
from strategies.list_requests import page_sizes
from strategies.names import virtual_mfa_device_names

__all__ = [
    "INVALID",
    "PAGING",
    "PLANS",
    "UNKNOWN_MARKER",
    "InvalidListing",
    "ListedPage",
    "PagedListing",
    "gather_invalid",
    "gather_paging",
    "invalid_list_request_rejected",
    "last_page_ends",
    "pages_list_every_device_once",
    "unknown_marker_rejected",
]

PAGING = "list.paging"
INVALID = "list.invalid"
UNKNOWN_MARKER = "list.unknown-marker"
_LIST = "ListVirtualMFADevices"
_MAX_DEVICES = 4
_MAX_PAGES = 1000  # a walk that never ends is cut here (an endpoint whose Marker loops)
_AWS_MARKER_ERROR = ("ValidationError", 400, "Invalid Marker.")


@dataclass(frozen=True)
class ListedPage:
    serials: tuple[str, ...]
    truncated: bool
    has_marker: bool


@dataclass(frozen=True)
class PagedListing:
    """Devices created for the purpose, then every page of ListVirtualMFADevices at ``MaxItems``."""

    call: ApiCall  # the first page's request
    max_items: int
    created: frozenset[str]
    pages: tuple[ListedPage, ...]
    refused: Rejection | None  # a page request that was refused: the walk stopped there
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


@dataclass(frozen=True)
class InvalidListing:
    """A list request breaking one constraint (``case``), and what came back (None: a page)."""

    call: ApiCall
    case: str
    answer: Rejection | None
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


@st.composite
def _plans(draw: st.DrawFn) -> tuple[list[str], int, str]:
    """(device names, MaxItems below their number, the AssignmentStatus to walk: both list them)."""
    names = draw(
        st.lists(
            virtual_mfa_device_names(serial_safe=True, max_length=20),
            min_size=2,
            max_size=_MAX_DEVICES,
            unique=True,
        )
    )
    return names, draw(page_sizes(len(names) - 1)), draw(st.sampled_from(["Any", "Unassigned"]))


PLANS = _plans()


def _walk(suite: SuiteSession, params: dict[str, Any], created: frozenset[str]) -> PagedListing:
    listed: list[ListedPage] = []
    refused = None
    for reply in pages(suite.send, "list_virtual_mfa_devices", params, _MAX_PAGES):
        if reply.rejection is not None:
            refused = reply.rejection
            break
        body = reply.body or {}
        serials = tuple(str(entry.get("SerialNumber")) for entry in body.get("VirtualMFADevices", ()))
        # only serials are kept: an entry may (wrongly) hold a seed
        listed.append(ListedPage(serials, bool(body.get("IsTruncated")), body.get("Marker") is not None))
    first_call = suite.call("list_virtual_mfa_devices", params)
    return PagedListing(first_call, params["MaxItems"], created, tuple(listed), refused)


@overlappable
@recorded
def gather_paging(suite: SuiteSession, plan: tuple[list[str], int, str]) -> PagedListing | None:
    """Create a device per name (a unique token appended), walk every page at the plan's MaxItems,
    delete the devices. None when a valid create was refused (judged elsewhere)."""
    names, max_items, status = plan
    token = suite.unique_token()
    with contextlib.ExitStack() as stack:
        serials = set()
        for name in names:
            device = stack.enter_context(suite.create_device({"VirtualMFADeviceName": f"{name}-{token}"}))
            if not (isinstance(device, CreatedDevice) and device.serial_number):
                return None
            serials.add(device.serial_number)
        created = frozenset(serials)
        suite.settle(suite.device_serials, lambda listed: created <= listed)  # remote targets: let them show
        # A shared account's other devices would make a walk at a small MaxItems as long as the account
        # is large: the page size grows with it (the walk stays a few pages, and still pages).
        return _walk(suite, {"AssignmentStatus": status, "MaxItems": suite.small_page(max_items)}, created)


@recorded
def gather_invalid(suite: SuiteSession, params: dict[str, Any], case: str) -> InvalidListing:
    """One list request, through the unvalidated client: what came back."""
    reply = suite.send("list_virtual_mfa_devices", params, validated=False)
    return InvalidListing(reply.call, case, reply.rejection)


def _refused(listing: PagedListing) -> Miss | None:
    if listing.refused is None:
        return None
    return Miss(f"HTTP 200 for every page (MaxItems={listing.max_items})", listing.refused.describe())


@check(
    id="vmfa.list.paging-complete",
    operation=_LIST,
    scenario=PAGING,
    clause="ListVirtualMFADevices: MaxItems, Marker",
    evidence=Evidence.DOCUMENTED,
)
def pages_list_every_device_once(listing: PagedListing) -> Outcome:
    """Following the Markers lists every device exactly once, no page longer than MaxItems."""
    refused = _refused(listing)
    if refused:
        return refused
    seen = Counter(serial for page in listing.pages for serial in page.serials)
    wrong = (
        [f"{len(missing)} of the {len(listing.created)} devices missing"]
        if (missing := listing.created - set(seen))
        else []
    )
    if twice := sorted(serial for serial, count in seen.items() if count > 1):
        wrong.append(f"listed twice: {', '.join(twice[:3])}")
    if long := [n for n, page in enumerate(listing.pages, 1) if len(page.serials) > listing.max_items]:
        wrong.append(f"page {long[0]} holds more than MaxItems={listing.max_items}")
    if not wrong:
        return Pass()
    expected = f"each of the {len(listing.created)} devices once, pages of at most {listing.max_items}"
    return Miss(expected, f"{len(listing.pages)} pages: " + "; ".join(wrong))


@check(
    id="vmfa.list.last-page",
    operation=_LIST,
    scenario=PAGING,
    clause="ListVirtualMFADevices: IsTruncated, Marker",
    evidence=Evidence.DOCUMENTED,
)
def last_page_ends(listing: PagedListing) -> Outcome:
    """A truncated page carries a Marker to more devices; the last page says IsTruncated false, no Marker."""
    refused = _refused(listing)
    if refused:
        return refused
    if listing.created - {serial for page in listing.pages for serial in page.serials}:
        # An empty page after a truncated one is then what losing a device looks like: judged there.
        return Skip("devices are missing from the pages (vmfa.list.paging-complete)")
    wrong = []
    for number, (page, following) in enumerate(zip(listing.pages, listing.pages[1:], strict=False), 1):
        if page.truncated and not page.has_marker:
            wrong.append(f"page {number} says IsTruncated=true without a Marker")
        elif page.truncated and not following.serials:
            wrong.append(f"page {number} says IsTruncated=true, and the next page is empty")
    last = listing.pages[-1]
    if last.truncated or last.has_marker:
        wrong.append(f"the last page (page {len(listing.pages)}) says IsTruncated={last.truncated}")
    if not wrong:
        return Pass()
    return Miss(
        "IsTruncated=true only before more devices; the last page false, without a Marker", "; ".join(wrong)
    )


@check(
    id="vmfa.list.invalid-rejected",
    operation=_LIST,
    scenario=INVALID,
    clause="ListVirtualMFADevices: MaxItems range, AssignmentStatus enum, Marker pattern",
    evidence=Evidence.MODEL,
)
def invalid_list_request_rejected(seen: InvalidListing) -> Outcome:
    """MaxItems outside the model's range, an AssignmentStatus outside its enum or a Marker outside its
    pattern is refused: 400."""
    if seen.answer is not None and seen.answer.status == 400:
        return Pass()
    received = "HTTP 200: a page" if seen.answer is None else seen.answer.describe()
    return Miss(f"HTTP 400: {seen.case}", received)


@check(
    id="vmfa.list.unknown-marker",
    operation=_LIST,
    scenario=UNKNOWN_MARKER,
    clause="ListVirtualMFADevices: Marker",
    evidence=Evidence.OBSERVED,
)
def unknown_marker_rejected(seen: InvalidListing) -> Outcome:
    """A Marker the endpoint never issued is refused as AWS refuses it: 400 ValidationError."""
    answer = seen.answer
    if answer is not None and (answer.code, answer.status, answer.message) == _AWS_MARKER_ERROR:
        return Pass()
    code, status, message = _AWS_MARKER_ERROR
    received = "HTTP 200: a page" if answer is None else answer.describe()
    return Miss(f"HTTP {status} {code}: {message}", received)
