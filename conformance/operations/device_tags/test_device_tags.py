"""TagMFADevice, UntagMFADevice and ListMFADeviceTags on a device created for the purpose.

Every example creates a serial-safe device (its tags, where the rule needs some, given at creation:
one call instead of a TagMFADevice per tag) and deletes it afterwards. An endpoint that lacks one of the
three operations ends the test as NOT_IMPLEMENTED, not as a failure of the rule.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conformance.checks.device_tags import (
    CaseProbe,
    InvalidTagging,
    LimitProbe,
    Tagging,
    TagPairs,
    UnknownDeviceProbe,
    Untagging,
)
from conformance.checks.registry import Check, checks_for
from conformance.observations import CreatedDevice, Rejection
from conformance.profiles import suite_settings
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.alphabets import strings
from strategies.invalid import OVERSHOOT, invalid_create_virtual_mfa_device_requests
from strategies.tags import (
    Tag,
    built_tag_lists,
    keys_collide,
    swap_ascii_case,
    tag_bounds,
    tag_list_max,
    tag_lists,
    tag_pool,
    tag_values,
)
from strategies.valid import create_virtual_mfa_device_requests
from strategies.violations import CREATE_LABELS

_SMALL = 3  # tags per list where the count is not the point
# The create labels that break only the tag list: the same constraints bind TagMFADevice's Tags.
TAG_LABELS = [spec.label for spec in CREATE_LABELS if spec.member.startswith("Tags")]


def _device_requests() -> st.SearchStrategy[dict[str, Any]]:
    """Valid create requests whose serial the model allows, without tags (tests set their own)."""

    def untagged(params: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in params.items() if name != "Tags"}

    return create_virtual_mfa_device_requests(serial_safe=True).map(untagged)


def _pairs(tags: list[Tag]) -> TagPairs:
    return tuple((tag["Key"], tag["Value"]) for tag in tags)


def _tags_once(
    suite: SuiteSession, serial: str, written: Callable[[TagPairs], bool], answer: Rejection | None
) -> TagPairs:
    """The device's tags once they show the write (polled on remote targets); none if it was refused."""
    if answer is not None:
        return ()
    return suite.settle(lambda: suite.device_tags(serial), written)


def _tags(pairs: TagPairs) -> list[Tag]:
    return [{"Key": key, "Value": value} for key, value in pairs]


@st.composite
def _tag_plans(draw: st.DrawFn) -> tuple[list[Tag], list[Tag]]:
    """(tags at creation, tags sent to TagMFADevice): at least one new key and one exact overwrite."""
    held = draw(tag_lists(1, _SMALL))
    overwritten = draw(st.lists(st.sampled_from(held), min_size=1, max_size=len(held), unique_by=str))
    fresh = draw(tag_lists(1, _SMALL))
    assume(not any(keys_collide(new["Key"], old["Key"]) for new in fresh for old in held))
    sent = [{"Key": tag["Key"], "Value": draw(tag_values())} for tag in overwritten] + fresh
    return held, draw(st.permutations(sent))


@pytest.mark.parametrize("check", checks_for("device.tags.tag"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), plan=_tag_plans())
def test_tag_device(
    check: Check[Any],
    params: dict[str, Any],
    plan: tuple[list[Tag], list[Tag]],
    suite: SuiteSession,
    judge: Judge,
) -> None:
    held, sent = plan
    with suite.create_device({**params, "Tags": held}) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        call, answer = suite.answer("tag_mfa_device", {"SerialNumber": device.serial_number, "Tags": sent})
        expected = dict(_pairs(held)) | dict(_pairs(sent))  # exact keys only: no case twins in the plan
        listed = _tags_once(suite, device.serial_number, lambda tags: dict(tags) == expected, answer)
        judge(check, Tagging(call, _pairs(held), _pairs(sent), answer, listed))


@st.composite
def _case_twins(draw: st.DrawFn) -> tuple[Tag, Tag]:
    """A tag, and the same key with its ASCII letters' case swapped (it has one) and another value."""
    rest = draw(strings(tag_pool("Key"), 0, tag_bounds("Key")[1] - 1))
    key = draw(st.sampled_from(string.ascii_letters)) + rest
    return {"Key": key, "Value": draw(tag_values())}, {
        "Key": swap_ascii_case(key),
        "Value": draw(tag_values()),
    }


@pytest.mark.parametrize("check", checks_for("device.tags.key-case"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), twins=_case_twins())
def test_tag_key_in_other_case(
    check: Check[Any], params: dict[str, Any], twins: tuple[Tag, Tag], suite: SuiteSession, judge: Judge
) -> None:
    held, sent = twins
    with suite.create_device({**params, "Tags": [held]}) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        call, answer = suite.answer("tag_mfa_device", {"SerialNumber": device.serial_number, "Tags": [sent]})
        before = ((held["Key"], held["Value"]),)
        listed = _tags_once(suite, device.serial_number, lambda tags: tags != before, answer)
        probe = CaseProbe(call, (held["Key"], held["Value"]), (sent["Key"], sent["Value"]), answer, listed)
        judge(check, probe)


@st.composite
def _untag_plans(draw: st.DrawFn) -> tuple[list[Tag], list[str]]:
    """(tags at creation, a non-empty selection of their exact keys to remove)."""
    held = draw(tag_lists(1, _SMALL + 1))
    removed = draw(st.lists(st.sampled_from([tag["Key"] for tag in held]), min_size=1, unique=True))
    return held, removed


@pytest.mark.parametrize("check", checks_for("device.tags.untag"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), plan=_untag_plans())
def test_untag_device(
    check: Check[Any],
    params: dict[str, Any],
    plan: tuple[list[Tag], list[str]],
    suite: SuiteSession,
    judge: Judge,
) -> None:
    held, removed = plan
    with suite.create_device({**params, "Tags": held}) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        request = {"SerialNumber": device.serial_number, "TagKeys": removed}
        call, answer = suite.answer("untag_mfa_device", request)
        gone = set(removed)
        listed = _tags_once(suite, device.serial_number, lambda tags: not gone & dict(tags).keys(), answer)
        judge(check, Untagging(call, _pairs(held), tuple(removed), answer, listed))


@st.composite
def _limit_plans(draw: st.DrawFn) -> tuple[list[Tag], list[Tag]]:
    """(tags at creation, tags sent): each list valid, their total just past the model's maximum.

    Built, not drawn tag by tag (strategies.tags.built_tag_lists), as strategies.invalid's over-long list.
    """
    limit = tag_list_max()
    tags = draw(built_tag_lists(limit + 1, limit + OVERSHOOT))
    held_count = draw(st.integers(len(tags) - limit, limit))
    return tags[:held_count], tags[held_count:]


@pytest.mark.parametrize("check", checks_for("device.tags.limit"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), plan=_limit_plans())
def test_tag_past_the_limit(
    check: Check[Any],
    params: dict[str, Any],
    plan: tuple[list[Tag], list[Tag]],
    suite: SuiteSession,
    judge: Judge,
) -> None:
    held, sent = plan
    with suite.create_device({**params, "Tags": held}) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        call, answer = suite.answer("tag_mfa_device", {"SerialNumber": device.serial_number, "Tags": sent})
        held_after = None if answer is not None else len(suite.device_tags(device.serial_number))
        judge(check, LimitProbe(call, len(held), len(sent), tag_list_max(), answer, held_after))


@pytest.mark.parametrize("label", TAG_LABELS)
@pytest.mark.parametrize("check", checks_for("device.tags.invalid"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), data=st.data())
def test_tag_with_invalid_tags(
    check: Check[Any],
    label: str,
    params: dict[str, Any],
    data: st.DataObject,
    suite: SuiteSession,
    judge: Judge,
) -> None:
    invalid = data.draw(invalid_create_virtual_mfa_device_requests([label]), label="invalid tags")
    with suite.create_device(params) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        request = {"SerialNumber": device.serial_number, "Tags": invalid.params["Tags"]}
        call, answer = suite.answer("tag_mfa_device", request, validated=False)
        judge(check, InvalidTagging(call, invalid.violation, answer))


@pytest.mark.parametrize("check", checks_for("device.tags.unknown-device"), ids=str)
@settings(suite_settings())
@given(params=_device_requests(), tag=tag_lists(1, 1))
def test_tags_of_unknown_device(
    check: Check[Any], params: dict[str, Any], tag: list[Tag], suite: SuiteSession, judge: Judge
) -> None:
    with suite.create_device(params) as device:
        assume(isinstance(device, CreatedDevice) and device.serial_number)
        assert isinstance(device, CreatedDevice) and device.serial_number
        serial = device.serial_number
    # The device existed a moment ago and is deleted now: a well-formed serial with nothing behind it.
    requests: list[tuple[str, dict[str, Any]]] = [
        ("tag_mfa_device", {"SerialNumber": serial, "Tags": tag}),
        ("untag_mfa_device", {"SerialNumber": serial, "TagKeys": [tag[0]["Key"]]}),
        ("list_mfa_device_tags", {"SerialNumber": serial}),
    ]
    judge(
        check,
        UnknownDeviceProbe(tuple(suite.answer(operation, request) for operation, request in requests)),
    )
