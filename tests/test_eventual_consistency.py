"""Reads that must reflect a write are polled on remote targets, within a patience, and counted; on
local targets they are read once. Shown on a fake read, and end to end on a reference endpoint whose
lists lag behind assignments."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.runner.config import RunConfig
from conformance.session.settling import Consistency, settle
from tests.reference import ReferenceEndpoint
from tests.suite_runner import run_suite


def _reads(*values: int) -> Iterator[int]:
    yield from values
    while True:
        yield values[-1]


def test_a_read_is_polled_until_it_shows_the_write() -> None:
    consistency, reads = Consistency(patience_s=5.0), _reads(0, 0, 1)
    assert settle(lambda: next(reads), lambda value: value == 1, consistency) == 1
    assert (consistency.reads_polled, consistency.reads_unsettled) == (1, 0)
    assert 0 < consistency.longest_s < 5.0


def test_a_read_that_never_settles_is_returned_when_the_patience_is_spent() -> None:
    consistency = Consistency(patience_s=0.5)
    assert settle(lambda: 0, lambda value: value == 1, consistency) == 0
    assert (consistency.reads_polled, consistency.reads_unsettled) == (1, 1)
    assert consistency.longest_s >= 0.5


class _Lagging:
    """A read that shows a write ``lag_s`` after it was made; counts the reads."""

    def __init__(self, lag_s: float) -> None:
        self.lag_s, self.reads, self.written = lag_s, 0, time.monotonic()

    def write(self) -> None:
        self.written = time.monotonic()

    def read(self) -> bool:
        self.reads += 1
        return time.monotonic() - self.written >= self.lag_s


def test_the_lag_learned_from_earlier_reads_spares_polls() -> None:
    """Before anything is learned the polls start at 50 ms and double (a 0.3 s lag takes four reads); a
    settle after ones that took that long sends its first poll just before the lag ends, and sees the
    write at the first or second poll."""
    consistency, lagging = Consistency(patience_s=5.0), _Lagging(0.3)
    assert settle(lagging.read, bool, consistency) is True
    assert 2 <= lagging.reads <= 4  # the read, then polls at 0.05, 0.15 and 0.35 s (a slow machine: fewer)
    first = consistency.longest_s
    for _ in range(3):
        lagging.write()
        lagging.reads = 0
        assert settle(lagging.read, bool, consistency) is True
        assert lagging.reads <= 3
    assert 0 < consistency.expected_wait() <= first
    assert consistency.reads_polled == 4 and consistency.reads_unsettled == 0


def test_a_read_that_shows_the_write_sooner_than_learned_is_still_seen() -> None:
    consistency = Consistency(patience_s=5.0)
    consistency.recent_s.extend([0.4, 0.4, 0.4])
    reads = _reads(0, 1)
    started = time.monotonic()
    assert settle(lambda: next(reads), lambda value: value == 1, consistency) == 1
    assert time.monotonic() - started > 0.3  # its one poll (there are two values) waited the learned time


def test_without_patience_a_read_is_made_once() -> None:
    consistency, reads = Consistency(patience_s=0.0), iter([0, 1])
    assert settle(lambda: next(reads), lambda value: value == 1, consistency) == 0
    assert next(reads) == 1 and consistency.reads_polled == 0  # the second value was never read


@pytest.mark.parametrize(
    ("config", "patience"),
    [
        (RunConfig(), 0.0),
        (RunConfig(target="url", endpoint_url="http://127.0.0.1:4566"), 0.0),
        (RunConfig(target="url", endpoint_url="https://iam.example.test"), 5.0),
        (RunConfig(target="aws", allow_aws=True, aws_accounts=("123456789012",)), 10.0),
        (RunConfig(target="aws", allow_aws=True, aws_accounts=("123456789012",), patience=0), 0.0),
    ],
)
def test_patience_depends_on_where_the_endpoint_is(config: RunConfig, patience: float) -> None:
    assert config.read_patience == patience


@pytest.mark.slow
def test_a_lagging_endpoint_passes_with_patience_and_fails_without(tmp_path: Path) -> None:
    with ReferenceEndpoint(mutant="eventually-consistent") as endpoint:
        run = functools.partial(run_suite, url=endpoint.url, profile="quick", keyword="test_assignment")
        hasty = run(tmp_path / "hasty")
        patient = run(tmp_path / "patient", "--patience", "5")
    assert hasty.verdicts["vmfa.list.assignment-filter"] == "FAIL"
    assert patient.returncode == 0, patient.stdout[-2000:]
    assert set(patient.verdicts.values()) == {"PASS"}
    consistency = patient.document["consistency"]
    assert consistency["patience_s"] == 5.0 and consistency["reads_polled"] > 0
    assert consistency["reads_unsettled"] == 0 and 0 < consistency["longest_s"] < 5.0
    assert "eventual consistency: " in patient.stdout
