"""Valid requests whose serial the model forbids: what the endpoint does is recorded (INFO).

These are explicit requests, not drawn ones: each may leave a device that a conformant endpoint
refuses to delete (its serial breaks the SerialNumber pattern), so they are few, never sent to real
AWS, and any device left behind is named in the check's note.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from conformance.checks.registry import Check, checks_for
from conformance.observations import ContradictionProbe, CreatedDevice, Rejection
from conformance.results import Judge
from conformance.suite import SuiteSession
from strategies.edge_cases import EdgeCase, serial_contradiction_cases

CASES = serial_contradiction_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.reason for case in CASES])
@pytest.mark.parametrize("check", checks_for("create.contradiction"), ids=str)
def test_serial_contradiction(check: Check[Any], case: EdgeCase, suite: SuiteSession, judge: Judge) -> None:
    if suite.config.target == "aws":
        pytest.skip("not sent to real AWS: it could leave a device that cannot be deleted")
    with suite.create_device(case.params) as outcome:
        created = outcome
    deletion = "deleted"
    if isinstance(created, CreatedDevice) and created.serial_number in suite.tracker.tracked():
        try:  # create_device's own delete was refused; once more, to say how
            suite.tracker.release_device(created.serial_number)
        except (ClientError, BotoCoreError) as error:
            deletion = f"refused ({type(error).__name__}): the device is left on the endpoint"
            suite.tracker.forget_device(created.serial_number)
    assert isinstance(created, CreatedDevice | Rejection)
    judge(check, ContradictionProbe(case.reason, created, deletion))
