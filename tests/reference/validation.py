"""Input validation against the model's constraints, with AWS's wording.

Real AWS checks the modeled constraints (required, length, pattern, enum, range) before any semantics and
answers all failures at once: ``400 ValidationError`` "N validation error(s) detected: Value ... at
'<member>' failed to satisfy constraint: ...". Member names are the lowerCamel model names, list elements
are ``tags.1.member.key``. Lengths are counted in Unicode code points (Smithy's ``@length`` for strings).

Two recorded wordings (SPEC-NOTES, "Observed on real AWS") shape the rest:
- a too-long Path is reported without its value ("Value at 'path' ..."), so length messages omit values;
- a Path that breaks the pattern gets IAM's own sentence instead of the generic one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .javaregex import compile_java, python_semantics
from .model import IAM, operation
from .mutants import Rules
from .protocol import ApiError

__all__ = [
    "INVALID_PATH",
    "Violation",
    "find_violations",
    "input_violations",
    "raise_for",
    "validation_error",
]

INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric "
    "characters and/or / characters."
)

Kind = Literal["required", "length", "pattern", "enum", "range"]


@dataclass(frozen=True)
class Violation:
    """One broken constraint: where, which kind, and AWS's sentence for it."""

    member: str
    kind: Kind
    text: str


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _failed(where: str, value: object, constraint: str) -> str:
    return f"Value '{value}' at '{where}' failed to satisfy constraint: {constraint}"


def _scalar(shape: Any, value: Any, where: str) -> list[Violation]:
    meta = shape.metadata
    found: list[Violation] = []
    if shape.type_name == "string":
        length = len(value)
        if "max" in meta and length > meta["max"]:
            found.append(Violation(where, "length", _length_text(where, "less", meta["max"])))
        if "min" in meta and length < meta["min"]:
            found.append(Violation(where, "length", _length_text(where, "greater", meta["min"])))
        if "pattern" in meta and not compile_java(meta["pattern"]).fullmatch(value):
            found.append(Violation(where, "pattern", _pattern_text(where, value, meta["pattern"])))
        if "enum" in meta and value not in meta["enum"]:
            text = f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]"
            found.append(Violation(where, "enum", _failed(where, value, text)))
    elif shape.type_name in ("integer", "long"):
        if "max" in meta and value > meta["max"]:
            text = f"Member must have value less than or equal to {meta['max']}"
            found.append(Violation(where, "range", _failed(where, value, text)))
        if "min" in meta and value < meta["min"]:
            text = f"Member must have value greater than or equal to {meta['min']}"
            found.append(Violation(where, "range", _failed(where, value, text)))
    return found


def _length_text(where: str, word: str, bound: int) -> str:
    constraint = f"Member must have length {word} than or equal to {bound}"
    return f"Value at '{where}' failed to satisfy constraint: {constraint}"


def _pattern_text(where: str, value: str, pattern: str) -> str:
    return _failed(where, value, f"Member must satisfy regular expression pattern: {pattern}")


def find_violations(shape: Any, value: Any, where: str = "") -> list[Violation]:
    """Every modeled constraint ``value`` breaks, depth first in model member order."""
    kind = shape.type_name
    if kind == "structure":
        found: list[Violation] = []
        for name, member in shape.members.items():
            path = f"{where}.{_lower_camel(name)}" if where else _lower_camel(name)
            if value.get(name) is None:
                if name in shape.required_members:
                    text = f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
                    found.append(Violation(path, "required", text))
                continue
            found.extend(find_violations(member, value[name], path))
        return found
    if kind == "list":
        found = []
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            found.append(Violation(where, "length", _length_text(where, "less", meta["max"])))
        if "min" in meta and len(value) < meta["min"]:
            found.append(Violation(where, "length", _length_text(where, "greater", meta["min"])))
        for index, item in enumerate(value, start=1):
            found.extend(find_violations(shape.member, item, f"{where}.{index}.member"))
        return found
    return _scalar(shape, value, where)


def validation_error(violations: list[Violation]) -> ApiError:
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    details = "; ".join(v.text for v in violations)
    return ApiError("ValidationError", f"{count} validation {noun} detected: {details}")


def _relax_create(rules: Rules, params: dict[str, Any], violations: list[Violation]) -> list[Violation]:
    """The CreateVirtualMFADevice mutants that loosen (or tighten) one input rule."""
    name = params.get("VirtualMFADeviceName")
    name_shape = operation(IAM, "CreateVirtualMFADevice").input_shape.members["VirtualMFADeviceName"]
    name_pattern = str(name_shape.metadata["pattern"])
    path_shape = operation(IAM, "CreateVirtualMFADevice").input_shape.members["Path"]
    path_pattern = str(path_shape.metadata["pattern"])

    def kept(v: Violation) -> bool:
        if v.member == "path" and v.kind == "pattern" and not rules.reject_space_in_path:
            # the mutant: a space passes as if it were a character of the class
            spaceless = str(params.get("Path", "")).replace(" ", "a")
            return compile_java(path_pattern).fullmatch(spaceless) is None
        if v.member == "path":
            return rules.enforce_path_pattern if v.kind == "pattern" else rules.enforce_path_length
        if v.member == "tags" and v.kind == "length":
            return rules.enforce_create_tag_count
        if v.member == "virtualMFADeviceName" and v.kind == "pattern" and not rules.name_word_is_ascii:
            return not python_semantics(name_pattern).fullmatch(name or "")
        return True

    kept_violations = [v for v in violations if kept(v)]
    name_broken = any(v.member == "virtualMFADeviceName" for v in kept_violations)
    if not rules.accept_plus_in_name and isinstance(name, str) and "+" in name and not name_broken:
        text = _pattern_text("virtualMFADeviceName", name, name_pattern)
        kept_violations.append(Violation("virtualMFADeviceName", "pattern", text))
    return kept_violations


def input_violations(op: Any, params: dict[str, Any], rules: Rules) -> list[Violation]:
    """What AWS would reject in ``params``, after the one relaxation a mutant may apply."""
    violations = find_violations(op.input_shape, params) if op.input_shape else []
    if op.name == "CreateVirtualMFADevice":
        violations = _relax_create(rules, params, violations)
    if not rules.validate_code_format:
        violations = [v for v in violations if not v.member.startswith("authenticationCode")]
    if not rules.validate_serial_numbers:
        violations = [v for v in violations if v.member != "serialNumber"]
    if op.name == "ListVirtualMFADevices" and not rules.validate_list_params:
        violations = [v for v in violations if v.member not in ("maxItems", "assignmentStatus")]
    return violations


def raise_for(violations: list[Violation]) -> None:
    """Raise the ValidationError for ``violations``, if any.

    The Path pattern gets its own recorded sentence and is reported only once nothing else is wrong.
    """
    generic = [v for v in violations if not (v.member == "path" and v.kind == "pattern")]
    if generic:
        raise validation_error(generic)
    if violations:
        raise ApiError("ValidationError", INVALID_PATH)
