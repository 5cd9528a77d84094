"""Valid requests whose serial the model forbids: what the endpoint does is recorded (INFO).

These are explicit requests, not drawn ones: each may leave a device that a conformant endpoint
refuses to delete (its serial breaks the SerialNumber pattern), so they are few, never sent to real
AWS, and any device left behind is named in the check's note.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.scenarios import checks_for, contradictions
from conformance.session.suite import SuiteSession
from strategies.edge_cases import EdgeCase, serial_contradiction_cases

CASES = serial_contradiction_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.reason for case in CASES])
@pytest.mark.parametrize("check", checks_for(contradictions.CONTRADICTION), ids=str)
def test_serial_contradiction(check: Check[Any], case: EdgeCase, suite: SuiteSession, judge: Judge) -> None:
    if suite.endpoint.target == "aws":
        pytest.skip("not sent to real AWS: it could leave a device that cannot be deleted")
    judge(check, contradictions.gather(suite, case))
