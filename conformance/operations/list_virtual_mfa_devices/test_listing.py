"""ListVirtualMFADevices: paging through devices created for the purpose, and requests it must refuse
(`conformance.scenarios.listing`)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, listing
from strategies.list_requests import INVALID_LIST_LABELS, invalid_list_requests, unissued_markers


@pytest.mark.parametrize("check", checks_for(listing.PAGING), ids=str)
@settings(suite_settings())
@given(plan=listing.PLANS)
def test_paging(check: Check[Any], plan: tuple[list[str], int, str], judge: Judge) -> None:
    judge.gathered(check, listing.gather_paging, plan)


@pytest.mark.parametrize("label", sorted(INVALID_LIST_LABELS))
@pytest.mark.parametrize("check", checks_for(listing.INVALID), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_invalid_list_request(check: Check[Any], label: str, data: st.DataObject, judge: Judge) -> None:
    params = data.draw(invalid_list_requests(label), label="params")
    judge.gathered(check, listing.gather_invalid, params, INVALID_LIST_LABELS[label])


@pytest.mark.parametrize("check", checks_for(listing.UNKNOWN_MARKER), ids=str)
@settings(suite_settings())
@given(marker=unissued_markers())
def test_unknown_marker(check: Check[Any], marker: str, judge: Judge) -> None:
    case = "a Marker the endpoint never issued"
    judge.gathered(check, listing.gather_invalid, {"Marker": marker}, case)
