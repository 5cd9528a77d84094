"""``--workers N``: one run spread over pytest-xdist worker processes, judged and reported as one.

The controller (the process the user started) collects and runs no test. It opens the endpoint (it
starts the embedded moto server, which every worker then shares), lists the devices that are there
before anything is created, hands tests out (`conformance.runner.worker_schedule`: those that may
damage the endpoint, or must have it to themselves, run last and alone), and writes the one report.

A worker opens a session of its own against the controller's endpoint and runs tests as a serial run
would, with three differences:

- its names cannot collide with another worker's: the run's unique tokens are interleaved (worker k
  of n numbers its tokens k+1, k+1+n, ...: as short as a serial run's);
- its tracker writes down every change (`conformance.runner.worker_journal`), so that the
  controller's final sweep covers whatever a worker still held when it was stopped;
- it writes no report: each verdict travels to the controller on the pytest report it belongs to
  (an attribute xdist serialises with it), with the worker's health watch and counters. The controller
  merges the results as they arrive, amends them for a broken endpoint, writes the progressive
  results.json after each one, and at the end puts them in the serial run's order, where the first
  test to meet an operation the endpoint lacks is the one that reports it NOT_IMPLEMENTED
  (`conformance.runner.worker_order`).

Everything a worker sends is a result the worker made from its own exceptions; the controller never
judges, it only merges what `conformance.judging.verdicts` decided.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.runner.config import RunConfig
from conformance.runner.worker_journal import (
    JOURNAL_SUFFIX,
    PREEXISTING,
    Claims,
    JournaledTracker,
    replay,
    replay_journal,
)
from conformance.runner.worker_names import NameLocks
from conformance.runner.worker_schedule import Layout, TailLastScheduling
from conformance.session.devices import Identity
from conformance.session.health import Breakage
from conformance.session.suite import SuiteSession
from reports.model import CheckResult, ReadConsistency

__all__ = [
    "EXCLUSIVE",
    "Controller",
    "Payload",
    "controller_of",
    "is_worker",
    "note_collection",
    "payload_of",
    "prepare_worker",
    "send_payload",
    "shared_endpoint",
    "start_controller",
    "worker_output",
]

EXCLUSIVE = "exclusive"
_KEY = "iam_conformance"  # in xdist's workerinput, workeroutput and on the reports
_CONTROLLER = pytest.StashKey["Controller"]()
_TAIL_MARKS = ("damages_state", EXCLUSIVE)
_NOTE_PATIENCE_S = 30.0  # for a worker's note of its collection (`Controller.layout`)


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def distributed(config: pytest.Config) -> bool:
    """The controller of an xdist run (``-n N``), not collecting only."""
    dist = config.getoption("dist", default="no")
    return not is_worker(config) and dist not in (None, "no") and not config.option.collectonly


# ---- the worker's side


def _input(config: pytest.Config) -> dict[str, Any] | None:
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    shared: dict[str, Any] | None = workerinput.get(_KEY)
    return shared


def shared_endpoint(config: pytest.Config) -> dict[str, Any] | None:
    """What a worker's run configuration takes from the controller's: its endpoint, the patience it
    resolved, the label, who the run is on the endpoint it checked; no report. None outside a worker of
    a conformance run."""
    shared = _input(config)
    if shared is None:
        return None
    settings = dict(shared["settings"])
    # The one setting that is no plain value, the identity, travels as its fields (`start_controller`).
    settings.update({name: Identity(**value) for name, value in settings.items() if isinstance(value, dict)})
    return settings


def note_collection(config: pytest.Config, items: Sequence[pytest.Item]) -> None:
    """A worker's collection, ordered: the indices of the tests that run last and alone, for the
    controller's scheduler (which sees test ids only)."""
    shared = _input(config)
    if shared is None:
        return
    held = [index for index, item in enumerate(items) if any(item.get_closest_marker(m) for m in _TAIL_MARKS)]
    groups: dict[str, int] = {}
    grouped = [groups.setdefault(_group(item), len(groups)) for item in items]
    worker = config.workerinput["workerid"]  # type: ignore[attr-defined]
    path = Path(shared["folder"]) / f"collection-{worker}.json"
    noted = {"count": len(items), "held": held, "groups": grouped}
    written = path.with_suffix(".part")
    written.write_text(json.dumps(noted))
    written.rename(path)  # whole, or not there yet (`Controller.layout` waits for it)


def _group(item: pytest.Item) -> str:
    """The test function and its parameters but the check: the tests that draw the same examples."""
    callspec = getattr(item, "callspec", None)
    params = {} if callspec is None else callspec.params
    others = sorted((name, repr(value)) for name, value in params.items() if name != "check")
    return f"{item.nodeid.partition('[')[0]} {others}"


def prepare_worker(config: pytest.Config, suite: SuiteSession) -> None:
    """The worker's session: interleaved tokens, a journaled tracker, device names held one at a time."""
    shared = _input(config)
    if shared is None:
        return
    workerinput: dict[str, Any] = config.workerinput  # type: ignore[attr-defined]
    number = int(re.sub(r"\D", "", str(workerinput["workerid"])) or 0)
    count = int(workerinput["workercount"])
    # A worker xdist started in place of a crashed one (gw<count> and up) numbers far from the others.
    suite.token_stride = count
    suite.token_offset = number % count + 1_000_000 * (number // count)
    folder = Path(shared["folder"])
    own = folder / f"{workerinput['workerid']}{JOURNAL_SUFFIX}"
    old = suite.tracker
    suite.tracker = JournaledTracker(
        delete_device=old.delete_device,
        list_device_serials=old.list_device_serials,
        delete_user=old.delete_user,
        journal=own,
        claims=Claims(folder, own),
    )
    suite.names = NameLocks(folder / "names")
    if "run_id" in shared:  # what the workers create is the controller's run's: its sweep, its prefix
        suite.ownership = dataclasses.replace(suite.ownership, run_id=str(shared["run_id"]))


@dataclass(frozen=True)
class Payload:
    """What a worker sends with one verdict."""

    result: CheckResult | None  # None: a worker's last word, at its end
    breakage: Breakage | None
    calls: int  # every request the worker sent (retries included)
    throttled_retries: int
    consistency: ReadConsistency
    fault_retries: int = 0


def _tally(suite: SuiteSession) -> dict[str, Any]:
    return {
        "calls": suite.clients.counter.requests,
        "throttled_retries": suite.clients.counter.throttled_retries,
        "fault_retries": suite.clients.counter.fault_retries,
        "consistency": dataclasses.asdict(suite.consistency),
    }


def send_payload(report: pytest.TestReport, result: CheckResult, suite: SuiteSession | None) -> None:
    """Attach the verdict (as judged, before any amendment for damage) to the report xdist sends."""
    if suite is None:
        return
    broken = suite.health.broken
    payload = {"result": result.to_json(), "breakage": dataclasses.asdict(broken) if broken else None}
    setattr(report, _KEY, {**payload, **_tally(suite)})


def worker_output(config: pytest.Config, suite: SuiteSession | None, notes: Sequence[str]) -> None:
    """At a worker's end (after its sweep): its counters, health and notes, for the controller."""
    output: dict[str, Any] | None = getattr(config, "workeroutput", None)
    if output is None or suite is None or _input(config) is None:
        return
    broken = suite.health.broken
    gave_up = suite.names.gave_up if isinstance(suite.names, NameLocks) else []
    waited = [f"{len(gave_up)} device name(s) used beside another worker (it held them too long)"]
    output[_KEY] = {
        **_tally(suite),
        "breakage": dataclasses.asdict(broken) if broken else None,
        # Not its breakage (the controller notes it once, from the payloads) nor a failed cleanup: the
        # controller sweeps what the worker still held again, and notes what it too cannot delete.
        "notes": [
            note
            for note in notes
            if not note.startswith("cleanup: ") and not (broken and note.startswith(broken.describe()))
        ]
        + (waited if gave_up else []),
        "outside": list(suite.ownership.outside),
    }


def _payload(data: dict[str, Any]) -> Payload:
    breakage = data.get("breakage")
    return Payload(
        result=CheckResult.from_json(data["result"]) if "result" in data else None,
        breakage=Breakage(**breakage) if breakage else None,
        calls=int(data["calls"]),
        throttled_retries=int(data["throttled_retries"]),
        consistency=ReadConsistency(**data["consistency"]),
        fault_retries=int(data.get("fault_retries", 0)),
    )


def payload_of(report: pytest.TestReport) -> Payload | None:
    data = getattr(report, _KEY, None)
    return _payload(data) if isinstance(data, dict) and "result" in data else None


# ---- the controller's side


@dataclass
class Controller:
    """The controller's part: the folder it shares with the workers, and what they told it."""

    folder: Path
    settings: dict[str, Any]
    suite: SuiteSession  # the controller's own session with the endpoint
    tallies: dict[str, Payload] = field(default_factory=dict)  # worker id -> its latest counters
    indices: list[int] = field(default_factory=list)  # the collection index of each merged result

    def tally(self, worker: str, payload: Payload) -> None:
        self.tallies[worker] = payload

    def calls(self) -> tuple[int, int, int]:
        """Requests the workers sent: in all, throttled and sent again, sent again after a fault."""
        payloads = self.tallies.values()
        return (
            sum(p.calls for p in payloads),
            sum(p.throttled_retries for p in payloads),
            sum(p.fault_retries for p in payloads),
        )

    def consistency(self, own: ReadConsistency) -> ReadConsistency:
        every = [own, *(payload.consistency for payload in self.tallies.values())]
        return ReadConsistency(
            patience_s=own.patience_s,
            reads_polled=sum(c.reads_polled for c in every),
            reads_unsettled=sum(c.reads_unsettled for c in every),
            longest_s=max(c.longest_s for c in every),
            waited_s=round(sum(c.waited_s for c in every), 3),
            waits=sum(c.waits for c in every),
        )

    def layout(self, node: Any, collection: Sequence[str]) -> Layout:
        """What ``node`` noted of its collection: the tail, and the groups (`note_collection`)."""
        path = self.folder / f"collection-{node.gateway.id}.json"
        # xdist's worker tells its collection before the plugin's hook has written the file: it comes.
        deadline = time.monotonic() + _NOTE_PATIENCE_S
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        noted = json.loads(path.read_text()) if path.exists() else {}
        if noted.get("count") != len(collection):  # unknown: every test alone, one after another
            return set(range(len(collection))), []
        return {int(index) for index in noted["held"]}, [int(group) for group in noted["groups"]]

    def sweep_into(self, suite: SuiteSession) -> None:
        """Give the controller's tracker what the workers still held (their journals), for its sweep."""
        replay(self.folder, suite.tracker)

    def sweep_now(self, worker: str) -> None:
        """A worker died: delete what it held at once, before xdist hands its other tests to a worker
        that would draw the same names (the same seed). What cannot be deleted now stays tracked here,
        for the final sweep (which reports it); the journal is done with."""
        journal = self.folder / f"{worker}{JOURNAL_SUFFIX}"
        if journal.exists():
            replay_journal(journal, self.suite.tracker)
            journal.rename(journal.with_suffix(".swept"))
            self.suite.tracker.sweep()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def controller_of(config: pytest.Config) -> Controller | None:
    return config.stash.get(_CONTROLLER, None)


# The runner's ways to record what workers send: a verdict with its report, and a worker's end.
OnResult = Callable[[pytest.TestReport, CheckResult, Breakage | None], None]
OnDown = Callable[[list[str], Breakage | None], None]


def start_controller(
    config: pytest.Config, run: RunConfig, suite: SuiteSession, on_result: OnResult, on_down: OnDown
) -> Controller:
    """The controller's session is open: note the devices there before the run, and share the folder."""
    settings: dict[str, Any] = {  # what each worker's run configuration takes from the controller's
        "target": "url" if run.target == "moto-server" else run.target,  # the moto server started here
        "endpoint_url": suite.endpoint.url if run.target != "aws" else None,
        "patience": run.read_patience,
        "report_dir": None,  # the controller writes the report
        "label": "worker",  # never shown: workers write no report
    }
    # Checked a moment ago: a worker neither checks the endpoint again nor asks who the run is there.
    # Named by keyword, not as a literal: Hypothesis draws the literals of the suite's modules, and one
    # no module held before would change what a seed draws.
    settings.update(checked_identity=dataclasses.asdict(suite.identity))
    folder = Path(tempfile.mkdtemp(prefix="iam-conformance-workers-"))
    (folder / PREEXISTING).write_text(json.dumps(sorted(suite.device_serials())))
    controller = Controller(folder, settings, suite)
    config.stash[_CONTROLLER] = controller
    hooks = _ControllerHooks(controller, on_result, on_down)
    config.pluginmanager.register(hooks, "iam-conformance-controller")
    return controller


class _ControllerHooks:
    def __init__(self, controller: Controller, on_result: OnResult, on_down: OnDown) -> None:
        self.controller = controller
        self.on_result = on_result
        self.on_down = on_down

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Before the terminal shows it: the verdict it carries is merged (and the report aligned)."""
        payload = payload_of(report)
        if str(report.when) == "???" and report.failed:  # xdist's report of a test whose worker died in it
            self.on_down([f"not judged: its worker stopped while it ran: {report.nodeid}"], None)
        if payload is None or payload.result is None:
            return
        node = getattr(report, "node", None)
        self.controller.tally(str(node.gateway.id) if node is not None else "?", payload)
        self.controller.indices.append(int(getattr(report, "item_index", len(self.controller.indices))))
        self.on_result(report, payload.result, payload.breakage)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object | None) -> None:
        payload, notes = worker_down(self.controller, node, error)
        self.on_down(notes, payload.breakage if payload is not None else None)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[_KEY] = {
            "folder": str(self.controller.folder),
            "settings": self.controller.settings,
            "run_id": self.controller.suite.ownership.run_id,  # one run: one prefix, one id in every name
        }

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> TailLastScheduling:
        from xdist.workermanage import parse_tx_spec_config

        return TailLastScheduling(len(parse_tx_spec_config(config)), self.controller.layout, log)


def worker_down(controller: Controller, node: Any, error: object | None) -> tuple[Payload | None, list[str]]:
    """A worker ended: its last counters and notes, and what to note if it did not end by itself."""
    worker = str(node.gateway.id)
    data = getattr(node, "workeroutput", {}).get(_KEY)
    notes = [f"worker {worker} stopped before its end: {error}"] if error is not None else []
    if error is not None:
        controller.sweep_now(worker)
    if not isinstance(data, dict):
        return None, notes
    payload = _payload(data)
    controller.tally(worker, payload)
    # The paths it sent outside the run's prefix: the controller's report counts them with its own.
    controller.suite.ownership.outside.extend(map(str, data.get("outside", ())))
    return payload, [*notes, *map(str, data.get("notes", ()))]
