"""CreateVirtualMFADevice with tags: ListMFADeviceTags returns them afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import with_examples
from conformance.runner.profiles import suite_settings
from conformance.scenarios import checks_for, create_tags
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
    judge.gathered(check, create_tags.gather, params)
