"""CreateVirtualMFADevice for a name that is taken: on the same path, and on another path.

With the ``aws`` profile (`conformance.session.economy`): the same-path duplicate is observed with the
created device's own create (`duplicates.created_twice`, shared through the observation memo with
`test_valid_requests`), and the other-path duplicate, a check that only records what happens (INFO),
is sent the drawn request alone, not every valid edge case (each is judged by the created-device and
same-path checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import assume, given, settings

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import edge_case_twin, with_edge_cases
from conformance.runner.profiles import shares_probes, suite_settings
from conformance.scenarios import checks_for, duplicates
from strategies.valid import create_virtual_mfa_device_requests

F = TypeVar("F", bound=Callable[..., None])


def _edge_cases_unless_aws(test: F) -> F:
    return test if shares_probes() else with_edge_cases(test)


@pytest.mark.parametrize("check", checks_for(duplicates.SAME_PATH), ids=str)
@settings(suite_settings())
@with_edge_cases
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_path_and_name(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    if not shares_probes():
        judge.gathered(check, duplicates.gather, params, None)
        return
    seen = duplicates.same_path(judge.observe(duplicates.created_twice, edge_case_twin(params)))
    assume(seen is not None)  # the valid create was refused: judged by vmfa.create.valid-request-accepted
    judge(check, seen)


@pytest.mark.parametrize("check", checks_for(duplicates.OTHER_PATH), ids=str)
@settings(suite_settings())
@_edge_cases_unless_aws
@given(params=create_virtual_mfa_device_requests(serial_safe=True))
def test_same_name_on_another_path(check: Check[Any], params: dict[str, Any], judge: Judge) -> None:
    judge.gathered(check, duplicates.gather, params, duplicates.other_path(params))
