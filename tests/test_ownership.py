"""Ownership by construction (`conformance.session.ownership`): every path nested under the run's
prefix, every name carrying the run id, and the boundaries the strategies draw still reached once they
are (the prefix and the tag take their room from the model's limits, not from the cases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conformance.session.ownership import (
    RunOwnership,
    new_run_id,
    run_id_of_path,
    run_id_of_serial,
    run_started,
)
from strategies.edge_cases import create_request_edge_cases, serial_contradiction_cases
from strategies.model import string_constraint
from strategies.ownership import RUN_ID_LENGTH
from strategies.serials import partitions, serial_constraint, serial_number, serial_room
from tests.strategies.validator import violations

_ACCOUNT = "123456789012"


def _placed(owner: RunOwnership, params: dict[str, object]) -> dict[str, object]:
    placed = owner.device_request(params)
    assert placed is not None
    return placed


def test_a_run_id_is_short_and_tells_when_its_run_started() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    run_id = new_run_id(now.timestamp())
    assert len(run_id) == RUN_ID_LENGTH and run_id.isalnum() and run_id.islower()
    assert run_started(run_id) == now
    assert run_started("not-an-id") is None


def test_paths_are_nested_under_the_prefix_and_names_tagged() -> None:
    owner = RunOwnership("abc12345")
    assert owner.prefix == "/iam-conformance/abc12345/"
    placed = _placed(owner, {"Path": "/a/b/", "VirtualMFADeviceName": "phone"})
    assert placed == {"Path": "/iam-conformance/abc12345/a/b/", "VirtualMFADeviceName": "phone-abc12345"}
    assert _placed(owner, {"VirtualMFADeviceName": "phone-u3"})["Path"] == owner.prefix
    assert run_id_of_path(str(placed["Path"])) == "abc12345"
    serial = serial_number(_ACCOUNT, str(placed["Path"]), str(placed["VirtualMFADeviceName"]))
    assert run_id_of_serial(serial) == "abc12345" and owner.owns_serial(serial)
    assert not owner.owns_serial(serial_number(_ACCOUNT, "/iam-conformance/zzz12345/", "phone"))
    assert not owner.owns_serial(serial_number(_ACCOUNT, "/", "phone"))
    user = owner.user_request("u1")
    assert user["Path"] == owner.prefix and user["UserName"].endswith("-abc12345")


def test_the_shortest_name_keeps_its_length_and_the_run_id_goes_in_its_path() -> None:
    owner = RunOwnership("abc12345")
    shortest = "a" * (string_constraint("CreateVirtualMFADevice", "VirtualMFADeviceName").min_length or 1)
    placed = _placed(owner, {"VirtualMFADeviceName": shortest})
    assert placed["VirtualMFADeviceName"] == shortest and placed["Path"] == owner.prefix


def test_an_invalid_member_is_sent_as_drawn() -> None:
    owner = RunOwnership("abc12345")
    broken_name = _placed(owner, {"Path": "/u1/", "VirtualMFADeviceName": "a b"})
    assert broken_name == {"Path": "/iam-conformance/abc12345/u1/", "VirtualMFADeviceName": "a b"}
    broken_path = _placed(owner, {"Path": "no-slash", "VirtualMFADeviceName": "n-u2"})
    assert broken_path == {"Path": "no-slash", "VirtualMFADeviceName": "n-u2-abc12345"}
    assert owner.outside == ["'no-slash'"]  # counted: a path outside the prefix
    assert owner.owns_serial(serial_number(_ACCOUNT, "/", "n-u2-abc12345"))  # stored anyway: still ours
    # outside the prefix the name is the only proof: even the shortest one carries the run id
    assert _placed(owner, {"Path": "", "VirtualMFADeviceName": "a"})["VirtualMFADeviceName"] == "a-abc12345"


def test_on_aws_a_path_outside_the_prefix_is_not_sent() -> None:
    owner = RunOwnership("abc12345", root_path_allowed=False)
    assert owner.device_request({"Path": "no-slash", "VirtualMFADeviceName": "n"}) is None
    assert owner.device_request({"Path": "/ok/", "VirtualMFADeviceName": "n"}) is not None


@pytest.mark.parametrize("case", create_request_edge_cases(), ids=lambda case: case.reason[:40])
def test_every_edge_case_stays_valid_and_serial_safe_once_placed(case: object) -> None:
    owner = RunOwnership(new_run_id())
    placed = _placed(owner, dict(case.params))  # type: ignore[attr-defined]
    assert violations(placed) == set()
    assert run_id_of_path(str(placed["Path"])) == owner.run_id


def test_the_serial_filling_case_still_fills_the_serial_once_placed() -> None:
    """Nested and (being at the shortest length) untagged, it fills the room of the longest ARN prefix."""
    (filling,) = [case for case in create_request_edge_cases() if "fill the serial" in case.reason]
    placed = _placed(RunOwnership(new_run_id()), dict(filling.params))
    assert len(str(placed["Path"])) + len(str(placed["VirtualMFADeviceName"])) == serial_room()


def test_the_contradiction_case_is_one_character_too_long_once_placed() -> None:
    (long_case,) = [case for case in serial_contradiction_cases() if "longer" in case.reason]
    placed = _placed(RunOwnership(new_run_id()), dict(long_case.params))
    path, name = str(placed["Path"]), str(placed["VirtualMFADeviceName"])
    shortest = serial_number(_ACCOUNT, path, name, partition=min(partitions(), key=len))
    assert len(shortest) == serial_constraint().require_max_length() + 1


def test_run_started_reads_back_an_age() -> None:
    then = datetime.now(UTC) - timedelta(hours=3)
    started = run_started(new_run_id(then.timestamp()))
    assert started is not None and abs((started - then).total_seconds()) < 1
