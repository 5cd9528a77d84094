"""CreateVirtualMFADevice with tags: ListMFADeviceTags returns them afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.checks.registry import Check, checks_for
from conformance.explicit_examples import with_examples
from conformance.observations import CreatedDevice, ListedTags
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.edge_cases import create_request_edge_cases
from strategies.tags import tag_list_max, tag_lists
from strategies.valid import create_virtual_mfa_device_requests

_TAGGED_CASES = [case for case in create_request_edge_cases() if case.params.get("Tags")]
_TAGGED_REQUESTS = st.builds(
    lambda params, tags: {**params, "Tags": tags},
    create_virtual_mfa_device_requests(serial_safe=True),
    tag_lists(1, tag_list_max()),
)


@pytest.mark.parametrize("check", checks_for("create.tagged"), ids=str)
@settings(suite_settings())
@with_examples(_TAGGED_CASES)
@given(params=_TAGGED_REQUESTS)
def test_tags_given_at_creation(
    check: Check[Any], params: dict[str, Any], suite: SuiteSession, judge: Judge
) -> None:
    with suite.create_device(params) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        sent = tuple((tag["Key"], tag["Value"]) for tag in params.get("Tags", ()))
        serial = device.serial_number  # polled on remote targets until the tags show
        listed = suite.settle(lambda: suite.device_tags(serial), lambda tags: sorted(tags) == sorted(sent))
        judge(check, ListedTags(device, sent, listed))
