"""strategies.model against the raw model JSON (read by the validator's own loader)."""

from __future__ import annotations

from typing import Any

import botocore
import pytest

from strategies.model import (
    IN_SCOPE_OPERATIONS,
    IntegerConstraint,
    ListConstraint,
    ModelShapeError,
    StringConstraint,
    StructureConstraint,
    integer_constraint,
    is_required,
    member_constraint,
    model_identity,
    operation_errors,
    operation_shape,
    sensitive_output_members,
    string_constraint,
)
from tests.strategies.validator import raw_input_members, raw_model, raw_shape


def test_every_in_scope_operation_is_in_the_model() -> None:
    assert set(IN_SCOPE_OPERATIONS) <= set(raw_model()["operations"])


@pytest.mark.parametrize(
    ("operation", "path", "shape"),
    raw_input_members(IN_SCOPE_OPERATIONS),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_member_constraints_match_the_raw_model(operation: str, path: str, shape: dict[str, Any]) -> None:
    found = member_constraint(operation, path)
    if shape["type"] == "string":
        assert found == StringConstraint(
            found.shape_name,
            shape.get("min"),
            shape.get("max"),
            shape.get("pattern"),
            tuple(shape.get("enum", ())),
        )
    elif shape["type"] == "integer":
        assert isinstance(found, IntegerConstraint)
        assert (found.min_value, found.max_value) == (shape.get("min"), shape.get("max"))
    elif shape["type"] == "list":
        assert isinstance(found, ListConstraint)
        assert (found.min_items, found.max_items) == (shape.get("min"), shape.get("max"))
    elif shape["type"] == "structure":
        assert isinstance(found, StructureConstraint)
        assert found.required == tuple(shape.get("required", ()))


def test_the_members_later_work_needs_are_reachable() -> None:
    assert string_constraint("CreateVirtualMFADevice", "Path").shape_name == "pathType"
    assert string_constraint("CreateVirtualMFADevice", "Tags[].Value").min_length == 0
    assert string_constraint("UntagMFADevice", "TagKeys[]").shape_name == "tagKeyType"
    assert string_constraint("ListVirtualMFADevices", "AssignmentStatus").enum == (
        "Assigned",
        "Unassigned",
        "Any",
    )
    assert integer_constraint("ListMFADeviceTags", "MaxItems").max_value == raw_shape("maxItemsType")["max"]
    auth = string_constraint("ResyncMFADevice", "AuthenticationCode2")
    assert auth.min_length == auth.max_length == raw_shape("authenticationCodeType")["min"]


def test_required_members() -> None:
    assert is_required("CreateVirtualMFADevice", "VirtualMFADeviceName")
    assert not is_required("CreateVirtualMFADevice", "Path")
    assert is_required("CreateVirtualMFADevice", "Tags[].Key")
    assert operation_shape("EnableMFADevice").required == tuple(
        raw_shape("EnableMFADeviceRequest")["required"]
    )


@pytest.mark.parametrize("path", ["Nope", "Path.Deeper", "Path[]", "Tags[].Nope", "tags"])
def test_unknown_members_raise(path: str) -> None:
    with pytest.raises(ModelShapeError):
        member_constraint("CreateVirtualMFADevice", path)


def test_a_typed_accessor_refuses_the_wrong_type() -> None:
    with pytest.raises(ModelShapeError):
        string_constraint("CreateVirtualMFADevice", "Tags")


@pytest.mark.parametrize("operation", IN_SCOPE_OPERATIONS)
def test_errors_match_the_raw_model(operation: str) -> None:
    expected = {}
    for ref in raw_model()["operations"][operation].get("errors", []):
        error = raw_shape(ref["shape"])["error"]
        expected[error["code"]] = (error["httpStatusCode"], error.get("senderFault", False), ref["shape"])
    found = operation_errors(operation)
    assert {code: (e.http_status, e.sender_fault, e.shape_name) for code, e in found.items()} == expected


def test_create_errors_are_the_documented_ones() -> None:
    found = operation_errors("CreateVirtualMFADevice")
    assert {code: e.http_status for code, e in found.items()} == {
        "LimitExceeded": 409,
        "InvalidInput": 400,
        "EntityAlreadyExists": 409,
        "ConcurrentModification": 409,
        "ServiceFailure": 500,
    }
    assert not found["ServiceFailure"].sender_fault  # the model leaves senderFault out for it


def _raw_sensitive(shape_name: str, prefix: str, stack: tuple[str, ...] = ()) -> set[str]:
    shape = raw_shape(shape_name)
    if shape.get("sensitive"):
        return {prefix}
    if shape["type"] == "list":
        return _raw_sensitive(shape["member"]["shape"], prefix + "[]", stack)
    found: set[str] = set()
    if shape["type"] == "structure" and shape_name not in stack:
        for name, ref in shape["members"].items():
            found |= _raw_sensitive(ref["shape"], f"{prefix}.{name}".lstrip("."), (*stack, shape_name))
    return found


@pytest.mark.parametrize("operation", IN_SCOPE_OPERATIONS)
def test_sensitive_members_match_the_raw_model(operation: str) -> None:
    output = raw_model()["operations"][operation].get("output")
    expected = _raw_sensitive(output["shape"], "") if output else set()
    assert sensitive_output_members(operation) == expected


def test_the_create_secrets_are_sensitive() -> None:
    assert sensitive_output_members("CreateVirtualMFADevice") == {
        "VirtualMFADevice.Base32StringSeed",
        "VirtualMFADevice.QRCodePNG",
    }


def test_model_identity() -> None:
    identity = model_identity()
    assert identity.botocore_version == botocore.__version__
    assert identity.api_version == raw_model()["metadata"]["apiVersion"]
    assert identity.uid in identity.describe() and identity.botocore_version in identity.describe()
