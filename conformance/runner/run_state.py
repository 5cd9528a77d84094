"""What the plugin holds for one pytest session: the run's configuration, its session with the endpoint,
the results so far and what the run itself met.

Kept in the pytest config's stash under `STATE`, so that every part of the plugin (the hooks in
`conformance.runner.plugin`, the recording of verdicts, the end of the run, the merge of the workers'
results) reads the one run.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest

from conformance.emulators.identify import identify
from conformance.judging.memo import ObservationMemo
from conformance.runner.config import ConfigError, RunConfig
from conformance.runner.interrupts import Interrupts
from conformance.session.health import Breakage
from conformance.session.suite import SuiteSession, open_suite
from conformance.session.targets import EndpointError
from reports.model import CheckResult, Leftover

__all__ = ["DAMAGES_STATE", "STATE", "ConformanceRun", "now", "open_run"]

DAMAGES_STATE = "damages_state"


class ConformanceRun:
    """Plugin state for one pytest session."""

    def __init__(self, config: RunConfig, earlier_requests: int = 0) -> None:
        self.config = config
        self.earlier_requests = earlier_requests  # sent before pytest started: the command's preflight
        self.suite: SuiteSession | None = None
        self.exit_stack = contextlib.ExitStack()
        self.started = now()
        self.results: list[CheckResult] = []
        self.missing_operations: dict[str, str] = {}  # operation -> the check that reported it missing
        self.memo = ObservationMemo()  # observations shared by the checks of a scenario
        self.notes: list[str] = []  # what the run itself met (a failed cleanup), for the report
        self.breakage: Breakage | None = None  # the endpoint broke: since when, once the run noticed
        self.active = False
        self.interrupts = Interrupts()
        self._label: tuple[str | None] | None = None
        self.leftovers: tuple[Leftover, ...] = ()  # what the final sweep could not delete

    def label(self) -> str | None:
        """What reports call the target: asked of the endpoint once (not at each progress write)."""
        if self._label is None and self.suite is not None:
            self._label = (self.config.label or _product_label(self.suite),)
        return self._label[0] if self._label else None

    def open(self) -> SuiteSession:
        if self.suite is None:
            self.suite = self.exit_stack.enter_context(open_suite(self.config))
            self.suite.clients.counter.mark_preflight(self.earlier_requests)
            self.interrupts.on_hurry = self.suite.hurry
        return self.suite


STATE = pytest.StashKey[ConformanceRun]()


def open_run(run: ConformanceRun) -> SuiteSession:
    try:
        return run.open()  # check the endpoint before the first test: a dead endpoint is one line
    except (ConfigError, EndpointError) as error:
        raise pytest.UsageError(str(error)) from None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _product_label(suite: SuiteSession) -> str | None:
    """The product behind the endpoint: moto for the embedded targets, else what the endpoint says."""
    endpoint = suite.endpoint
    if endpoint.target in ("moto-server", "moto"):
        return f"moto {endpoint.version}" if endpoint.version else "moto"
    if endpoint.target == "aws":
        return "AWS"
    if endpoint.target == "url" and endpoint.url:
        return identify(endpoint.url)
    return None
