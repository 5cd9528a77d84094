"""The boundaries every run sends: for each pattern of the model, the characters at the edges of its class
(inside on the valid side, just outside on the invalid side), checked by the independent validator; and
every invalid boundary request breaks exactly its label."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.alphabets import members
from strategies.authentication_codes import malformed_code_boundaries
from strategies.boundaries import class_boundaries
from strategies.boundary_requests import invalid_create_boundaries
from strategies.edge_cases import create_request_edge_cases, serial_contradiction_cases
from strategies.invalid_serials import SERIAL_OPERATIONS, invalid_serial_boundaries, invalid_serial_numbers
from strategies.list_requests import boundary_marker, invalid_list_boundaries, page_size_bounds
from strategies.model import IN_SCOPE_OPERATIONS
from strategies.patterns import java_pattern
from strategies.violations import SERIAL_LABELS, InvalidRequest
from tests.strategies.validator import java_regex, raw_input_members, serial_violations, violations


def _patterns() -> list[str]:
    """Every pattern of an in-scope operation's input that is one class (the Path's is one class too)."""
    found = {shape["pattern"] for _, _, shape in raw_input_members(IN_SCOPE_OPERATIONS) if "pattern" in shape}
    return sorted(pattern for pattern in found if len(java_pattern(pattern).classes) == 1)


def _in_class(pattern: str, char: str) -> bool:
    """Java's answer (the validator's) for ``char`` in the pattern's class."""
    (bracket,) = java_pattern(pattern).classes
    return bool(java_regex(pattern).fullmatch(char)) if pattern.endswith(("]+", "]*")) else char in bracket


@pytest.mark.parametrize("pattern", _patterns())
def test_each_side_of_each_edge(pattern: str) -> None:
    edges = class_boundaries(pattern)
    assert edges.inside and edges.outside
    assert all(_in_class(pattern, char) for char in edges.inside)
    assert not any(_in_class(pattern, char) for char in edges.outside)
    # the first and last character of every range of the class (as every Unicode version has it)
    for low, high in members(pattern).members.ranges:
        assert {chr(low), chr(high)} <= set(edges.inside)
    # the class's other edges are on one side or the other, wherever they fall
    for char in (" ", "\x7f", "\x80", "\U0001f600"):
        assert char in edges.inside or char in edges.outside, repr(char)


def test_the_known_miss_is_tried_a_space_inside_a_path() -> None:
    path_requests = invalid_create_boundaries()["path.pattern.char"]
    assert any(" " in str(request.params["Path"]) for request in path_requests)


@pytest.mark.parametrize(
    ("label", "request_"),
    [(label, request) for label, found in invalid_create_boundaries().items() for request in found],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_create_boundary_breaks_exactly_its_label(label: str, request_: InvalidRequest) -> None:
    assert request_.violation.label == label
    assert violations(request_.params) == {label}, request_.violation.describe()


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return [text for item in value for text in _texts(item)] if isinstance(value, list) else []


def test_the_valid_side_is_in_the_edge_cases() -> None:
    """Every edge character inside the name and tag classes is sent in a valid request; the path's,
    which no serial may hold, in the spec-contradiction cases."""
    sent = "".join(_texts([case.params for case in create_request_edge_cases()]))
    for _, member, shape in raw_input_members(["CreateVirtualMFADevice"]):
        if member in ("VirtualMFADeviceName", "Tags[].Key", "Tags[].Value"):
            assert set(class_boundaries(shape["pattern"]).inside) <= set(sent), member
    path_pattern = next(
        s["pattern"] for _, m, s in raw_input_members(["CreateVirtualMFADevice"]) if m == "Path"
    )
    contradiction = "".join(str(case.params["Path"]) for case in serial_contradiction_cases())
    assert all(char in contradiction or char in sent for char in class_boundaries(path_pattern).inside)


@pytest.mark.parametrize("operation", SERIAL_OPERATIONS)
def test_each_serial_boundary_breaks_exactly_its_label(operation: str) -> None:
    for label, found in invalid_serial_boundaries(operation).items():
        for request in found:
            assert serial_violations(operation, request.params["SerialNumber"]) == {label}


@pytest.mark.parametrize("label", [spec.label for spec in SERIAL_LABELS])
@settings(max_examples=10)
@given(data=st.data())
def test_drawn_serials_break_exactly_their_label(label: str, data: st.DataObject) -> None:
    operation = data.draw(st.sampled_from(SERIAL_OPERATIONS))
    request = data.draw(invalid_serial_numbers(label, operation))
    assert request.violation.label == label and request.violation.operation == operation
    assert serial_violations(operation, request.params["SerialNumber"]) == {label}


def test_every_serial_constraint_has_a_label() -> None:
    for operation, member, shape in raw_input_members(SERIAL_OPERATIONS):
        if member == "SerialNumber":
            kinds = {"min-length", "max-length", "pattern"} & {
                kind
                for key, kind in (("min", "min-length"), ("max", "max-length"), ("pattern", "pattern"))
                if key in shape
            }
            assert kinds == {spec.kind for spec in SERIAL_LABELS}, operation


def test_numeric_ranges_at_both_ends_both_sides() -> None:
    low, high = page_size_bounds()
    (shape,) = [s for _, m, s in raw_input_members(["ListVirtualMFADevices"]) if m == "MaxItems"]
    assert (low, high) == (shape["min"], shape["max"])
    boundaries = invalid_list_boundaries()
    assert boundaries["max-items.below-min"] == ({"MaxItems": low - 1},)
    assert boundaries["max-items.above-max"] == ({"MaxItems": high + 1},)


def test_markers_at_the_edges() -> None:
    (shape,) = [s for _, m, s in raw_input_members(["ListVirtualMFADevices"]) if m == "Marker"]
    marker = java_regex(shape["pattern"])
    assert marker.fullmatch(boundary_marker())
    for request in invalid_list_boundaries()["marker.pattern.char"]:
        assert not marker.fullmatch(request["Marker"])


@pytest.mark.parametrize("label", sorted(malformed_code_boundaries()))
def test_code_boundaries_break_their_constraint(label: str) -> None:
    (shape,) = [s for _, m, s in raw_input_members(["EnableMFADevice"]) if m == "AuthenticationCode1"]
    code = java_regex(shape["pattern"])
    for value in malformed_code_boundaries()[label]:
        in_range = shape["min"] <= len(value) <= shape["max"]
        assert in_range == (label == "code.pattern.char")
        assert bool(code.fullmatch(value)) == (label != "code.pattern.char")
