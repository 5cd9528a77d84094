"""Gathering the tag scenarios: what is sent (the plans drawn), and what is observed of each.

Every gatherer creates a serial-safe device and deletes it afterwards; each returns None when that
valid create was refused (judged elsewhere). A tag operation the endpoint lacks ends the example as
NOT_IMPLEMENTED (``offered()``), not as a failure of the rule.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from conformance.judging.memo import overlappable
from conformance.scenarios.device_tags.checks import (
    InvalidTagging,
    KeyCaseTagging,
    Tagging,
    TagLimit,
    TagPairs,
    UnknownDeviceTags,
    Untagging,
)
from conformance.scenarios.probe_world import probe_world
from conformance.scenarios.recorded import recorded
from conformance.session.calls import Rejection, Reply
from conformance.session.devices import CreatedDevice
from conformance.session.economy import shares_probes
from conformance.session.suite import SuiteSession
from strategies.alphabets import strings
from strategies.invalid import OVERSHOOT
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
from strategies.violations import CREATE_LABELS, InvalidRequest

__all__ = [
    "TAG_LABELS",
    "case_twins",
    "device_requests",
    "gather_invalid",
    "gather_key_case",
    "gather_limit",
    "gather_tagging",
    "gather_unknown_device",
    "gather_untagging",
    "limit_plans",
    "tag_plans",
    "untag_plans",
]

_SMALL = 3  # tags per list where the count is not the point
# The create labels that break only the tag list: the same constraints bind TagMFADevice's Tags.
TAG_LABELS = [spec.label for spec in CREATE_LABELS if spec.member.startswith("Tags")]


def device_requests() -> st.SearchStrategy[dict[str, Any]]:
    """Valid create requests whose serial the model allows, without tags (tests set their own)."""

    def untagged(params: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in params.items() if name != "Tags"}

    return create_virtual_mfa_device_requests(serial_safe=True).map(untagged)


def _pairs(tags: list[Tag]) -> TagPairs:
    return tuple((tag["Key"], tag["Value"]) for tag in tags)


@contextmanager
def _device(suite: SuiteSession, params: dict[str, Any], tags: list[Tag]) -> Iterator[str | None]:
    """A device created with ``tags`` (its serial; None when the create was refused), deleted after."""
    with suite.create_device({**params, "Tags": tags} if tags else params) as device:
        yield device.serial_number if isinstance(device, CreatedDevice) else None


def _tags_once(
    suite: SuiteSession, serial: str, written: Callable[[TagPairs], bool], answer: Rejection | None
) -> TagPairs:
    """The device's tags once they show the write (polled on remote targets); none if it was refused."""
    if answer is not None:
        return ()
    return suite.device_tags(serial, written)


@st.composite
def tag_plans(draw: st.DrawFn) -> tuple[list[Tag], list[Tag]]:
    """(tags at creation, tags sent to TagMFADevice): at least one new key and one exact overwrite."""
    held = draw(tag_lists(1, _SMALL))
    overwritten = draw(st.lists(st.sampled_from(held), min_size=1, max_size=len(held), unique_by=str))
    fresh = draw(tag_lists(1, _SMALL))
    assume(not any(keys_collide(new["Key"], old["Key"]) for new in fresh for old in held))
    sent = [{"Key": tag["Key"], "Value": draw(tag_values())} for tag in overwritten] + fresh
    return held, draw(st.permutations(sent))


@overlappable
@recorded
def gather_tagging(
    suite: SuiteSession, params: dict[str, Any], plan: tuple[list[Tag], list[Tag]]
) -> Tagging | None:
    held, sent = plan
    with _device(suite, params, held) as serial:
        if serial is None:
            return None
        reply = suite.send("tag_mfa_device", {"SerialNumber": serial, "Tags": sent}).offered()
        expected = dict(_pairs(held)) | dict(_pairs(sent))  # exact keys only: no case twins in the plan
        listed = _tags_once(suite, serial, lambda tags: dict(tags) == expected, reply.rejection)
        return Tagging(reply.call, _pairs(held), _pairs(sent), reply.rejection, listed)


@st.composite
def case_twins(draw: st.DrawFn) -> tuple[Tag, Tag]:
    """A tag, and the same key with its ASCII letters' case swapped (it has one) and another value.

    Another value, always: an overwrite then shows in the list, which an eventually consistent endpoint
    is read until it does (the same value would leave nothing to wait for, and the patience spent)."""
    rest = draw(strings(tag_pool("Key"), 0, tag_bounds("Key")[1] - 1))
    key = draw(st.sampled_from(string.ascii_letters)) + rest
    held = draw(tag_values())
    return {"Key": key, "Value": held}, {
        "Key": swap_ascii_case(key),
        "Value": draw(tag_values().filter(lambda value: value != held)),
    }


@overlappable
@recorded
def gather_key_case(
    suite: SuiteSession, params: dict[str, Any], twins: tuple[Tag, Tag]
) -> KeyCaseTagging | None:
    held, sent = twins
    with _device(suite, params, [held]) as serial:
        if serial is None:
            return None
        reply = suite.send("tag_mfa_device", {"SerialNumber": serial, "Tags": [sent]}).offered()
        before = ((held["Key"], held["Value"]),)
        listed = _tags_once(suite, serial, lambda tags: tags != before, reply.rejection)
        pair_held, pair_sent = (held["Key"], held["Value"]), (sent["Key"], sent["Value"])
        return KeyCaseTagging(reply.call, pair_held, pair_sent, reply.rejection, listed)


@st.composite
def untag_plans(draw: st.DrawFn) -> tuple[list[Tag], list[str]]:
    """(tags at creation, a non-empty selection of their exact keys to remove)."""
    held = draw(tag_lists(1, _SMALL + 1))
    removed = draw(st.lists(st.sampled_from([tag["Key"] for tag in held]), min_size=1, unique=True))
    return held, removed


@overlappable
@recorded
def gather_untagging(
    suite: SuiteSession, params: dict[str, Any], plan: tuple[list[Tag], list[str]]
) -> Untagging | None:
    held, removed = plan
    with _device(suite, params, held) as serial:
        if serial is None:
            return None
        reply = suite.send("untag_mfa_device", {"SerialNumber": serial, "TagKeys": removed}).offered()
        # Polled until the list is exactly what should remain, not merely without the removed keys: a
        # device deleted a moment ago under the same name (the previous example's, or another test's
        # gathered beside it) still shows to a lagging read, and it holds none of them either.
        kept = sorted(pair for pair in _pairs(held) if pair[0] not in set(removed))
        listed = _tags_once(suite, serial, lambda tags: sorted(tags) == kept, reply.rejection)
        return Untagging(reply.call, _pairs(held), tuple(removed), reply.rejection, listed)


@st.composite
def limit_plans(draw: st.DrawFn) -> tuple[list[Tag], list[Tag]]:
    """(tags at creation, tags sent): each list valid, their total just past the model's maximum.

    Built, not drawn tag by tag (strategies.tags.built_tag_lists), as strategies.invalid's over-long list.
    """
    limit = tag_list_max()
    tags = draw(built_tag_lists(limit + 1, limit + OVERSHOOT))
    held_count = draw(st.integers(len(tags) - limit, limit))
    return tags[:held_count], tags[held_count:]


@overlappable
@recorded
def gather_limit(
    suite: SuiteSession, params: dict[str, Any], plan: tuple[list[Tag], list[Tag]]
) -> TagLimit | None:
    held, sent = plan
    with _device(suite, params, held) as serial:
        if serial is None:
            return None
        reply = suite.send("tag_mfa_device", {"SerialNumber": serial, "Tags": sent}).offered()
        accepted = reply.rejection is None  # then the tags listed must show it: polled until they do
        held_after = len(suite.device_tags(serial, lambda tags: len(tags) != len(held))) if accepted else None
        return TagLimit(reply.call, len(held), len(sent), tag_list_max(), reply.rejection, held_after)


def gather_invalid(
    suite: SuiteSession, params: dict[str, Any], invalid: InvalidRequest
) -> InvalidTagging | None:
    """TagMFADevice with the invalid request's tag list, through the unvalidated client: for a device
    of its own (``params``), or with the ``aws`` profile for one device shared by these probes while
    every one of them is refused (`conformance.scenarios.probe_world`: a refused TagMFADevice changes
    nothing; one that went through releases the device, and the next probe gets a fresh one)."""
    if not shares_probes():
        return _invalid_on_own_device(suite, params, invalid)
    with probe_world(suite, "device_tags.invalid", "invalid-tags", user=False) as made:
        if made is None:
            return None
        seen = _tagged_invalid(suite, made.serial, invalid)
        made.after(suite, seen.answer)
    return dataclasses.replace(seen, calls=made.story(suite, seen.calls))


@recorded
def _invalid_on_own_device(
    suite: SuiteSession, params: dict[str, Any], invalid: InvalidRequest
) -> InvalidTagging | None:
    with _device(suite, params, []) as serial:
        return None if serial is None else _tagged_invalid(suite, serial, invalid)


@recorded
def _tagged_invalid(suite: SuiteSession, serial: str, invalid: InvalidRequest) -> InvalidTagging:
    request = {"SerialNumber": serial, "Tags": invalid.params["Tags"]}
    reply = suite.send("tag_mfa_device", request, validated=False).offered()
    return InvalidTagging(reply.call, invalid.violation, reply.rejection)


@recorded
def gather_unknown_device(
    suite: SuiteSession, params: dict[str, Any], tag: list[Tag]
) -> UnknownDeviceTags | None:
    """The three tag operations for a device that existed a moment ago and is deleted now: a
    well-formed serial with nothing behind it."""
    with _device(suite, params, []) as serial:
        pass
    if serial is None:
        return None
    requests: list[tuple[str, dict[str, Any]]] = [
        ("tag_mfa_device", {"SerialNumber": serial, "Tags": tag}),
        ("untag_mfa_device", {"SerialNumber": serial, "TagKeys": [tag[0]["Key"]]}),
        ("list_mfa_device_tags", {"SerialNumber": serial}),
    ]
    replies = [suite.send(operation, request).offered() for operation, request in requests[:2]]
    # A read: it must reflect the delete, which a lagging endpoint may not show yet (polled until refused).
    operation, request = requests[2]
    replies.append(suite.settle(lambda: suite.send(operation, request), _refused).offered())
    return UnknownDeviceTags(tuple((reply.call, reply.rejection) for reply in replies))


def _refused(reply: Reply) -> bool:
    return reply.rejection is not None
