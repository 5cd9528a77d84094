"""``--max-calls N``: a run stops sending once N calls are spent, the checks left are SKIP "call budget
spent", and what the run made is still deleted (the deletes are sent whatever the budget says)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reference import ReferenceEndpoint
from tests.suite_runner import run_suite

pytestmark = pytest.mark.slow

_BUDGET = 60


def test_a_spent_budget_skips_the_rest_and_still_cleans_up(tmp_path: Path) -> None:
    with ReferenceEndpoint() as endpoint:
        run = run_suite(
            tmp_path / "report",
            "--max-calls",
            str(_BUDGET),
            url=endpoint.url,
            profile="quick",
            keyword="assignment or tags",
        )
        store = endpoint.app.context.store
        left = [*store.devices, *store.users]
        created = endpoint.app.actions["CreateVirtualMFADevice"] + endpoint.app.actions["CreateUser"]
    assert run.returncode == 0, run.stdout[-3000:]
    results = run.document["results"]
    spent = [item for item in results if "call budget spent (--max-calls 60)" in item["message"]]
    assert spent and all(item["verdict"] == "SKIP" for item in spent)
    assert any(item["verdict"] == "PASS" for item in results)  # the checks before it were judged
    assert left == [] and created > 0
    # the checks' own calls stopped at the budget; the rest are the deletes of what the run made
    assert run.document["api_calls"] <= _BUDGET + 2 * created + 10, run.document["api_calls"]
