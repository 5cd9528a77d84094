"""What the endpoint lists of a lifecycle sequence's devices, and where that differs from the model.

After each step the state machine reads the endpoint through every view the API offers: the three
AssignmentStatus filters of ListVirtualMFADevices, each paged with a small ``MaxItems`` so that markers
are followed on every listing (a page that repeats or drops an entry shows), ListMFADevices for each
user, and ListMFADeviceTags for the device the step touched.

How small a page: at most `VIEW_PAGES` pages for what the model says a view lists (`view_page_size`),
not one entry a page. The lists check's subject is that the lists show the state; paging itself is the
subject of the listing scenario's checks (``vmfa.list.paging-complete`` and the others), which walk at
the smallest MaxItems. One entry a page made a walk of n devices n requests under each filter after
every step, which was most of the state machine's requests and, since the lists check must have the
account to itself (a positional Marker's pages shift under another worker's creates), the end of a
run with workers. At ``ceil(n / VIEW_PAGES)`` a page, a view of two entries or more still takes two
pages or more, its last reached through a Marker, exactly when one entry a page would: an entry
dropped or repeated at a Marker, or lost from the last page, still shows, after the same steps. Only
a fault at one particular position of the walk, and no other, could pass where one entry a page
would catch it, and that is the listing scenario's to find.
Every step's views are walked that way (rather than one entry a page on some steps only), so what a
sequence proves does not depend on which step a fault follows.

Nothing is written while a step's views are read, so they are read side by side, a thread each
(`SuiteSession.side_by_side`): the reading waits as long as its longest walk, not as long as all of
them, which against an endpoint that answers in tens of milliseconds was most of the state machine's
time. Each walk is unchanged: its pages one after another, each Marker the one its page gave.

Only what the sequence created is judged: the account may hold other devices (another test's, a
person's), and they are not the model's business. Entries are reduced to serial numbers, user names
and tags the moment they arrive: a list entry may wrongly carry the seed, which is never kept.

The views must reflect the steps before them, which an eventually consistent endpoint shows only after
a while (a user or device created a moment ago may even be refused, NoSuchEntity: not visible yet). So
they are read again (`SuiteSession.settle`) until they agree with the model or the patience is spent,
and the last reading is judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

from conformance.scenarios.lifecycle.checks import Disagreement
from conformance.scenarios.lifecycle.model import LifecycleModel, ModelDevice
from conformance.session.calls import ApiCall, Rejection
from conformance.session.faults import FaultInterrupt
from conformance.session.paging import largest_page
from conformance.session.settling import not_visible_yet
from conformance.session.suite import SuiteSession
from strategies.model import integer_constraint

__all__ = ["PAGE_SIZE", "VIEW_PAGES", "Listed", "compare_views", "compare_views_alongside", "view_page_size"]

# The model's smallest MaxItems: every entry is a page of its own, so even two devices make a marker
# to follow, under every filter (a page that repeats, skips or drops an entry shows at once).
PAGE_SIZE = integer_constraint("ListVirtualMFADevices", "MaxItems").min_value or 1
# The most pages a view's walk takes for the entries the model expects in it (module docstring).
VIEW_PAGES = 3
_STATUSES = ("Any", "Assigned", "Unassigned")
T = TypeVar("T")
_SHOWN_VALUE = 24  # characters of a tag value shown in a disagreement
_SHOWN_TAGS = 5  # tags (and tag differences) shown in a disagreement


def compare_views(
    suite: SuiteSession, model: LifecycleModel, tagged: Iterable[str], *, tagging: bool, every_view: bool
) -> tuple[ApiCall, tuple[Disagreement, ...]]:
    """Read the views of the sequence's devices, polled until they agree with the model (module
    docstring); return the first call made and the disagreements of the last reading.

    ``every_view=False`` reads only what tells whether the model still knows the state: the devices
    and their users (ListVirtualMFADevices, Any, pages of the model's largest size) and the tags.
    ``tagged`` are the serials whose tags are listed (with ``tagging``): those the last step may have
    changed. A view refused otherwise than as not visible yet ends the sequence (`Rejection.unexpected`),
    as does one still refused so when the patience is spent.
    """
    tagged = frozenset(tagged)
    reading = suite.settle(lambda: _read(suite, model, tagged, tagging, every_view)[0], _agrees_with(model))
    disagreements, refused = _compare(reading, model)
    if refused is not None:
        refused.unexpected()
    return reading.first, disagreements


# The lists check's reading made beside the answers check's (`compare_views_alongside`): its first call
# and its disagreements, or None when one of its views failed (the lists check's own run then judges).
Listed = tuple[ApiCall, tuple[Disagreement, ...]] | None


def compare_views_alongside(
    suite: SuiteSession, model: LifecycleModel, tagged: Iterable[str], *, tagging: bool
) -> tuple[ApiCall, tuple[Disagreement, ...], Listed]:
    """`compare_views` with ``every_view=False``, exactly (its requests, what it raises), and, read in
    the same moment, what ``every_view=True`` would have found: for the lists check, judged later from
    the answers check's run (`conformance.scenarios.lifecycle.alongside`). Only without a patience:
    one reading, as `compare_views` makes then.

    The views only the lists check reads are sent through the unvalidated client (the same requests on
    the wire: their parameters are valid), so that the health watch does not take them for basic reads
    (`conformance.session.health`): a 5xx to one of them must not end the answers check's run, which
    does not read them. Whatever they raise is kept from that run too: their reading is then None. The
    tags are read once for both (the same requests); so is the account's size, when not yet known
    (`SuiteSession.small_page`: its first page is the answers check's own listing, sent just then)."""
    tagged = frozenset(tagged)
    # First: their walks are the longest.
    beside: list[Callable[[], _Listed | _UserDevices | _Failed]] = [
        *(partial(_quietly, _listed_devices, suite, model, status, True, True) for status in _STATUSES),
        *(partial(_quietly, _user_devices, suite, model, user, True) for user in model.users),
    ]
    reading, extra = _read(suite, model, tagged, tagging, False, beside=beside)
    disagreements, refused = _compare(reading, model)
    if refused is not None:
        refused.unexpected()
    if any(isinstance(result, _Failed) for result in extra):
        return reading.first, disagreements, None
    listings = tuple(cast(list[_Listed], extra[: len(_STATUSES)]))
    users = tuple(cast(list[_UserDevices], extra[len(_STATUSES) :]))
    every = _Reading(listings[0][1], listings, users, reading.tags)
    listed, refused = _compare(every, model)
    return reading.first, disagreements, (every.first, listed) if refused is None else None


@dataclass(frozen=True)
class _Reading:
    """What the views showed of the sequence's devices, reduced at once (never a whole entry)."""

    first: ApiCall
    # (AssignmentStatus, its first call, (serial, user) of the sequence's devices it listed)
    listings: tuple[tuple[str, ApiCall, tuple[tuple[str, str | None], ...]], ...]
    # (user, the call, the sequence's serials ListMFADevices gave, or its NoSuchEntity refusal)
    users: tuple[tuple[str, ApiCall, tuple[str, ...] | Rejection], ...]
    # (serial, the call, the (Key, Value) pairs ListMFADeviceTags gave, or its NoSuchEntity refusal)
    tags: tuple[tuple[str, ApiCall, tuple[tuple[str, str], ...] | Rejection], ...]


_Listed = tuple[str, ApiCall, tuple[tuple[str, str | None], ...]]  # see `_Reading.listings`
_UserDevices = tuple[str, ApiCall, tuple[str, ...] | Rejection]  # see `_Reading.users`
_Tags = tuple[str, ApiCall, tuple[tuple[str, str], ...] | Rejection]  # see `_Reading.tags`


def _read(
    suite: SuiteSession,
    model: LifecycleModel,
    tagged: frozenset[str],
    tagging: bool,
    every_view: bool,
    *,
    beside: Sequence[Callable[[], Any]] = (),
) -> tuple[_Reading, list[Any]]:
    """Every view, read side by side (`SuiteSession.side_by_side`): nothing is written while they are
    read, so their order changes nothing they show; each view's pages are walked in order. ``beside``:
    more reads sent with them (`compare_views_alongside`), their results returned in order."""
    statuses = _STATUSES if every_view else ("Any",)
    users = model.users if every_view else ()
    serials = sorted(tagged & set(model.devices)) if tagging else []
    if every_view or serials or beside:  # learned here, once, if not yet known: not by each thread at once
        suite.small_page(PAGE_SIZE)
    reads: list[Callable[[], _Listed | _UserDevices | _Tags]] = [
        *(partial(_listed_devices, suite, model, status, every_view) for status in statuses),
        *(partial(_user_devices, suite, model, user) for user in users),
        *(partial(_device_tags, suite, model, serial) for serial in serials),
    ]
    both = suite.side_by_side([*beside, *reads])
    read = both[len(beside) :]
    listings = cast(list[_Listed], read[: len(statuses)])
    held = cast(list[_UserDevices], read[len(statuses) : len(statuses) + len(users)])
    tags = cast(list[_Tags], read[len(statuses) + len(users) :])
    return _Reading(listings[0][1], tuple(listings), tuple(held), tuple(tags)), both[: len(beside)]


class _Failed:
    """A view read beside the answers check's that raised (`_quietly`): kept from its run."""


def _quietly(read: Callable[..., T], *arguments: Any) -> T | _Failed:
    """``read(*arguments)``; what it raises (an interrupt only a fault on the way raises, besides)
    becomes `_Failed`: a view the answers check does not read must not end its run."""
    try:
        return read(*arguments)
    except (Exception, FaultInterrupt):
        return _Failed()


def _listed_devices(
    suite: SuiteSession, model: LifecycleModel, status: str, every_view: bool, quiet: bool = False
) -> _Listed:
    """ListVirtualMFADevices under ``status``: every view pages at a small size (markers followed on
    every listing: `view_page_size`); the quick reading lists the devices at the model's largest.
    ``quiet``: through the unvalidated client (`compare_views_alongside`)."""
    shown = sum(_shown(status, device) for device in model.devices.values())
    page_size = view_page_size(suite, shown) if every_view else largest_page()
    params = {"AssignmentStatus": status}
    call, entries = _paged(suite, "list_virtual_mfa_devices", params, page_size, quiet)
    if isinstance(entries, Rejection):
        entries.unexpected()
    listed = tuple((serial, user) for serial, user in _devices(entries) if serial in model.known_serials)
    return status, call, listed


def _user_devices(suite: SuiteSession, model: LifecycleModel, user: str, quiet: bool = False) -> _UserDevices:
    size = view_page_size(suite, len(model.devices_of(user)))
    call, entries = _paged(suite, "list_mfa_devices", {"UserName": user}, size, quiet)
    if isinstance(entries, Rejection):
        return user, call, _not_visible_yet(entries)
    serials = (str(entry.get("SerialNumber", "")) for entry in entries)
    return user, call, tuple(serial for serial in serials if serial in model.known_serials)


def _device_tags(suite: SuiteSession, model: LifecycleModel, serial: str) -> _Tags:
    size = view_page_size(suite, len(model.devices[serial].tags))
    call, entries = _paged(suite, "list_mfa_device_tags", {"SerialNumber": serial}, size)
    if isinstance(entries, Rejection):
        return serial, call, _not_visible_yet(entries)
    return serial, call, tuple((str(tag.get("Key")), str(tag.get("Value"))) for tag in entries)


def view_page_size(suite: SuiteSession, expected: int) -> int:
    """MaxItems for a view the model expects ``expected`` entries in: at most `VIEW_PAGES` pages for
    them, never below the model's smallest, nor below what keeps a shared account's other devices from
    making the walk long (`SuiteSession.small_page`). Two entries or more always take two pages or
    more, so a Marker is followed (module docstring)."""
    return max(suite.small_page(PAGE_SIZE), -(-expected // VIEW_PAGES))


def _not_visible_yet(refusal: Rejection) -> Rejection:
    """A refusal that may only mean "not visible yet" (NoSuchEntity); any other ends the sequence."""
    if not not_visible_yet(refusal):
        refusal.unexpected()
    return refusal


def _compare(reading: _Reading, model: LifecycleModel) -> tuple[tuple[Disagreement, ...], Rejection | None]:
    """Where the reading differs from the model, and a refusal (not visible yet) of one of its views."""
    found: list[Disagreement] = []
    refused: Rejection | None = None
    for status, call, listed in reading.listings:
        wanted = {serial: device.user for serial, device in model.devices.items() if _shown(status, device)}
        found += _differences(call, wanted, listed)
    for user, call, serials in reading.users:
        if isinstance(serials, Rejection):
            refused = refused or serials
            continue
        held: list[tuple[str, str | None]] = [(serial, None) for serial in serials]
        found += _differences(call, dict.fromkeys(model.devices_of(user)), held)
    for serial, call, pairs in reading.tags:
        if isinstance(pairs, Rejection):
            refused = refused or pairs
            continue
        found += _tag_differences(call, model.devices[serial].tags, list(pairs))
    return tuple(found), refused


def _agrees_with(model: LifecycleModel) -> Callable[[_Reading], bool]:
    def agrees(reading: _Reading) -> bool:
        disagreements, refused = _compare(reading, model)
        return not disagreements and refused is None

    return agrees


def _shown(status: str, device: ModelDevice) -> bool:
    """Whether ListVirtualMFADevices under ``status`` lists the device (documented filter meaning)."""
    return status == "Any" or (status == "Assigned") == (device.user is not None)


_MEMBERS = {"list_virtual_mfa_devices": "VirtualMFADevices", "list_mfa_devices": "MFADevices"}


def _paged(
    suite: SuiteSession, operation: str, params: Mapping[str, Any], page_size: int | None, quiet: bool = False
) -> tuple[ApiCall, list[Any] | Rejection]:
    """Every entry of a list operation, page by page (``None``: the endpoint's default page size), or
    the refusal; only the members the views read are kept (never a whole entry, which may carry the
    seed). ``quiet``: through the unvalidated client (`compare_views_alongside`)."""
    first = {**params, **({"MaxItems": page_size} if page_size else {})}
    member, keep = _MEMBERS.get(operation, "Tags"), partial(_kept, operation)
    validated = not quiet
    call = suite.call(operation, first, validated=validated)
    return call, suite.entries(operation, first, member, keep, validated=validated)


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
