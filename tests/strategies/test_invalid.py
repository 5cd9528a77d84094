"""Invalid strategies: each example breaks exactly its labelled constraint; each constraint has a label."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.violations import CREATE_LABELS, LABELS, InvalidRequest, Violation
from tests.strategies.validator import raw_model, raw_shape, violations

_OPERATION = "CreateVirtualMFADevice"


@given(invalid_create_virtual_mfa_device_requests(name_prefix="ci-"))
def test_every_example_breaks_exactly_its_label(request: InvalidRequest) -> None:
    assert violations(request.params) == {request.violation.label}, request.violation.describe()


@pytest.mark.parametrize("label", sorted(spec.label for spec in CREATE_LABELS))
@settings(max_examples=5)  # a smoke test per label; the mixed test above runs the profile's full count
@given(data=st.data())
def test_each_label_builds(label: str, data: st.DataObject) -> None:
    request = data.draw(invalid_create_virtual_mfa_device_requests([label]))
    violation = request.violation
    assert violation.label == label and violations(request.params) == {label}
    assert violation.operation == _OPERATION
    assert re.sub(r"\[\d+\]", "[]", violation.member) == LABELS[label].member
    sentence = violation.describe()
    assert label in sentence and violation.member in sentence and violation.change in sentence


def _model_constraints(shape_name: str, prefix: str = "") -> set[tuple[str, str]]:
    """(member path, kind) for every breakable constraint below a structure of the raw model."""
    found: set[tuple[str, str]] = set()
    structure = raw_shape(shape_name)
    found |= {(f"{prefix}{name}", "required") for name in structure.get("required", [])}
    for name, ref in structure["members"].items():
        path, shape = f"{prefix}{name}", raw_shape(ref["shape"])
        if shape.get("min", 0) > 0:
            found.add((path, "min-items" if shape["type"] == "list" else "min-length"))
        if "max" in shape:
            found.add((path, "max-items" if shape["type"] == "list" else "max-length"))
        if "pattern" in shape:
            found.add((path, "pattern"))
        if shape["type"] == "list" and raw_shape(shape["member"]["shape"])["type"] == "structure":
            found |= _model_constraints(shape["member"]["shape"], f"{path}[].")
    return found


def test_every_model_constraint_of_the_request_has_a_label() -> None:
    request: Any = raw_model()["operations"][_OPERATION]["input"]["shape"]
    in_model = _model_constraints(request)
    labelled = {(spec.member, spec.kind) for spec in CREATE_LABELS if spec.evidence == "model"}
    assert in_model - labelled == set(), "constraints without a label"
    assert labelled - in_model == set(), "labels citing a constraint the model lacks"


@settings(max_examples=5)
@given(invalid_create_virtual_mfa_device_requests(["tags.keys.duplicate-case-insensitive"]))
def test_the_documented_label_says_so(request: InvalidRequest) -> None:
    assert request.violation.evidence == "documented"
    assert "IAM User Guide" in request.violation.spec.source()
    assert "not a model constraint" in request.violation.describe()


@pytest.mark.parametrize("spec", CREATE_LABELS, ids=lambda spec: spec.label)
def test_sources_cite_the_model_shape(spec: Any) -> None:
    if spec.evidence == "model":
        assert spec.source().startswith("model iam-")
    if spec.kind != "required" and spec.evidence == "model":
        assert any(name in spec.source() for name in raw_model()["shapes"])


def test_labels_are_checked() -> None:
    with pytest.raises(ValueError):
        invalid_create_virtual_mfa_device_requests(["path.nonsense"])
    with pytest.raises(ValueError):
        invalid_create_virtual_mfa_device_requests([])
    with pytest.raises(TypeError):
        invalid_create_virtual_mfa_device_requests("path.length.min")
    with pytest.raises(ValueError):
        Violation(_OPERATION, "Path", "path.nonsense", "did nothing")
    with pytest.raises(ValueError):
        invalid_create_virtual_mfa_device_requests(name_prefix="caf\u00e9")


@settings(max_examples=20)
@given(
    invalid_create_virtual_mfa_device_requests(["name.pattern.char", "path.length.max"], name_prefix="ci-")
)
def test_the_name_prefix_is_kept(request: InvalidRequest) -> None:
    assert str(request.params["VirtualMFADeviceName"]).startswith("ci-")
