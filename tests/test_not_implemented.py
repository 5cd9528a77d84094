"""NOT_IMPLEMENTED is decided in one place, whichever part of the suite meets the missing operation
first: here the lifecycle state machine, whose opening deactivates a device on an endpoint that lacks
DeactivateMFADevice. It used to raise a plain skip there, and the finding was reported as SKIP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reference import ReferenceEndpoint
from tests.reference import core as reference_core
from tests.suite_runner import run_suite


@pytest.mark.slow
def test_a_missing_operation_met_by_the_state_machine_is_not_implemented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The endpoint runs in this process: without the handler it answers 400 InvalidAction, as an
    # emulator lacking the action does.
    monkeypatch.delitem(reference_core.HANDLERS, "DeactivateMFADevice")
    with ReferenceEndpoint() as endpoint:
        run = run_suite(tmp_path, url=endpoint.url, profile="quick", keyword="test_lifecycle_state_machine")
    verdicts = run.verdicts
    assert verdicts == {
        "vmfa.lifecycle.answers-agree": "NOT_IMPLEMENTED",
        "vmfa.lifecycle.lists-agree": "SKIP",
    }, run.stderr[-2000:]
    assert run.result("vmfa.lifecycle.answers-agree")["message"].startswith(
        "not implemented by the endpoint: DeactivateMFADevice (HTTP 400 InvalidAction"
    )
    assert run.result("vmfa.lifecycle.lists-agree")["message"] == (
        "depends on DeactivateMFADevice, which the endpoint does not implement "
        "(see vmfa.lifecycle.answers-agree)"
    )
