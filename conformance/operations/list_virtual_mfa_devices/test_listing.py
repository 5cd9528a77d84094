"""ListVirtualMFADevices: paging through devices created for the purpose, and requests it must refuse
(`conformance.scenarios.listing`). Every run pages at both ends of MaxItems' range, and sends MaxItems
one past each end and Markers at the edges of their class (`strategies.list_requests`)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, per_label, with_boundaries
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, listing
from strategies.list_requests import (
    INVALID_LIST_LABELS,
    boundary_marker,
    invalid_list_boundaries,
    invalid_list_requests,
    page_size_bounds,
    unissued_markers,
)

# Two devices paged at the smallest MaxItems (a page each) and at the largest (one page for both).
_SMALLEST, _LARGEST = page_size_bounds()
# A run that draws one example per test (the aws profile on AWS) would draw Hypothesis's simplest plan:
# two devices at the smallest MaxItems under Any, the first example again (tests/test_aws_economy.py).
# There, only the examples are sent.
_PAGING_SETTINGS = (
    settings(suite_settings(), phases=(Phase.explicit,))
    if suite_settings().max_examples <= 1
    else suite_settings()
)


# exclusive: with --workers, another worker's creates and deletes would shift the pages of an endpoint
# whose Marker is a position (moto's); it runs alone, after the others (conformance.runner.workers).
@pytest.mark.exclusive
@pytest.mark.parametrize("check", checks_for(listing.PAGING), ids=str)
@settings(_PAGING_SETTINGS)
@example(plan=(["paged", "paged-too"], _SMALLEST, "Any"))
@example(plan=(["paged", "paged-too"], _LARGEST, "Unassigned"))
@given(plan=listing.PLANS)
def test_paging(check: Check[Any], plan: tuple[list[str], int, str], judge: Judge) -> None:
    judge.gathered(check, listing.gather_paging, plan)


def _invalid_list_test(label: str) -> Any:
    """The test of one violated constraint, with its own boundaries (`per_label`)."""

    @pytest.mark.parametrize("label", [label])
    @pytest.mark.parametrize("check", checks_for(listing.INVALID), ids=str)
    @settings(suite_settings())
    @with_boundaries(invalid_list_boundaries().get(label, ()))
    @given(data=st.data(), boundary=st.none())
    def test_invalid_list_request(
        check: Check[Any],
        label: str,
        data: st.DataObject | None,
        boundary: dict[str, Any] | None,
        judge: Judge,
    ) -> None:
        params = boundary_or_drawn(boundary, data, invalid_list_requests(label), "params")
        judge.gathered(check, listing.gather_invalid, params, INVALID_LIST_LABELS[label])

    return test_invalid_list_request


per_label("test_invalid_list_request", sorted(INVALID_LIST_LABELS), _invalid_list_test, globals())


@pytest.mark.parametrize("check", checks_for(listing.UNKNOWN_MARKER), ids=str)
@settings(suite_settings())
@example(marker=boundary_marker())
@given(marker=unissued_markers())
def test_unknown_marker(check: Check[Any], marker: str, judge: Judge) -> None:
    case = "a Marker the endpoint never issued"
    judge.gathered(check, listing.gather_invalid, {"Marker": marker}, case)
