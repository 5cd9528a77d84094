"""The suite's runs against the reference endpoint that several test modules read: the conformant run
(the whole suite at ``quick``), which the proof table judges and the workers' test compares a 2-worker
run with, and the proof table's runs on a mutant. Each is made once per test session (``shared_run``).

A run here is checked as it is made, while its endpoint is still up: nothing left on the endpoint but
what the run may leave, no error inside the endpoint, a device created where the run creates devices,
and no secret the endpoint handed out anywhere in the run's output or report files. What the endpoint
still holds at the end is kept beside the report (`left_on_endpoint`), for a test that compares it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from strategies.serials import serial_is_valid
from tests.reference import ReferenceEndpoint
from tests.reference.artifacts import Issued
from tests.suite_runner import SuiteRun, run_suite, shared_run

__all__ = ["CONFORMANT_PROFILE", "conformant_run", "left_on_endpoint", "run_against"]

CONFORMANT_PROFILE = "quick"
_LEFT = "left-on-endpoint.json"


def run_against(
    report_dir: Path,
    mutant: str | None,
    *args: str,
    may_leave: bool = False,
    creates: bool = True,
    timeout: float = 300,
) -> SuiteRun:
    """The suite, through its CLI with ``args``, on the reference endpoint or one ``mutant`` of it.
    ``may_leave``: the mutant keeps devices it was asked to delete; ``creates``: the run creates devices."""
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        run = run_suite(report_dir, *args, url=endpoint.url, timeout=timeout)
        store = endpoint.app.context.store
        left = (sorted(store.devices), sorted(store.users))
        # Only a device the spec's contradiction makes undeletable (its serial breaks the model) stays.
        kept = [serial for serial in store.devices if serial_is_valid(serial)]
        assert may_leave or (not kept and not store.users), mutant
        assert endpoint.app.internal_errors == []
        issued = endpoint.app.context.issued
        assert issued or not creates, "no device created"
        _assert_no_secret_in(run, issued)
    (report_dir.parent / _LEFT).write_text(json.dumps(left))
    return run


def left_on_endpoint(run: SuiteRun) -> tuple[list[str], list[str]]:
    """The serials of the devices and the names of the users the endpoint held after ``run``."""
    devices, users = json.loads((run.report_dir.parent / _LEFT).read_text())
    return devices, users


def _assert_no_secret_in(run: SuiteRun, issued: Sequence[Issued]) -> None:
    """Every seed and QR image the endpoint handed out, in every usual spelling, is absent."""
    files = [path.read_text(errors="replace") for path in run.report_dir.rglob("*") if path.is_file()]
    output = "\n".join([run.stdout, run.stderr, *files])
    for item in issued:
        spellings = {item.seed_text, item.secret, base64.b64encode(item.seed_text.encode()).decode()}
        spellings |= {item.qr_png.hex()[:64], base64.b64encode(item.qr_png).decode()[16:80]}
        assert not any(spelling in output for spelling in spellings)


def conformant_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """The conformant endpoint, judged by one complete serial suite run with the fixed seed, made once
    for every test and xdist worker that reads it."""

    def make(report_dir: Path) -> SuiteRun:
        # A whole suite run: 90-200 s at load 5-15; as generous as the workers' runs, which wait for it.
        return run_against(report_dir, None, "--profile", CONFORMANT_PROFILE, timeout=900)

    return shared_run(tmp_path_factory, "reference", make)
