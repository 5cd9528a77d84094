"""The aws profile deals a shared serial constraint's edge characters out among the operations that
share it (`conformance.operations.lifecycle.test_invalid_serial_numbers`): no boundary is dropped.
Every edge character is still sent, each operation still gets every length boundary and at least one
edge character, and other profiles send every character in every operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.operations.lifecycle import test_invalid_serial_numbers as serial_tests
from conformance.runner.profiles import register_suite_profile
from conformance.scenarios.invalid_serial import CASES
from strategies.invalid_serials import SERIAL_OPERATIONS, invalid_serial_boundaries


@pytest.fixture
def profile() -> Iterator[None]:
    yield
    register_suite_profile("default")


def _sent(label: str) -> dict[str, set[str]]:
    return {
        case.api_name: {str(request.params["SerialNumber"]) for request in serial_tests._boundaries(case)}
        for case in CASES
        if case.label == label
    }


def test_the_aws_profile_sends_every_edge_character_once_and_every_operation_one(profile: None) -> None:
    register_suite_profile("aws")
    dealt = _sent("serial.pattern.char")
    every = {
        request.params["SerialNumber"]
        for request in invalid_serial_boundaries(SERIAL_OPERATIONS[0])["serial.pattern.char"]
    }
    assert set().union(*dealt.values()) == every
    assert all(dealt[operation] for operation in SERIAL_OPERATIONS), dealt
    assert sum(len(chars) for chars in dealt.values()) == max(len(every), len(SERIAL_OPERATIONS))
    for label in ("serial.length.min", "serial.length.max"):
        sent = _sent(label)
        assert all(sent[operation] for operation in SERIAL_OPERATIONS), (label, sent)


@pytest.mark.parametrize("name", ["quick", "default", "thorough"])
def test_other_profiles_send_every_boundary_in_every_operation(profile: None, name: str) -> None:
    register_suite_profile(name)
    for case in CASES:
        assert serial_tests._boundaries(case) == invalid_serial_boundaries(case.api_name)[case.label]
