"""Root conftest for the project's own tests (``make test``).

The conformance suite itself is a pytest plugin (``conformance.runner.plugin``, loaded only when asked:
``-p conformance.runner.plugin``, as the ``iam-conformance`` command does) and its
tests live in ``conformance/operations``; this file only sets up the self-tests: Hypothesis profiles that
are offline and fast, no example database on disk for CI, and the slow tests first.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "self-test",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None if os.environ.get("CI") else settings().database,
)
settings.load_profile("self-test")


# The slow tests that take longest, longest first (CPU or waiting, tens of seconds each: measured with
# per-test CPU of the test process and its children, `make test` on 2 cores). A name missing or
# misplaced here only makes the schedule worse, never a test wrong. Tests that read one module fixture
# stay together (a module fixture is made once per worker that runs one of its tests).
LONGEST_FIRST = (
    "tests/test_conformance_against_reference.py::test_every_check_passes_on_the_reference_endpoint",
    "tests/test_aws_simulated.py::test_a_run_in_a_shared_account",  # two aws runs behind a 2 s read lag
    "tests/test_aws_simulated.py::test_its_cost",  # these two read the same runs (made once a session):
    "tests/test_aws_simulated.py::test_the_policy",  # kept beside them, they wait rather than run
    "tests/test_workers.py::test_two_workers",
    "tests/test_noise_survival.py::test_under_throttling",
    # this row sleeps up to one 30 s TOTP step (valid resync codes refused): early, it overlaps other work
    "tests/test_conformance_against_reference.py::test_the_mutant_is_reported_by_exactly_its_check[resync-rejects-valid",
    "tests/test_fault_injection.py::test_faults_on_the_way_are_never_blamed_on_the_endpoint[stall]",
    "tests/test_ci_recipe.py",
    "tests/test_moto_targets_agree.py",
    "tests/test_report_against_moto.py",  # reads the moto-server run test_moto_targets_agree reads
    "tests/test_expectations_against_moto.py::test_the_shipped_moto_file_describes_moto_exactly",  # and
    # this one the in-process run it reads: each run is made once, by whichever asks first
    "tests/test_fault_injection.py",
    "tests/test_aws_simulated.py::test_two_runs_at_once",
    "tests/test_workers.py::test_what_a_killed_worker_created",
    "tests/test_eventual_consistency.py::test_a_lagging_endpoint",
    "tests/test_interrupts.py::test_a_killed_run",
    "tests/test_workers.py::test_an_interrupted_worker_run",
    "tests/test_packaging.py",
)


def _rank(item: pytest.Item) -> tuple[bool, int]:
    slow = item.get_closest_marker("slow") is not None
    longest = (index for index, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix))
    return (not slow, next(longest, len(LONGEST_FIRST)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first, the longest of them first (``LONGEST_FIRST``), each group in its own
    order. pytest-xdist's worksteal hands each worker a half of this list, and a worker that runs out
    takes the back half of another's queue: the long runs start at once on the first worker, the other
    takes the shorter ones from the back, and the short tests make the end, so that the workers finish
    together (a long test picked up last would keep one core busy alone)."""
    items.sort(key=_rank)
