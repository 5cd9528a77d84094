"""Checks on a device's tags after creation: TagMFADevice, UntagMFADevice, ListMFADeviceTags.

What the rules rest on:

- TagMFADevice "adds one or more tags"; "if a tag with the same key name already exists, then that tag
  is overwritten with the new value" (documented). The overwrite check keeps to the exact same key: how
  a key that differs only in letter case is treated is not stated for these operations (the User Guide
  says keys are case-insensitive, without saying which case survives), so that is recorded as INFO.
- UntagMFADevice "removes the specified tags" (documented).
- Beyond the model's maximum number of tags a device may hold, TagMFADevice answers the modeled
  ``LimitExceeded`` with the model's HTTP status (409); invalid tags are refused as at creation (a 4xx:
  the model's constraints, or the documented case-insensitive uniqueness of keys); a serial with no
  device behind it is the modeled ``NoSuchEntity`` (404) for all three operations (model).

The observations live here, beside the checks that read them; `gather` sends what makes them. Each has
a ``call``, the request the verdict is about, for the report's reproduction line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from conformance.judging.error_tables import error_entry
from conformance.judging.outcomes import Info, Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.session.calls import ApiCall, Rejection, api_name
from reports.model import Evidence
from strategies.violations import Violation

__all__ = [
    "INVALID_TAGS",
    "KEY_CASE",
    "LIMIT",
    "TAGGING",
    "UNKNOWN_DEVICE",
    "UNTAGGING",
    "InvalidTagging",
    "KeyCaseTagging",
    "TagLimit",
    "TagPairs",
    "Tagging",
    "UnknownDeviceTags",
    "Untagging",
    "invalid_tags_rejected",
    "key_case_recorded",
    "tag_adds",
    "tag_limit",
    "tag_overwrites",
    "unknown_device",
    "untag_removes",
]

TAGGING = "device.tags.tag"
KEY_CASE = "device.tags.key-case"
UNTAGGING = "device.tags.untag"
LIMIT = "device.tags.limit"
INVALID_TAGS = "device.tags.invalid"
UNKNOWN_DEVICE = "device.tags.unknown-device"
TAG = "TagMFADevice"
UNTAG = "UntagMFADevice"
LIST = "ListMFADeviceTags"
_LIMIT_CODE = "LimitExceeded"
_UNKNOWN_CODE = "NoSuchEntity"

TagPairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Tagging:
    """A device created with ``before``, TagMFADevice sent ``sent``, and what ListMFADeviceTags then gave.

    ``answer`` is None when TagMFADevice succeeded; ``listed`` is empty when it was refused.
    """

    tag_call: ApiCall
    before: TagPairs
    sent: TagPairs
    answer: Rejection | None
    listed: TagPairs
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.tag_call


@dataclass(frozen=True)
class Untagging:
    """A device created with ``before``, UntagMFADevice sent ``removed`` keys, and the tags listed after."""

    untag_call: ApiCall
    before: TagPairs
    removed: tuple[str, ...]
    answer: Rejection | None
    listed: TagPairs
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.untag_call


@dataclass(frozen=True)
class TagLimit:
    """A device holding ``held`` tags, sent ``sent`` more with distinct keys: a total past the maximum."""

    tag_call: ApiCall
    held: int
    sent: int
    maximum: int
    answer: Rejection | None
    held_after: int | None = None  # tags the device holds after a 200 (None: not listed)
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.tag_call


@dataclass(frozen=True)
class InvalidTagging:
    """TagMFADevice with a tag list breaking exactly one constraint (``violation``, stated for create)."""

    tag_call: ApiCall
    violation: Violation
    answer: Rejection | None
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.tag_call


@dataclass(frozen=True)
class UnknownDeviceTags:
    """The three tag operations sent for a serial whose device was deleted just before."""

    answers: tuple[tuple[ApiCall, Rejection | None], ...]  # one per operation, in TAG, UNTAG, LIST order
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        """The first call answered wrongly (the one a reproduction should show), else the first."""
        for call, answer in self.answers:
            if _unknown_device_miss(call, answer) is not None:
                return call
        return self.answers[0][0]


def _keys(pairs: TagPairs | tuple[str, ...]) -> str:
    keys = sorted(pair[0] if isinstance(pair, tuple) else pair for pair in pairs)
    shown = ", ".join(repr(key) for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
    noun = "tag" if len(keys) == 1 else "tags"
    return f"{len(keys)} {noun}" + (f" (key{'' if len(keys) == 1 else 's'} {shown})" if keys else "")


def _refused(answer: Rejection) -> str:
    return f"refused: {answer.describe()}"


@check(
    id="vmfa.tags.tag-adds",
    operation=TAG,
    scenario=TAGGING,
    clause="TagMFADevice: adds one or more tags; ListMFADeviceTags",
    evidence=Evidence.DOCUMENTED,
)
def tag_adds(seen: Tagging) -> Outcome:
    """Tags added with TagMFADevice are listed with their values, and the tags not sent are kept."""
    if seen.answer is not None:
        return Miss("HTTP 200: the tags added", _refused(seen.answer))
    # Overwritten values are judged by vmfa.tags.tag-overwrites; here only added and untouched tags.
    held_keys, sent_keys = {key for key, _ in seen.before}, {key for key, _ in seen.sent}
    added = Counter(pair for pair in seen.sent if pair[0] not in held_keys)
    wanted = added + Counter(pair for pair in seen.before if pair[0] not in sent_keys)
    listed = Counter(seen.listed)
    missing = wanted - listed
    if not missing:
        return Pass()
    return Miss(
        f"the {_keys(tuple(wanted))} added or kept, listed with their values",
        f"listed {_keys(seen.listed)}; missing {_keys(tuple(missing.elements()))}",
    )


@check(
    id="vmfa.tags.tag-overwrites",
    operation=TAG,
    scenario=TAGGING,
    clause="TagMFADevice: a tag with the same key name is overwritten with the new value",
    evidence=Evidence.DOCUMENTED,
)
def tag_overwrites(seen: Tagging) -> Outcome:
    """Tagging a key the device has (the very same key) sets its new value, once."""
    if seen.answer is not None:
        return Miss("HTTP 200: the values overwritten", _refused(seen.answer))
    held = {key for key, _ in seen.before}
    for key, value in seen.sent:
        if key not in held:
            continue
        values = [listed_value for listed_key, listed_value in seen.listed if listed_key == key]
        if values != [value]:
            return Miss(f"key {key!r} listed once, with the value sent ({value!r})", f"values {values!r}")
    return Pass()


@dataclass(frozen=True)
class KeyCaseTagging:
    """A device holding key ``held``, then TagMFADevice with ``sent_key``: the same key in other case."""

    tag_call: ApiCall
    held: tuple[str, str]
    sent: tuple[str, str]
    answer: Rejection | None
    listed: TagPairs
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.tag_call


@check(
    id="vmfa.tags.key-case",
    operation=TAG,
    scenario=KEY_CASE,
    clause="TagMFADevice: overwriting a key given in another letter case (IAM tag keys are case-insensitive)",
    evidence=Evidence.NONE,
)
def key_case_recorded(seen: KeyCaseTagging) -> Outcome:
    """Re-tagging a key in another letter case: recorded, the API reference does not say what happens."""
    if seen.answer is not None:
        return Info(f"re-tagging a key in another letter case is refused: {seen.answer.describe()}")
    (held_key, _), (sent_key, sent_value) = seen.held, seen.sent
    matching = [pair for pair in seen.listed if pair[0].lower() == held_key.lower()]
    if matching == [(held_key, sent_value)]:
        return Info(
            "re-tagging a key in another letter case replaces the value and keeps the stored key's case"
        )
    if matching == [(sent_key, sent_value)]:
        return Info("re-tagging a key in another letter case replaces the tag, key case and value")
    if len(matching) == 2:
        return Info("re-tagging a key in another letter case adds a second tag: keys are case-sensitive")
    return Info(f"re-tagging a key in another letter case leaves {len(matching)} tag(s) of that key listed")


@check(
    id="vmfa.tags.untag-removes",
    operation=UNTAG,
    scenario=UNTAGGING,
    clause="UntagMFADevice: removes the specified tags",
    evidence=Evidence.DOCUMENTED,
)
def untag_removes(seen: Untagging) -> Outcome:
    """UntagMFADevice removes the tags of the keys given, and only those."""
    if seen.answer is not None:
        return Miss("HTTP 200: the tags removed", _refused(seen.answer))
    removed = set(seen.removed)
    kept = Counter(pair for pair in seen.before if pair[0] not in removed)
    expected = f"{_keys(tuple(kept))} kept, {_keys(seen.removed)} removed"
    still_there = [pair for pair in seen.listed if pair[0] in removed]
    if still_there:
        return Miss(expected, f"still listed: {_keys(tuple(still_there))}")
    if Counter(seen.listed) != kept:
        return Miss(expected, f"listed {_keys(seen.listed)}")
    return Pass()


@check(
    id="vmfa.tags.limit",
    operation=TAG,
    scenario=LIMIT,
    clause="TagMFADevice: Tags (maximum count) and Errors (LimitExceeded)",
    evidence=Evidence.MODEL,
)
def tag_limit(seen: TagLimit) -> Outcome:
    """Tagging a device past the model's maximum number of tags is refused: LimitExceeded, its status."""
    entry = error_entry(TAG, _LIMIT_CODE)
    status = f"HTTP {entry.http_status} " if entry is not None else ""
    expected = f"{status}{_LIMIT_CODE}: {seen.held} + {seen.sent} tags exceed the maximum {seen.maximum}"
    if seen.answer is None:
        if seen.held_after is not None and seen.held_after <= seen.maximum:
            return Skip("the tags sent were not added, so no limit was crossed (vmfa.tags.tag-adds)")
        return Miss(expected, f"HTTP 200: the device holds {seen.held_after} tags")
    if seen.answer.code != _LIMIT_CODE or (entry is not None and seen.answer.status != entry.http_status):
        return Miss(expected, seen.answer.describe())
    return Pass()


@check(
    id="vmfa.tags.invalid-rejected",
    operation=TAG,
    scenario=INVALID_TAGS,
    clause="TagMFADevice: Tags (the model's constraints; keys unique regardless of case) and Errors",
    evidence=Evidence.MODEL,
)
def invalid_tags_rejected(seen: InvalidTagging) -> Outcome:
    """A tag list breaking one constraint is refused with a client error (4xx), as at creation."""
    expected = f"a 4xx refusal: {seen.violation.describe()}"
    if seen.answer is None:
        return Miss(expected, "HTTP 200: the tags were accepted")
    if not 400 <= seen.answer.status < 500:
        return Miss(expected, seen.answer.describe())
    return Pass()


def _unknown_device_miss(call: ApiCall, answer: Rejection | None) -> Miss | None:
    operation = api_name(call.operation)
    entry = error_entry(operation, _UNKNOWN_CODE)
    status = entry.http_status if entry is not None else None
    expected = f"{operation}: HTTP {status} {_UNKNOWN_CODE}"
    if answer is None:
        return Miss(expected, f"{operation}: HTTP 200")
    if answer.code != _UNKNOWN_CODE or answer.status != status:
        return Miss(expected, f"{operation}: {answer.describe()}")
    return None


@check(
    id="vmfa.tags.unknown-device",
    operation=f"{TAG}, {UNTAG}, {LIST}",
    scenario=UNKNOWN_DEVICE,
    clause="TagMFADevice, UntagMFADevice, ListMFADeviceTags: Errors (NoSuchEntity)",
    evidence=Evidence.MODEL,
)
def unknown_device(seen: UnknownDeviceTags) -> Outcome:
    """A serial with no device behind it is NoSuchEntity, with the model's status, for each operation."""
    for call, answer in seen.answers:
        miss = _unknown_device_miss(call, answer)
        if miss is not None:
            return miss
    return Pass()
