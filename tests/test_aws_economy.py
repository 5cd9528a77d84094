"""What the ``aws`` profile leaves out to spend fewer calls is what another request already judges
(issue 15: a whole aws-profile run in at most 400 calls). Each economy's premise is shown here, from
the model and the strategies, not assumed: the tag key's and value's edge characters are one class and
each is still sent; Hypothesis's simplest draw (the one example a test draws on the AWS target) is the
explicit example it is replaced by or left out for; a refused create's device is found by its token
alone; one listing serves every refusal sent before it; and open create attempts are listed once
before the tests that may break the endpoint. Other profiles keep sending everything."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from conformance.operations.create_virtual_mfa_device import test_invalid_requests as invalid_tests
from conformance.operations.lifecycle import test_invalid_serial_numbers as serial_tests
from conformance.runner.examples import edge_case_twin
from conformance.runner.profiles import hypothesis_settings, register_suite_profile
from conformance.scenarios import listing
from conformance.scenarios.invalid_create import gather as invalid_gather
from conformance.scenarios.invalid_serial import CASES
from conformance.scenarios.lifecycle import machine
from conformance.session.resources import ResourceTracker
from strategies.boundary_requests import invalid_create_boundaries
from strategies.edge_cases import create_request_edge_cases
from strategies.invalid_serials import invalid_serial_numbers
from strategies.list_requests import page_size_bounds
from strategies.valid import create_virtual_mfa_device_requests


def _simplest(strategy: Any) -> Any:
    """What a test drawing one example from ``strategy`` is given (as on the AWS target): Hypothesis's
    simplest value, the first it generates."""
    seen: list[Any] = []

    @settings(max_examples=1, phases=[Phase.generate], database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def first(value: Any) -> None:
        seen.append(value)

    first()
    return seen[0]


@pytest.fixture
def aws() -> Iterator[None]:
    register_suite_profile("aws")
    yield
    register_suite_profile("default")


@pytest.fixture
def other_profile() -> Iterator[None]:
    register_suite_profile("quick")
    yield
    register_suite_profile("default")


def _tag_chars(found: Any) -> dict[str, list[str]]:
    return {
        label: [invalid_tests._broken_char(request) for request in found[label]]
        for label in invalid_tests._SAME_CLASS
    }


def test_the_tag_edge_characters_are_dealt_between_key_and_value_each_sent_once(aws: None) -> None:
    every = _tag_chars(invalid_create_boundaries())
    assert every["tag.key.pattern"] == every["tag.value.pattern"], "one class: the premise of the dealing"
    dealt = _tag_chars(invalid_tests._boundaries())
    assert all(dealt.values()), dealt  # each member still gets edge characters of its own
    assert sorted(dealt["tag.key.pattern"] + dealt["tag.value.pattern"]) == sorted(every["tag.key.pattern"])
    others = {
        label: cases
        for label, cases in invalid_tests._boundaries().items()
        if label not in invalid_tests._SAME_CLASS
    }
    assert all(others[label] == invalid_create_boundaries()[label] for label in others)


def test_other_profiles_send_every_tag_edge_character_in_both(other_profile: None) -> None:
    assert invalid_tests._boundaries() == dict(invalid_create_boundaries())


@pytest.mark.parametrize(
    ("token", "serial", "made"),
    [
        ("u12", "arn:aws:iam::1:mfa/iam-conformance/r1/x-u12-r1", True),  # the name made unique
        ("u12", "arn:aws:iam::1:mfa/iam-conformance/r1/u12/x", True),  # the path made unique
        ("u1", "arn:aws:iam::1:mfa/iam-conformance/r1/x-u12-r1", False),  # another request's token
        ("u12", "arn:aws:iam::1:mfa/iam-conformance/u12abcde/x", False),  # a run id starting alike
        ("u12", "arn:aws:iam::1:mfa/x-u12", True),  # a name not tagged (an endpoint that dropped it)
    ],
)
def test_a_refused_creates_device_is_found_by_its_token_alone(token: str, serial: str, made: bool) -> None:
    assert invalid_gather._made_by(token, serial) is made


@dataclass
class _Suite:
    """What `_listed_after` uses of a session: its held state and a listing of the run's devices."""

    serials: frozenset[str] = frozenset()
    held: dict[str, Any] = field(default_factory=dict)
    listings: int = 0

    def device_serials(self) -> frozenset[str]:
        self.listings += 1
        return self.serials


def test_one_listing_serves_every_refusal_sent_before_it() -> None:
    suite = _Suite(frozenset({"arn:aws:iam::1:mfa/a-u1"}))
    for token in ("u1", "u2"):
        suite.held.setdefault(invalid_gather._REFUSED, set()).add(token)
    looked: Any = suite
    assert invalid_gather._listed_after(looked, "u1") == suite.serials
    assert invalid_gather._listed_after(looked, "u2") == suite.serials
    assert suite.listings == 1
    suite.held[invalid_gather._REFUSED].add("u3")  # refused after that listing: it could not show it
    invalid_gather._listed_after(looked, "u3")
    assert suite.listings == 2


def test_open_create_attempts_are_listed_once_until_another_is_made() -> None:
    listings: list[int] = []

    def listed() -> list[str]:
        listings.append(1)
        return []

    tracker = ResourceTracker(delete_device=lambda serial: None, list_device_serials=listed)
    tracker.refused_attempt(tracker.attempt_device("/p/", "a"))
    tracker.look_for_attempts(settled=False)
    tracker.look_for_attempts(settled=False)
    assert len(listings) == 1
    tracker.refused_attempt(tracker.attempt_device("/p/", "b"))
    tracker.look_for_attempts(settled=False)
    assert len(listings) == 2


def test_the_simplest_paging_plan_is_the_first_explicit_example() -> None:
    names, max_items, status = _simplest(listing.PLANS)
    assert (len(names), max_items, status) == (2, page_size_bounds()[0], "Any")


def test_the_simplest_too_long_serial_is_the_length_boundary_again(aws: None) -> None:
    for case in (case for case in CASES if case.label == "serial.length.max"):
        drawn = _simplest(invalid_serial_numbers(case.label, case.api_name))
        twin = serial_tests._boundary_twin(case, drawn)
        assert twin in serial_tests._BOUNDARIES[str(case)], case
        assert len(str(twin.params["SerialNumber"])) == len(str(drawn.params["SerialNumber"]))


def test_the_simplest_valid_request_is_the_shortest_name_edge_case_again(aws: None) -> None:
    drawn = _simplest(create_virtual_mfa_device_requests(serial_safe=True))
    assert edge_case_twin(drawn) in [case.params for case in create_request_edge_cases()]
    assert edge_case_twin({**drawn, "Path": "/p/"}) == {**drawn, "Path": "/p/"}  # not a twin: as drawn


def test_other_profiles_judge_every_draw_as_drawn(other_profile: None) -> None:
    drawn = _simplest(create_virtual_mfa_device_requests(serial_safe=True))
    assert edge_case_twin(drawn) == drawn
    case = next(case for case in CASES if case.label == "serial.length.max")
    too_long = _simplest(invalid_serial_numbers(case.label, case.api_name))
    assert serial_tests._boundary_twin(case, too_long) == too_long


def test_one_sequence_a_check_runs_the_opening_and_one_rule() -> None:
    one = machine._sequence_settings(hypothesis_settings("aws", on_aws=True))
    assert (one.max_examples, one.stateful_step_count) == (1, machine._ONE_SEQUENCE_STEPS)
    for profile in ("aws", "quick", "default"):  # several sequences: each as long as before
        assert machine._sequence_settings(hypothesis_settings(profile)).stateful_step_count == machine._STEPS
