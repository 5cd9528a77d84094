"""The IAM service model, loaded once from botocore and reduced to what the suite tests.

Why: botocore's ``service-2.json`` is the suite's source of truth (evidence ``model`` in SPEC-NOTES).
Reading it at run time, rather than copying lengths and patterns into code, means a model update changes
what is generated and checked, and a report can name the model it judged against. The frozen
dataclasses here are the only view of the model the rest of ``strategies`` uses; nothing else imports
botocore's ``Shape`` classes.

Member paths name a member inside an operation's input or output: ``Path``, ``Tags`` (the list),
``Tags[].Key`` (a member of each list element), ``TagKeys[]`` (the element shape itself).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

import botocore
import botocore.session
from botocore.loaders import Loader
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape

__all__ = [
    "IN_SCOPE_OPERATIONS",
    "SERVICE_NAME",
    "Constraint",
    "Direction",
    "ErrorSpec",
    "IntegerConstraint",
    "ListConstraint",
    "ModelIdentity",
    "ModelShapeError",
    "OpaqueConstraint",
    "StringConstraint",
    "StructureConstraint",
    "botocore_session",
    "integer_constraint",
    "is_required",
    "list_constraint",
    "member_constraint",
    "model_identity",
    "operation_errors",
    "operation_shape",
    "sensitive_output_members",
    "string_constraint",
]

SERVICE_NAME = "iam"

# SPEC-NOTES "Operations in scope": the virtual MFA device resource and what touches it.
IN_SCOPE_OPERATIONS: tuple[str, ...] = (
    "CreateVirtualMFADevice",
    "ListVirtualMFADevices",
    "DeleteVirtualMFADevice",
    "EnableMFADevice",
    "DeactivateMFADevice",
    "ResyncMFADevice",
    "GetMFADevice",
    "ListMFADevices",
    "TagMFADevice",
    "UntagMFADevice",
    "ListMFADeviceTags",
)

Direction: TypeAlias = Literal["input", "output"]


class ModelShapeError(LookupError):
    """The model lacks a member, or no longer has the shape a builder relies on."""


@dataclass(frozen=True)
class StringConstraint:
    shape_name: str
    min_length: int | None
    max_length: int | None
    pattern: str | None  # a Java regex, applied to the whole value (see strategies.patterns)
    enum: tuple[str, ...]

    def require_pattern(self) -> str:
        """The pattern, for builders that cannot work without one."""
        if self.pattern is None:
            raise ModelShapeError(f"{self.shape_name} no longer has a pattern")
        return self.pattern

    def require_max_length(self) -> int:
        """The maximum length, for builders that cannot work without one."""
        if self.max_length is None:
            raise ModelShapeError(f"{self.shape_name} no longer has a maximum length")
        return self.max_length


@dataclass(frozen=True)
class IntegerConstraint:
    shape_name: str
    min_value: int | None
    max_value: int | None


@dataclass(frozen=True)
class ListConstraint:
    shape_name: str
    min_items: int | None
    max_items: int | None
    member: Constraint


@dataclass(frozen=True)
class StructureConstraint:
    shape_name: str
    required: tuple[str, ...]  # in the model's order
    members: Mapping[str, Constraint]


@dataclass(frozen=True)
class OpaqueConstraint:
    """A blob, timestamp, boolean... shape: nothing the suite generates, only its type."""

    shape_name: str
    type_name: str


Constraint: TypeAlias = (
    StringConstraint | IntegerConstraint | ListConstraint | StructureConstraint | OpaqueConstraint
)


@dataclass(frozen=True)
class ErrorSpec:
    code: str  # the wire code, e.g. "NoSuchEntity"
    http_status: int
    sender_fault: bool  # the model omits senderFault for server faults; absent means False
    shape_name: str  # e.g. "NoSuchEntityException": the boto3 client.exceptions attribute


@dataclass(frozen=True)
class ModelIdentity:
    botocore_version: str
    service: str
    api_version: str
    uid: str

    def describe(self) -> str:
        return f"{self.uid} (apiVersion {self.api_version}) from botocore {self.botocore_version}"


@functools.cache
def _data_loader() -> Loader:
    return botocore.session.get_session().get_component("data_loader")


def botocore_session() -> botocore.session.Session:
    """A new botocore session, as ``boto3.session.Session`` makes one, reading botocore's data files
    through the process's one loader, which keeps what it has parsed: the model the strategies are
    built from is the one the clients are made from (`conformance.session.clients`), read and parsed
    once (some 0.03 s), not once more by each session, nor the endpoint and partition tables again.

    The session itself is new each time: botocore registers its handlers when a session is made, and
    moto's in-process mock adds its own to those when it is imported, after the model was read."""
    session = botocore.session.get_session()
    session.register_component("data_loader", _data_loader())
    return session


@functools.cache
def _service_model() -> ServiceModel:
    return botocore_session().get_service_model(SERVICE_NAME)


def _operation(operation: str) -> OperationModel:
    model = _service_model()
    if operation not in model.operation_names:
        raise ModelShapeError(f"the {SERVICE_NAME} model has no operation {operation!r}")
    return model.operation_model(operation)


def _opt_int(shape: Shape, key: str) -> int | None:
    value = shape.metadata.get(key)
    return None if value is None else int(value)


def _convert(shape: Shape, stack: tuple[str, ...] = ()) -> Constraint:
    """One botocore shape as a constraint; ``stack`` guards against recursive structures."""
    meta = shape.metadata
    if isinstance(shape, StructureShape) and shape.name not in stack:
        inner = (*stack, shape.name)
        members = {name: _convert(member, inner) for name, member in shape.members.items()}
        return StructureConstraint(shape.name, tuple(shape.required_members), MappingProxyType(members))
    if isinstance(shape, ListShape):
        return ListConstraint(
            shape.name, _opt_int(shape, "min"), _opt_int(shape, "max"), _convert(shape.member, stack)
        )
    if shape.type_name == "string":
        return StringConstraint(
            shape.name,
            _opt_int(shape, "min"),
            _opt_int(shape, "max"),
            meta.get("pattern"),
            tuple(shape.enum or ()),
        )
    if shape.type_name in {"integer", "long"}:
        return IntegerConstraint(shape.name, _opt_int(shape, "min"), _opt_int(shape, "max"))
    return OpaqueConstraint(shape.name, shape.type_name)


@functools.cache
def operation_shape(operation: str, direction: Direction = "input") -> StructureConstraint:
    """The input or output structure of ``operation``; an operation without output has no members."""
    op = _operation(operation)
    shape = op.input_shape if direction == "input" else op.output_shape
    if shape is None:
        return StructureConstraint(f"{operation}{direction.title()}", (), MappingProxyType({}))
    converted = _convert(shape)
    assert isinstance(converted, StructureConstraint)
    return converted


_SEGMENT = re.compile(r"([A-Za-z0-9]+)((?:\[\])*)")


def _walk(
    operation: str, member_path: str, direction: Direction
) -> tuple[StructureConstraint, str, Constraint]:
    """The structure holding the last named member, that member's name, and the constraint found."""
    node: Constraint = operation_shape(operation, direction)
    parent, name = operation_shape(operation, direction), ""
    for segment in member_path.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None or not isinstance(node, StructureConstraint) or match[1] not in node.members:
            raise ModelShapeError(f"{operation} {direction} has no member {member_path!r}")
        parent, name, node = node, match[1], node.members[match[1]]
        for _ in range(len(match[2]) // 2):  # each "[]" steps into a list's element shape
            if not isinstance(node, ListConstraint):
                raise ModelShapeError(f"{operation} {direction}: {segment!r} is not a list")
            node = node.member
    return parent, name, node


def member_constraint(operation: str, member_path: str, *, direction: Direction = "input") -> Constraint:
    """The constraint on ``member_path`` (e.g. ``"Tags[].Key"``) of ``operation``'s input or output."""
    return _walk(operation, member_path, direction)[2]


def is_required(operation: str, member_path: str, *, direction: Direction = "input") -> bool:
    """Whether the last named member of ``member_path`` is required by the structure holding it."""
    parent, name, _ = _walk(operation, member_path, direction)
    return name in parent.required


def string_constraint(
    operation: str, member_path: str, *, direction: Direction = "input"
) -> StringConstraint:
    found = member_constraint(operation, member_path, direction=direction)
    if not isinstance(found, StringConstraint):
        raise ModelShapeError(f"{operation}.{member_path} is {type(found).__name__}, not a string")
    return found


def integer_constraint(
    operation: str, member_path: str, *, direction: Direction = "input"
) -> IntegerConstraint:
    found = member_constraint(operation, member_path, direction=direction)
    if not isinstance(found, IntegerConstraint):
        raise ModelShapeError(f"{operation}.{member_path} is {type(found).__name__}, not an integer")
    return found


def list_constraint(operation: str, member_path: str, *, direction: Direction = "input") -> ListConstraint:
    found = member_constraint(operation, member_path, direction=direction)
    if not isinstance(found, ListConstraint):
        raise ModelShapeError(f"{operation}.{member_path} is {type(found).__name__}, not a list")
    return found


@functools.cache
def operation_errors(operation: str) -> Mapping[str, ErrorSpec]:
    """The modeled errors of ``operation`` keyed by wire code (``operations[...].errors`` + ``error``)."""
    specs = {}
    for shape in _operation(operation).error_shapes:
        error = shape.metadata.get("error", {})
        if "httpStatusCode" not in error:
            raise ModelShapeError(f"error shape {shape.name} of {operation} has no httpStatusCode")
        code = error.get("code", shape.name)
        specs[code] = ErrorSpec(
            code=code,
            http_status=int(error["httpStatusCode"]),
            sender_fault=bool(error.get("senderFault", False)),
            shape_name=shape.name,
        )
    return MappingProxyType(specs)


def _sensitive_paths(shape: Shape, prefix: str, stack: tuple[str, ...]) -> frozenset[str]:
    """Paths below ``shape`` whose shape carries the model's ``sensitive`` trait."""
    if shape.metadata.get("sensitive"):
        return frozenset({prefix})
    if isinstance(shape, ListShape):
        return _sensitive_paths(shape.member, prefix + "[]", stack)
    found: frozenset[str] = frozenset()
    if isinstance(shape, StructureShape) and shape.name not in stack:
        for name, member in shape.members.items():
            found |= _sensitive_paths(member, f"{prefix}.{name}" if prefix else name, (*stack, shape.name))
    return found


@functools.cache
def sensitive_output_members(operation: str) -> frozenset[str]:
    """Output member paths whose shape the model marks ``sensitive``: what reports must redact."""
    output = _operation(operation).output_shape
    return frozenset() if output is None else _sensitive_paths(output, "", ())


@functools.cache
def model_identity() -> ModelIdentity:
    meta = _service_model().metadata
    return ModelIdentity(
        botocore_version=botocore.__version__,
        service=SERVICE_NAME,
        api_version=str(meta["apiVersion"]),
        uid=str(meta.get("uid", f"{SERVICE_NAME}-{meta['apiVersion']}")),
    )
