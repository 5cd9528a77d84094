"""The switches as a whole: their values, the latency switch, and ``python -m tests.reference`` options.

Throttling and read lag have their own modules (``test_throttling.py``, ``test_read_lag.py``). Latency is
shown with a lower bound only: how much longer a loaded machine takes is not the endpoint's doing.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.reference import Noise
from tests.reference.__main__ import _noise, _parser
from tests.reference.mutants import Rules

from .helpers import post_form, running

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"


@pytest.mark.parametrize(
    "values",
    [
        {"latency_ms": -1},
        {"latency_ms": float("inf")},
        {"read_lag_s": -0.5},
        {"read_lag_s": float("nan")},
        {"throttle_rate": 1.01},
        {"throttle_rate": -0.1},
        {"throttle_rate": float("nan")},
    ],
)
def test_values_out_of_range_are_refused(values: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(values))):
        Noise(**values)  # type: ignore[arg-type]


def test_switches_are_not_rules() -> None:
    """A switch is never a mutant's field: mutants break rules, switches only add noise."""
    switches = {field.name for field in dataclasses.fields(Noise)}
    rules = {field.name for field in dataclasses.fields(Rules)}
    assert switches == {"latency_ms", "throttle_rate", "read_lag_s", "seed"} and not switches & rules


@pytest.mark.parametrize("throttle_rate", [0.0, 1.0], ids=["answers", "throttled answers"])
def test_every_answer_waits_the_latency(throttle_rate: float) -> None:
    latency_ms, requests = 60, 5
    with running(noise=Noise(latency_ms=latency_ms, throttle_rate=throttle_rate)) as run:
        started = time.monotonic()
        for _ in range(requests):
            try:
                run.clients.sts.get_caller_identity()
            except ClientError as error:
                assert error.response["Error"]["Code"] == "Throttling"
        elapsed = time.monotonic() - started
    assert elapsed >= 0.9 * requests * latency_ms / 1000  # a lower bound only, with room for the clock


def test_the_module_options_make_the_noise() -> None:
    parser = _parser()
    args = ["--latency-ms", "30", "--throttle-rate", "0.05", "--read-lag", "2", "--noise-seed", "7"]
    assert _noise(parser, parser.parse_args(args)) == Noise(30.0, 0.05, 2.0, 7)
    assert _noise(parser, parser.parse_args([])) == Noise()


def test_the_module_refuses_a_bad_switch_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _parser()
    with pytest.raises(SystemExit) as stopped:
        _noise(parser, parser.parse_args(["--throttle-rate", "2"]))
    assert stopped.value.code == 2
    assert "throttle_rate must be between 0 and 1" in capsys.readouterr().err.splitlines()[-1]


def test_the_module_serves_with_the_switches() -> None:
    command = [sys.executable, "-m", "tests.reference", "--mutant", "qr-hotp", "--throttle-rate", "1"]
    repository = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=repository
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            status, root = post_form(url, {"Action": "ListVirtualMFADevices", "Version": "2010-05-08"})
        finally:
            process.terminate()
            _, err = process.communicate(timeout=10)
    assert (status, root.findtext(f"{{{IAM_NS}}}Error/{{{IAM_NS}}}Code")) == (400, "Throttling")
    assert process.returncode == 0 and err == ""
