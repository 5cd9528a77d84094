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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first, each group in its own order: with pytest-xdist the long runs start
    early and the short tests fill the end, so that the workers finish together (a long test picked up
    last would keep one core busy alone). Modules stay together within each group."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
