"""Valid strategies: every value passes the independent validator, and boundaries are reachable."""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import TypeVar

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from strategies.alphabets import members, outsiders, sizes
from strategies.model import list_constraint, string_constraint
from strategies.names import name_bound, virtual_mfa_device_names
from strategies.ownership import path_overhead
from strategies.paths import paths
from strategies.serials import partitions, serial_constraint, serial_number
from strategies.tags import KEY_FOLDS, tags
from strategies.valid import create_virtual_mfa_device_requests
from tests.strategies.validator import java_regex, violations

_OPERATION = "CreateVirtualMFADevice"
_ACCOUNT = "123456789012"
T = TypeVar("T")


def _reach(strategy: st.SearchStrategy[T], condition: Callable[[T], bool]) -> T:
    """A generated value meeting ``condition``: reachability, so no shrinking (slow on tag lists)."""
    return find(
        strategy, condition, settings=settings(phases=[Phase.generate], max_examples=500, database=None)
    )


def _serial_ok(serial: str) -> bool:
    constraint = serial_constraint()
    assert constraint.pattern is not None and constraint.max_length is not None
    fits = (constraint.min_length or 0) <= len(serial) <= constraint.max_length
    return fits and java_regex(constraint.pattern).fullmatch(serial) is not None


@given(create_virtual_mfa_device_requests())
def test_requests_are_valid(params: dict[str, object]) -> None:
    assert violations(params) == set()


@given(create_virtual_mfa_device_requests("ci-7f3a.", serial_safe=True))
def test_serial_safe_requests_make_valid_serials(params: dict[str, object]) -> None:
    assert violations(params) == set()
    name = params["VirtualMFADeviceName"]
    path = params.get("Path", "/")
    assert isinstance(name, str) and isinstance(path, str) and name.startswith("ci-7f3a.")
    for partition in partitions():
        assert _serial_ok(serial_number(_ACCOUNT, path, name, partition=partition))


@given(paths(serial_safe=True), virtual_mfa_device_names(serial_safe=True))
def test_serial_safe_members_alone(path: str, name: str) -> None:
    assert violations({"Path": path, "VirtualMFADeviceName": name}) == set()
    longest = max(partitions(), key=len)
    assert _serial_ok(serial_number(_ACCOUNT, "/", name, partition=longest))
    assert _serial_ok(serial_number(_ACCOUNT, path, "n", partition=longest))


def test_the_general_strategy_reaches_serials_the_model_forbids() -> None:
    """SPEC-NOTES "Known contradictions": valid path and name, invalid serial. Checks need both."""
    path = _reach(paths(), lambda value: "#" in value)
    assert violations({"Path": path, "VirtualMFADeviceName": "n"}) == set()
    assert not _serial_ok(serial_number(_ACCOUNT, path, "n"))
    too_long = serial_constraint().require_max_length() - len(serial_number(_ACCOUNT, "/", ""))
    long_name = _reach(virtual_mfa_device_names(), lambda n: len(n) > too_long)
    assert not _serial_ok(serial_number(_ACCOUNT, "/", long_name))


@given(tags())
def test_tag_keys_are_unique_under_every_fold(tag_list: list[dict[str, str]]) -> None:
    for fold in KEY_FOLDS:
        assert len({fold(tag["Key"]) for tag in tag_list}) == len(tag_list)


def _bound(member: str, which: str) -> int:
    constraint = string_constraint(_OPERATION, member)
    found = constraint.max_length if which == "max" else constraint.min_length
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("strategy", "length"),
    [
        # drawn relative to the run's prefix: nested under it, they reach the model's maximum
        (paths(), lambda: _bound("Path", "max") - path_overhead()),
        (paths(), lambda: _bound("Path", "max") - path_overhead() - 1),
        (paths(), lambda: _bound("Path", "min")),
        (virtual_mfa_device_names(), name_bound),
        (virtual_mfa_device_names(), lambda: _bound("VirtualMFADeviceName", "min")),
        (tags(), lambda: list_constraint(_OPERATION, "Tags").max_items),
        (tags(), lambda: 0),
    ],
    ids=["path-max", "path-max-1", "path-min", "name-bound", "name-min", "tags-max", "tags-empty"],
)
def test_boundary_lengths_are_reachable(
    strategy: st.SearchStrategy[Sized], length: Callable[[], int]
) -> None:
    wanted = length()
    assert len(_reach(strategy, lambda value: len(value) == wanted)) == wanted


def test_names_keep_their_prefix_and_refuse_a_bad_one() -> None:
    _reach(virtual_mfa_device_names("ab"), lambda name: name == "ab")
    for bad in ("caf\u00e9", "a b", "x" * (name_bound() + 1)):
        with pytest.raises(ValueError):
            virtual_mfa_device_names(bad)
        with pytest.raises(ValueError):
            create_virtual_mfa_device_requests(bad)


@pytest.mark.parametrize("member", ["Path", "Tags"])
def test_optional_members_are_sometimes_absent_and_sometimes_present(member: str) -> None:
    requests = create_virtual_mfa_device_requests()
    _reach(requests, lambda params: member not in params)
    _reach(requests, lambda params: member in params)


def test_tags_are_sometimes_an_empty_list() -> None:
    _reach(create_virtual_mfa_device_requests(), lambda params: params.get("Tags") == [])


def _pattern(member: str) -> str:
    pattern = string_constraint(_OPERATION, member).pattern
    assert pattern is not None
    return pattern


def test_pools_follow_java_not_python() -> None:
    name, key = members(_pattern("VirtualMFADeviceName")), members(_pattern("Tags[].Key"))
    assert all(char.isascii() for char in name)
    assert {"\u00e9", "\u00df", "\u0663"} <= set(outsiders(_pattern("VirtualMFADeviceName")))
    assert {"\u00e9", "\u0663", "\u3000", "\u00a0", "\u216b"} <= set(key.edges)
    # Categories that changed across Unicode versions are in neither pool (Zs in Unicode 3.2, Cf now).
    for ambiguous in ("\u180e", "\u200b"):
        assert ambiguous not in key and ambiguous not in outsiders(_pattern("Tags[].Key"))


@given(st.data())
def test_sizes_stay_in_range(data: st.DataObject) -> None:
    low = data.draw(st.integers(0, 5))
    high = data.draw(st.integers(low, low + 600))
    assert low <= data.draw(sizes(low, high)) <= high
