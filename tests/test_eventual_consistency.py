"""Reads that must reflect a write are polled on remote targets, within a patience, and counted; on
local targets they are read once. Shown on a fake read, and end to end on a reference endpoint whose
lists lag behind assignments."""

from __future__ import annotations

import functools
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
