"""The run as a `RunResult`: every result so far and what the run itself met, for the progressive
results.json (`conformance.runner.recording`) and for the reports at the end (`conformance.runner.ending`).

With ``--workers``, the requests the workers sent and the read consistency they saw are added in
(`conformance.runner.workers.Controller`).
"""

from __future__ import annotations

import dataclasses

import pytest

from conformance.runner import workers
from conformance.runner.aws_options import mask_account, ownership_notes
from conformance.runner.run_state import ConformanceRun, now
from reports.model import ReadConsistency, RunResult, TargetInfo

__all__ = ["hypothesis_seed", "summary"]


def summary(run: ConformanceRun, config: pytest.Config, *, complete: bool) -> RunResult:
    """The run as it stands: every result so far, and what the run itself met."""
    suite = run.suite
    assert suite is not None, "a summary needs the session"
    consistency = ReadConsistency(**dataclasses.asdict(suite.consistency))
    elsewhere = (0, 0, 0)  # requests the workers of --workers sent (`Controller.calls`)
    controller = workers.controller_of(config)
    if controller is not None:
        elsewhere, consistency = controller.calls(), controller.consistency(consistency)
    result = RunResult(
        target=TargetInfo(
            name=suite.endpoint.target,
            url=suite.endpoint.url,
            region=suite.endpoint.region,
            version=suite.endpoint.version,
            account_id=suite.identity.account_id,
            label=run.label(),
        ),
        suite_version=_suite_version(),
        model_version=_model_version(),
        profile=str(run.config.profile),
        started=run.started,
        finished=now(),
        api_calls=suite.clients.counter.requests + run.earlier_requests + elsewhere[0],  # every request sent
        throttled_retries=suite.clients.counter.throttled_retries + elsewhere[1],
        preflight_calls=suite.clients.counter.preflight,
        fault_retries=suite.clients.counter.fault_retries + elsewhere[2],
        results=tuple(run.results),
        seed=hypothesis_seed(config),
        consistency=consistency,
        complete=complete,
        notes=(*run.notes, *ownership_notes(suite)),
        leftovers=run.leftovers,
        interrupted=run.interrupts.interrupted,
    )
    return mask_account(result, run.config)  # on AWS, unless --show-account


def hypothesis_seed(config: pytest.Config) -> int | None:
    value = config.getoption("hypothesis_seed", None)
    return int(value) if value is not None and str(value).isdigit() else None


def _suite_version() -> str:
    from conformance import __version__

    return __version__


def _model_version() -> str:
    from strategies.model import model_identity

    return model_identity().describe()
