"""The edge-case table: every entry is a valid, serial-safe request, and the table reaches the
boundaries it claims (so a quick run still judges them)."""

from __future__ import annotations

import string
from typing import cast

import pytest

from strategies.edge_cases import EdgeCase, create_request_edge_cases
from strategies.model import list_constraint, string_constraint
from strategies.serials import partitions, serial_constraint, serial_number
from tests.strategies.validator import java_regex, violations

_OPERATION = "CreateVirtualMFADevice"
CASES = create_request_edge_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.reason for case in CASES])
def test_every_edge_case_is_valid_and_serial_safe(case: EdgeCase) -> None:
    assert violations(case.params) == frozenset()
    constraint = serial_constraint()
    assert constraint.pattern is not None and constraint.max_length is not None
    path, name = str(case.params.get("Path", "/")), str(case.params["VirtualMFADeviceName"])
    for partition in partitions():
        serial = serial_number("123456789012", path, name, partition=partition)
        assert len(serial) <= constraint.max_length
        assert java_regex(constraint.pattern).fullmatch(serial)


def test_names_differ_so_no_two_cases_are_one_device() -> None:
    names = [case.params["VirtualMFADeviceName"] for case in CASES]
    assert len(set(names)) == len(names)


def test_the_table_reaches_the_boundaries() -> None:
    names = [str(case.params["VirtualMFADeviceName"]) for case in CASES]
    name_pattern = string_constraint(_OPERATION, "VirtualMFADeviceName").pattern
    assert name_pattern is not None
    assert min(map(len, names)) == string_constraint(_OPERATION, "VirtualMFADeviceName").min_length
    # every ASCII punctuation character the name pattern allows stands in some name
    allowed = {char for char in string.punctuation if java_regex(name_pattern).fullmatch(char)}
    assert allowed <= set("".join(names))
    tag_lists = [cast(list[dict[str, str]], case.params["Tags"]) for case in CASES if "Tags" in case.params]
    assert max(len(tags) for tags in tag_lists) == list_constraint(_OPERATION, "Tags").max_items
    keys = [tag["Key"] for tags in tag_lists for tag in tags]
    assert max(map(len, keys)) == string_constraint(_OPERATION, "Tags[].Key").max_length
    assert any(not key.isascii() for key in keys)
