"""Results built in code, so that report tests need no endpoint: one result per (check, case, verdict)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reports.model import CheckResult, Evidence, RunResult, TargetInfo, Verdict

__all__ = ["make_result", "make_run"]


def make_result(
    check: str, verdict: Verdict, case: str | None = None, observed: str | None = None
) -> CheckResult:
    return CheckResult(
        check=check,
        operation="CreateVirtualMFADevice",
        clause=f"clause of {check}",
        evidence=Evidence.DOCUMENTED,
        verdict=verdict,
        case=case,
        title=f"the rule of {check}",
        message=f"{check} ({verdict}): the rule of {check}\nExpected: it holds"
        if verdict is not Verdict.PASS
        else "",
        observed=observed,
    )


def make_run(*results: CheckResult, **changes: Any) -> RunResult:
    run = RunResult(
        target=TargetInfo("moto-server", "http://127.0.0.1:1", "us-east-1", "5.2.5", "123456789012"),
        suite_version="0.1.0",
        model_version="iam-2010-05-08 from botocore 1.44.5",
        profile="quick",
        started="2026-11-22T00:00:00+00:00",
        finished="2026-11-22T00:00:30+00:00",
        api_calls=10,
        results=results,
        seed=20261122,
    )
    return replace(run, **changes)
