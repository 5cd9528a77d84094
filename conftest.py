"""Root conftest for the project's own tests (``make test``).

The conformance suite itself is a pytest plugin (``conformance.runner.plugin``, loaded only when asked:
``-p conformance.runner.plugin``, as the ``iam-conformance`` command does) and its
tests live in ``conformance/operations``; this file only sets up the self-tests: Hypothesis profiles that
are offline and fast, and no example database on disk for CI.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "self-test",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None if os.environ.get("CI") else settings().database,
)
settings.load_profile("self-test")
