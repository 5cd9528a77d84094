"""A run's seed decides what it draws, wherever it runs.

Hypothesis loads a profile of its own, ``ci``, when the environment has a CI variable (``CI``,
``GITHUB_ACTIONS``, ...); that profile derandomizes, and a derandomized run ignores ``--seed``. The
suite's settings are built on Hypothesis's defaults instead, so a run in CI draws what the same command
draws on a laptop, and its reproduce line reproduces it. (Found as two CI-only failures: a seeded run
against the breaks-store mutant never drew the DeleteUser its test was about, and a noisy run took ten
times as long as here, its sequences being other ones.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from conformance.runner.profiles import hypothesis_settings
from tests.reference import ReferenceEndpoint
from tests.suite_runner import run_suite

PROFILES = ("quick", "default", "thorough", "aws")
_SETTINGS = ("derandomize", "max_examples", "deadline", "phases", "print_blob", "stateful_step_count")


@pytest.fixture
def ci_profile_loaded() -> Iterator[None]:
    """Hypothesis's ``ci`` profile loaded, as it loads itself where ``CI`` is set; then the one before."""
    before = settings.get_current_profile_name()
    settings.load_profile("ci")
    try:
        yield
    finally:
        settings.load_profile(before)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_profile_hypothesis_loads_in_ci_changes_nothing_in_a_run(
    profile: str, ci_profile_loaded: None
) -> None:
    in_ci = hypothesis_settings(profile)
    settings.load_profile("default")
    elsewhere = hypothesis_settings(profile)
    assert in_ci.derandomize is False
    assert {name: getattr(in_ci, name) for name in _SETTINGS} == {
        name: getattr(elsewhere, name) for name in _SETTINGS
    }


@pytest.mark.slow  # two runs of the suite
def test_a_seeded_run_in_ci_sends_what_it_sends_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {}
    for ci in (False, True):
        if ci:
            monkeypatch.setenv("CI", "true")  # run_suite passes the environment on
        else:
            monkeypatch.delenv("CI", raising=False)
        with ReferenceEndpoint() as endpoint:
            run = run_suite(tmp_path / f"ci-{ci}", url=endpoint.url, profile="quick", keyword="lists-agree")
            calls[ci] = run.document["api_calls"]
    assert calls[True] == calls[False], calls
