"""Authentication codes after the first enable: ResyncMFADevice with fresh and with wrong codes, and
EnableMFADevice offered a code that breaks the model (`conformance.scenarios.authentication_codes`).

Few resync examples, each may wait for a fresh 30-second step, and no shrinking: the device's name
plays no part in a resync, and each replay could wait again.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.runner.examples import boundary_or_drawn, per_label, with_boundaries
from conformance.runner.profiles import suite_settings
from conformance.scenarios import authentication_codes as codes
from conformance.scenarios import checks_for
from strategies.authentication_codes import MALFORMED_CODE_LABELS, malformed_code_boundaries, malformed_codes

_FEW = min(suite_settings().max_examples, 2)
_NO_SHRINK = [phase for phase in suite_settings().phases if phase is not Phase.shrink]


@pytest.mark.parametrize("check", checks_for(codes.RESYNC), ids=str)
@settings(suite_settings(), max_examples=_FEW, phases=_NO_SHRINK)
@given(name=codes.NAMES)
def test_resync(check: Check[Any], name: str, judge: Judge) -> None:
    judge.gathered(check, codes.gather_resync, name)


def _malformed_code_test(label: str) -> Any:
    """The test of one way a code is malformed, with its own boundaries (`per_label`)."""

    @pytest.mark.parametrize("label", [label])
    @pytest.mark.parametrize("check", checks_for(codes.MALFORMED), ids=str)
    @settings(suite_settings())
    @with_boundaries(malformed_code_boundaries().get(label, ()), name="boundary")
    @given(name=codes.NAMES, data=st.data(), boundary=st.none())
    def test_malformed_code(
        check: Check[Any],
        label: str,
        name: str,
        data: st.DataObject | None,
        boundary: str | None,
        judge: Judge,
    ) -> None:
        code = boundary_or_drawn(boundary, data, malformed_codes(label), "AuthenticationCode1")
        judge.gathered(check, codes.gather_malformed, name, code, MALFORMED_CODE_LABELS[label])

    return test_malformed_code


per_label("test_malformed_code", sorted(MALFORMED_CODE_LABELS), _malformed_code_test, globals())
