"""TagMFADevice, UntagMFADevice and ListMFADeviceTags on a device created for the purpose
(`conformance.scenarios.device_tags`: the plans drawn, the gatherers, the observations and checks).

An endpoint that lacks one of the three operations ends the test as NOT_IMPLEMENTED, not as a failure
of the rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for
from conformance.scenarios.device_tags import checks as tags
from conformance.scenarios.device_tags import gather
from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.tags import Tag, tag_lists


@pytest.mark.parametrize("check", checks_for(tags.TAGGING), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), plan=gather.tag_plans())
def test_tag_device(
    check: Check[Any], params: dict[str, Any], plan: tuple[list[Tag], list[Tag]], judge: Judge
) -> None:
    judge.gathered(check, gather.gather_tagging, params, plan)


@pytest.mark.parametrize("check", checks_for(tags.KEY_CASE), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), twins=gather.case_twins())
def test_tag_key_in_other_case(
    check: Check[Any], params: dict[str, Any], twins: tuple[Tag, Tag], judge: Judge
) -> None:
    judge.gathered(check, gather.gather_key_case, params, twins)


@pytest.mark.parametrize("check", checks_for(tags.UNTAGGING), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), plan=gather.untag_plans())
def test_untag_device(
    check: Check[Any], params: dict[str, Any], plan: tuple[list[Tag], list[str]], judge: Judge
) -> None:
    judge.gathered(check, gather.gather_untagging, params, plan)


@pytest.mark.parametrize("check", checks_for(tags.LIMIT), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), plan=gather.limit_plans())
def test_tag_past_the_limit(
    check: Check[Any], params: dict[str, Any], plan: tuple[list[Tag], list[Tag]], judge: Judge
) -> None:
    judge.gathered(check, gather.gather_limit, params, plan)


@pytest.mark.parametrize("label", gather.TAG_LABELS)
@pytest.mark.parametrize("check", checks_for(tags.INVALID_TAGS), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), data=st.data())
def test_tag_with_invalid_tags(
    check: Check[Any], label: str, params: dict[str, Any], data: st.DataObject, judge: Judge
) -> None:
    invalid = data.draw(invalid_create_virtual_mfa_device_requests([label]), label="invalid tags")
    judge.gathered(check, gather.gather_invalid, params, invalid)


@pytest.mark.parametrize("check", checks_for(tags.UNKNOWN_DEVICE), ids=str)
@settings(suite_settings())
@given(params=gather.device_requests(), tag=tag_lists(1, 1))
def test_tags_of_unknown_device(
    check: Check[Any], params: dict[str, Any], tag: list[Tag], judge: Judge
) -> None:
    judge.gathered(check, gather.gather_unknown_device, params, tag)
