"""The health watch (`conformance.session.health`): when a basic read that worked starts answering 5xx,
the endpoint is broken since the first call it accepted after that read; a hiccup is not a breakage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.session.calls import ApiCall, Rejection, Reply
from conformance.session.health import EndpointBroke, HealthWatch


def _reply(operation: str, status: int = 200, *, validated: bool = True, **params: Any) -> Reply:
    call = ApiCall("iam", operation, params, None, "us-east-1", validated)
    if status == 200:
        return Reply(call, {}, None)
    return Reply(call, None, Rejection(call, status, "ServiceFailure" if status >= 500 else "X", "m", ""))


def _answers(*statuses: int) -> Callable[[], Reply]:
    """What the watch gets when it sends the failed read again: these answers, in turn."""
    left = list(statuses)
    return lambda: _reply("list_virtual_mfa_devices", left.pop(0), AssignmentStatus="Any")


_READ = _reply("list_virtual_mfa_devices", AssignmentStatus="Any")
_FAILED_READ = _reply("list_virtual_mfa_devices", 500, AssignmentStatus="Any")


def test_a_read_that_worked_and_then_fails_twice_breaks_the_endpoint_since_the_first_accepted_write() -> None:
    watch = HealthWatch()
    watch.saw(_READ, _answers())
    watch.arm("vmfa.lifecycle.answers-agree")
    watch.saw(_reply("delete_virtual_mfa_device", 409, SerialNumber="s"), _answers())  # refused: no change
    watch.saw(_reply("delete_user", UserName="u1"), _answers())  # accepted: the step
    watch.saw(_reply("create_user", UserName="u2"), _answers())
    with pytest.raises(EndpointBroke) as raised:
        watch.saw(_FAILED_READ, _answers(500))
    breakage = raised.value.breakage
    assert breakage.label == "vmfa.lifecycle.answers-agree"
    assert breakage.step == "DeleteUser(UserName='u1')"
    assert breakage.read == "ListVirtualMFADevices(AssignmentStatus='Any') -> HTTP 500 ServiceFailure: m"
    assert breakage.describe() == (
        "the endpoint has answered 5xx to basic reads since vmfa.lifecycle.answers-agree, "
        "step DeleteUser(UserName='u1') (or the one call it accepted after it)"
    )
    assert watch.broken == breakage
    watch.saw(_FAILED_READ, _answers(500))  # the test's own cleanup: ended once already, not again
    watch.arm("vmfa.list.paging-complete")  # the next test meets the broken endpoint: it ends at once
    with pytest.raises(EndpointBroke):
        watch.saw(_FAILED_READ, _answers())
    assert watch.broken == breakage  # named once, for the rest of the run


def test_a_failed_read_that_works_when_sent_again_is_a_hiccup() -> None:
    watch = HealthWatch()
    watch.saw(_READ, _answers())
    watch.arm("check")
    watch.saw(_FAILED_READ, _answers(200))
    assert watch.broken is None


def test_only_a_read_that_worked_before_can_break() -> None:
    watch = HealthWatch()
    watch.arm("check")
    watch.saw(_FAILED_READ, _answers(500))  # never worked: an endpoint that cannot list, not a breakage
    assert watch.broken is None


@pytest.mark.parametrize(
    "read",
    [
        _reply("list_virtual_mfa_devices", 500, Marker="m"),  # a page: its Marker may be what failed
        _reply("list_virtual_mfa_devices", 500, validated=False, MaxItems=0),  # an invalid request
        _reply("list_mfa_devices", 500, UserName="u"),  # depends on its input
    ],
    ids=["marker", "unvalidated", "other-read"],
)
def test_only_a_basic_read_tells(read: Reply) -> None:
    watch = HealthWatch()
    watch.saw(_READ, _answers())
    watch.arm("check")
    watch.saw(read, _answers(500))
    assert watch.broken is None


def test_outside_a_test_the_watch_notes_the_breakage_without_raising() -> None:
    watch = HealthWatch()
    watch.worked()  # the endpoint's check before the first test
    watch.saw(_reply("delete_user", UserName="u1"), _answers())
    watch.saw(_FAILED_READ, _answers(500))  # the final sweep, say
    assert watch.broken is not None
    assert watch.broken.since() == "between checks, step DeleteUser(UserName='u1')"


def test_calls_after_one_that_answered_5xx_are_not_candidates() -> None:
    watch = HealthWatch()
    watch.saw(_READ, _answers())
    watch.saw(_reply("delete_user", UserName="u1"), _answers())  # accepted: the step
    watch.saw(_reply("delete_virtual_mfa_device", 500, SerialNumber="s"), _answers())  # the damage shows
    watch.saw(_reply("create_user", UserName="u2"), _answers())  # accepted, but after the damage showed
    watch.saw(_FAILED_READ, _answers(500))
    assert watch.broken is not None
    assert watch.broken.since() == "between checks, step DeleteUser(UserName='u1')"
