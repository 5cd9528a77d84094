"""CreateVirtualMFADevice with tags: ListMFADeviceTags returns them afterwards. With the ``aws`` profile
the device is the one `conformance.scenarios.duplicates.created_twice` creates (its tags listed before
the duplicate is sent), shared through the observation memo with the duplicate and created-device tests."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import with_examples
from conformance.runner.profiles import shares_probes, suite_settings
from conformance.scenarios import checks_for, create_tags, duplicates
from strategies.edge_cases import create_request_edge_cases
from strategies.tags import tag_list_max, tag_lists
from strategies.valid import create_virtual_mfa_device_requests

_TAGGED_CASES = [case for case in create_request_edge_cases() if case.params.get("Tags")]
_TAGGED_REQUESTS = st.builds(
    lambda params, tags: {**params, "Tags": tags},
    create_virtual_mfa_device_requests(serial_safe=True),
    tag_lists(1, tag_list_max()),
)


@pytest.mark.parametrize("check", checks_for(create_tags.TAGGED), ids=str)
@settings(suite_settings())
@with_examples(_TAGGED_CASES)
@given(params=_TAGGED_REQUESTS)
def test_tags_given_at_creation(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    if not shares_probes():
        judge.gathered(check, create_tags.gather, params)
        return
    twice: duplicates.CreatedTwice = judge.observe(duplicates.created_twice, params)
    tags = twice.tags  # None: the valid create was refused, judged by vmfa.create.valid-request-accepted
    assume(tags is not None)
    assert tags is not None
    judge(check, dataclasses.replace(tags, calls=twice.calls))
