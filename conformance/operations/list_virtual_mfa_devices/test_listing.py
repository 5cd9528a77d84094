"""ListVirtualMFADevices: paging through devices created for the purpose, and requests it must refuse.

Paging creates a few serial-safe devices (each name with a unique token), walks every page at a drawn
``MaxItems`` smaller than their number, and deletes them. The invalid requests need no device.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.checks.listing import InvalidListing, ListedPage, PagedListing
from conformance.checks.registry import Check, checks_for
from conformance.observations import CreatedDevice, Rejection, refusal
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.list_requests import INVALID_LIST_LABELS, invalid_list_requests, page_sizes, unissued_markers
from strategies.names import virtual_mfa_device_names

_MAX_DEVICES = 4
_NAMES = st.lists(
    virtual_mfa_device_names(serial_safe=True, max_length=20), min_size=2, max_size=_MAX_DEVICES, unique=True
)
_MAX_PAGES = 1000  # a walk that never ends is cut here (an endpoint whose Marker loops)


@st.composite
def _plans(draw: st.DrawFn) -> tuple[list[str], int, str]:
    """(device names, MaxItems below their number, the AssignmentStatus to walk: both list them)."""
    names = draw(_NAMES)
    return names, draw(page_sizes(len(names) - 1)), draw(st.sampled_from(["Any", "Unassigned"]))


def _walk(suite: SuiteSession, params: dict[str, Any], created: frozenset[str]) -> PagedListing:
    pages: list[ListedPage] = []
    first_call = suite.call("list_virtual_mfa_devices", params)
    request = dict(params)
    while len(pages) < _MAX_PAGES:
        call, answer = suite.invoke("list_virtual_mfa_devices", request)
        if isinstance(answer, Rejection):
            return PagedListing(call, params["MaxItems"], created, tuple(pages), answer)
        serials = tuple(str(entry.get("SerialNumber")) for entry in answer.get("VirtualMFADevices", ()))
        del answer["VirtualMFADevices"]  # an entry may (wrongly) hold a seed: keep serials only
        marker = answer.get("Marker")
        pages.append(ListedPage(serials, bool(answer.get("IsTruncated")), marker is not None))
        if not answer.get("IsTruncated") or marker is None:
            break
        request = {**params, "Marker": marker}
    return PagedListing(first_call, params["MaxItems"], created, tuple(pages), None)


def _create_all(suite: SuiteSession, names: list[str], stack: contextlib.ExitStack) -> frozenset[str]:
    """Create a device per name (each deleted when ``stack`` closes); drop the example unless all were."""
    serials = set()
    for name in names:
        device = stack.enter_context(suite.create_device({"VirtualMFADeviceName": name}))
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        serials.add(device.serial_number)
    return frozenset(serials)


@pytest.mark.parametrize("check", checks_for("list.paging"), ids=str)
@settings(suite_settings())
@given(plan=_plans())
def test_paging(
    check: Check[Any], plan: tuple[list[str], int, str], suite: SuiteSession, judge: Judge
) -> None:
    names, max_items, status = plan
    token = suite.unique_token()
    with contextlib.ExitStack() as stack:
        created = _create_all(suite, [f"{name}-{token}" for name in names], stack)
        suite.settle(suite.device_serials, lambda listed: created <= listed)  # remote targets: let them show
        judge(check, _walk(suite, {"AssignmentStatus": status, "MaxItems": max_items}, created))


@pytest.mark.parametrize("label", sorted(INVALID_LIST_LABELS))
@pytest.mark.parametrize("check", checks_for("list.invalid"), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_invalid_list_request(
    check: Check[Any], label: str, data: st.DataObject, suite: SuiteSession, judge: Judge
) -> None:
    params = data.draw(invalid_list_requests(label), label="params")
    call, answer = suite.invoke("list_virtual_mfa_devices", params, validated=False)
    judge(check, InvalidListing(call, INVALID_LIST_LABELS[label], refusal(answer)))


@pytest.mark.parametrize("check", checks_for("list.unknown-marker"), ids=str)
@settings(suite_settings())
@given(marker=unissued_markers())
def test_unknown_marker(check: Check[Any], marker: str, suite: SuiteSession, judge: Judge) -> None:
    call, answer = suite.invoke("list_virtual_mfa_devices", {"Marker": marker}, validated=False)
    judge(check, InvalidListing(call, "a Marker the endpoint never issued", refusal(answer)))
