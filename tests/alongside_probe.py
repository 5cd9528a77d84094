"""What the lifecycle checks' tests did in a suite run: the lists check's observations kept from the
answers check's run (`conformance.scenarios.lifecycle.alongside`), those its own run judged, and the API
calls each test sent. A test aid, loaded with ``-p tests.alongside_probe`` (in ``PYTEST_ADDOPTS``); it
writes one JSON document to the file named by `ENV` when the run ends.

With `OWN_RUN` set, the lists check's test runs its own run even where the kept observations would have
stood (they are noted first): both sets of observations of one run, to compare.

A step is noted as its operation, its parameters with the run's unique tokens made equal (``u`` and a
number: the two runs draw the same names, each with tokens of its own; serials are ARNs holding them),
and whether it was accepted; never a secret (the steps hold none: codes are not shown by
`ApiCall.shown`, and only parameters are noted, which hold no seed).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["ENV", "OWN_RUN"]

ENV = "IAM_ALONGSIDE_PROBE"
OWN_RUN = "IAM_ALONGSIDE_PROBE_OWN_RUN"
_TOKEN = re.compile(r"u\d+")
_CODES = ("AuthenticationCode1", "AuthenticationCode2")

_noted: dict[str, Any] = {"kept": None, "spoilt": None, "judged": [], "calls": {}}
_calls = [0]


def _steps(observed: Any) -> list[list[Any]]:
    noted = []
    for step in observed.steps:
        params = {key: value for key, value in step.call.params.items() if key not in _CODES}
        noted.append(
            [step.call.operation, _TOKEN.sub("u#", json.dumps(params, sort_keys=True)), step.answer is None]
        )
    return noted


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(ENV):
        return
    from botocore.client import BaseClient

    from conformance.judging.verdicts import Judge
    from conformance.scenarios.lifecycle import alongside
    from conformance.scenarios.lifecycle.checks import LISTS

    sent = BaseClient._make_api_call

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        _calls[0] += 1
        return sent(self, *args, **kwargs)

    BaseClient._make_api_call = counted
    judged, judge_one = alongside.judged, Judge.__call__

    def noting(suite: Any, judge: Any, check: Any) -> bool:
        kept = suite.held.get(alongside._HELD)
        if kept is not None:
            _noted["kept"] = [_steps(observed) for observed in kept.observations]
            _noted["spoilt"] = kept.spoilt
        if os.environ.get(OWN_RUN):
            suite.held.pop(alongside._HELD, None)
            return False
        return judged(suite, judge, check)

    def judging(self: Any, check: Any, observation: Any) -> None:
        if check.scenario == LISTS:
            _noted["judged"].append(_steps(observation))
        judge_one(self, check, observation)

    alongside.judged = noting
    Judge.__call__ = judging  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    before = _calls[0]
    yield
    _noted["calls"][item.nodeid.rsplit("[", 1)[-1].rstrip("]")] = _calls[0] - before


def pytest_unconfigure(config: pytest.Config) -> None:
    out = os.environ.get(ENV)
    if out:
        with open(out, "w", encoding="utf-8") as document:
            json.dump(_noted, document)
