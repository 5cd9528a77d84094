"""CreateVirtualMFADevice with requests that break exactly one constraint.

One test per (check, violated constraint): every constraint of the request (strategies.violations)
is tried in every run, and a failure names both the rule and the constraint that exposed it. The
requests go through the unvalidated client, so that boto3 does not refuse them before the endpoint.
Every run also sends, for each pattern, each character just outside an edge of its class
(`strategies.boundary_requests`), as explicit examples (with the ``aws`` profile, the tag key's and the
tag value's, one class, dealt out between the two: `_boundaries`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, per_label, with_boundaries
from conformance.runner.profiles import shares_probes, suite_settings
from conformance.scenarios import checks_for
from conformance.scenarios.invalid_create import gather
from strategies.boundary_requests import invalid_create_boundaries
from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.violations import InvalidRequest

# Members whose patterns have one character class (the same characters outside its edges).
_SAME_CLASS = ("tag.key.pattern", "tag.value.pattern")


def _boundaries() -> Mapping[str, tuple[InvalidRequest, ...]]:
    """The boundary requests per label. With the ``aws`` profile (`shares_probes`), the characters
    outside the class that the tag key and the tag value share are dealt out between the two members,
    each character sent once, in one of them (alternately), instead of in both: every edge of the
    class is still sent, and each member still gets edge characters of its own and its drawn request,
    so a member that is not validated at all is still caught; what is given up is an endpoint that
    refuses a character in a key and takes it in a value (or the reverse). Dealt only when the two
    members' characters outside the class are the same (checked here, from the model)."""
    found = dict(invalid_create_boundaries())
    if not shares_probes():
        return found
    outside = [[_broken_char(request) for request in found[label]] for label in _SAME_CLASS]
    if any(chars != outside[0] for chars in outside) or not outside[0]:
        return found
    for index, label in enumerate(_SAME_CLASS):
        found[label] = tuple(
            request for at, request in enumerate(found[label]) if at % len(_SAME_CLASS) == index
        ) or (found[label][index % len(found[label])],)
    return found


def _broken_char(request: InvalidRequest) -> str:
    """The character outside the class that a tag boundary request carries (its member's last)."""
    tags: Any = request.params["Tags"]
    return str(tags[0]["Key"] if request.violation.label == "tag.key.pattern" else tags[0]["Value"])[-1]


_BOUNDARIES = _boundaries()


def _invalid_request_test(label: str) -> Any:
    """The test of one violated constraint: its boundaries are its explicit examples (`per_label`)."""

    @pytest.mark.parametrize("label", [label])
    @pytest.mark.parametrize("check", checks_for(gather.INVALID), ids=str)
    @settings(suite_settings())
    @with_boundaries(_BOUNDARIES.get(label, ()))
    @given(data=st.data(), boundary=st.none())
    def test_invalid_request(
        check: Check[Any],
        label: str,
        data: st.DataObject | None,
        boundary: InvalidRequest | None,
        judge: Judge,
    ) -> None:
        strategy = invalid_create_virtual_mfa_device_requests([label])
        invalid = boundary_or_drawn(boundary, data, strategy, "invalid request")
        judge.gathered(check, gather.gather, invalid)

    return test_invalid_request


per_label("test_invalid_request", gather.LABELS, _invalid_request_test, globals())


@pytest.mark.parametrize("label", gather.LABELS)
@pytest.mark.parametrize("check", checks_for(gather.ATOMIC), ids=str)
@settings(suite_settings())
@given(data=st.data())
def test_refused_create_leaves_nothing(
    check: Check[Any], label: str, data: st.DataObject, judge: Judge
) -> None:
    invalid = data.draw(invalid_create_virtual_mfa_device_requests([label]), label="invalid request")
    if not shares_probes():
        judge.gathered(check, gather.gather_atomic, invalid, label)
        return
    # The aws profile: the refusal test_invalid_request observed of the same drawn request (the memo),
    # looked for in one listing shared with the other labels' (`gather.refusal_left_nothing`).
    refused = judge.observe(gather.gather, invalid)
    judge.gathered(check, gather.refusal_left_nothing, refused, label)
