"""What an invalid input broke: the closed vocabulary of labels, and the ``Violation`` each example carries.

Why a registry: a negative check is only as good as its claim about what it broke. Every label names
one constraint, of one member, from one kind of evidence; the self-tests walk the model and fail if a
constraint of the request has no label, and reports print ``Violation.describe()`` verbatim. Labels are
stable ids: add new ones, never rename.

Model constraints are cited by shape and trait, read from the model when a report asks
(``LabelSpec.source``); the one documented constraint cites its page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

from strategies.model import member_constraint, model_identity, operation_shape

__all__ = [
    "CREATE_LABELS",
    "LABELS",
    "SERIAL_LABELS",
    "ConstraintKind",
    "Evidence",
    "InvalidRequest",
    "LabelSpec",
    "Violation",
]

Evidence: TypeAlias = Literal["model", "documented"]
ConstraintKind: TypeAlias = Literal[
    "pattern", "min-length", "max-length", "required", "max-items", "unique-keys-case-insensitive"
]

_CREATE = "CreateVirtualMFADevice"
_TAG_KEY_CASE = (
    "IAM User Guide, Tagging IAM resources: tag keys are not case sensitive, 'you cannot have separate "
    "Department and department tag keys', https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html"
)


@dataclass(frozen=True)
class LabelSpec:
    label: str
    operation: str
    member: str  # member path in the model: "Path", "Tags[].Key"
    kind: ConstraintKind
    evidence: Evidence
    breaks: str  # what an example with this label looks like

    def source(self) -> str:
        """Where the constraint comes from: the model's shape and trait, or the page documenting it."""
        if self.evidence == "documented":
            return _TAG_KEY_CASE
        if self.kind == "required":
            parent, _, name = self.member.rpartition(".")
            holder = member_constraint(self.operation, parent) if parent else operation_shape(self.operation)
            return f"model {model_identity().uid}: {holder.shape_name} requires {name}"
        shape = member_constraint(self.operation, self.member).shape_name
        return f"model {model_identity().uid}: {shape} {self.kind}"


def _spec(
    label: str, member: str, kind: ConstraintKind, breaks: str, evidence: Evidence = "model"
) -> LabelSpec:
    return LabelSpec(label, _CREATE, member, kind, evidence, breaks)


CREATE_LABELS: tuple[LabelSpec, ...] = (
    _spec("path.pattern.no-leading-slash", "Path", "pattern", "a path that does not begin with '/'"),
    _spec("path.pattern.no-trailing-slash", "Path", "pattern", "a path that does not end with '/'"),
    _spec("path.pattern.char", "Path", "pattern", "a path holding one character outside its class"),
    _spec("path.length.min", "Path", "min-length", "the empty path"),
    _spec("path.length.max", "Path", "max-length", "a pattern-valid path just over the maximum"),
    _spec(
        "name.pattern.char",
        "VirtualMFADeviceName",
        "pattern",
        "a name holding one character outside its class",
    ),
    _spec("name.length.min", "VirtualMFADeviceName", "min-length", "the empty name"),
    _spec("name.required", "VirtualMFADeviceName", "required", "no name at all"),
    _spec("tags.count.max", "Tags", "max-items", "valid, distinct tags just over the maximum count"),
    _spec("tag.key.length.min", "Tags[].Key", "min-length", "a tag with an empty key"),
    _spec("tag.key.length.max", "Tags[].Key", "max-length", "a tag key just over the maximum"),
    _spec("tag.key.pattern", "Tags[].Key", "pattern", "a tag key holding one character outside its class"),
    _spec("tag.key.required", "Tags[].Key", "required", "a tag without a key"),
    _spec("tag.value.length.max", "Tags[].Value", "max-length", "a tag value just over the maximum"),
    _spec(
        "tag.value.pattern", "Tags[].Value", "pattern", "a tag value holding one character outside its class"
    ),
    _spec("tag.value.required", "Tags[].Value", "required", "a tag without a value"),
    _spec(
        "tags.keys.duplicate-case-insensitive",
        "Tags[].Key",
        "unique-keys-case-insensitive",
        "two tags whose keys differ only in letter case",
        evidence="documented",
    ),
)


# SerialNumber is one shape (serialNumberType) in every operation that takes it; its labels cite it
# through one of them (strategies.invalid_serials sends them to all).
_SERIAL_OPERATION = "DeleteVirtualMFADevice"
SERIAL_LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        "serial.length.min", _SERIAL_OPERATION, "SerialNumber", "min-length", "model", "a serial too short"
    ),
    LabelSpec(
        "serial.length.max",
        _SERIAL_OPERATION,
        "SerialNumber",
        "max-length",
        "model",
        "a device serial just over the maximum length",
    ),
    LabelSpec(
        "serial.pattern.char",
        _SERIAL_OPERATION,
        "SerialNumber",
        "pattern",
        "model",
        "a device serial holding one character outside its class",
    ),
)


def _index(specs: tuple[LabelSpec, ...]) -> Mapping[str, LabelSpec]:
    index: dict[str, LabelSpec] = {}
    for spec in specs:
        if spec.label in index:
            raise RuntimeError(f"duplicate violation label {spec.label!r}")
        index[spec.label] = spec
    return MappingProxyType(index)


LABELS: Mapping[str, LabelSpec] = _index(CREATE_LABELS + SERIAL_LABELS)


@dataclass(frozen=True)
class Violation:
    """The one constraint an invalid input breaks, and how it was broken."""

    operation: str
    member: str  # the concrete member: "Path", "Tags[3].Key"
    label: str
    change: str  # what was done, past tense: "sent a 513-character path"

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown violation label {self.label!r}")

    @property
    def spec(self) -> LabelSpec:
        return LABELS[self.label]

    @property
    def evidence(self) -> Evidence:
        return self.spec.evidence

    def describe(self) -> str:
        """One sentence for reports: operation, member, the change, and the constraint it breaks."""
        return f"{self.operation} {self.member}: {self.change}; breaks {self.label} ({self.spec.source()})."


@dataclass(frozen=True)
class InvalidRequest:
    """boto3 keyword arguments breaking exactly one constraint, and which."""

    params: dict[str, object]
    violation: Violation
