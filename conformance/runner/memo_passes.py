"""Which tests make a memo pass (`conformance.judging.memo_pass`), and the recordings they replay.

A recording serves the tests of its scenario group: the parametrizations of one test function that
differ only by their ``check`` (with ``--workers``, the scheduler hands a group to one worker at a time,
`conformance.runner.worker_schedule`; a recording serves the tests of its own process only). A test
makes a memo pass only when Hypothesis would run it exactly as it ran its recorded sibling:

- the run's seed is fixed (`conformance.judging.run_seed`): without it each test draws from a seed of
  its own. With it Hypothesis also keeps no example database (none is read or written), so no sibling
  replays a failure saved by an earlier run;
- not ``derandomize`` (the seed would come from the inner test's digest), no deadline and no
  ``too_slow`` health check (a call's or a draw's time would decide), Hypothesis's own backend, no
  ``reproduce_failure``: settings and decorators belong to the test function, so siblings share them,
  ``@example``s included;
- not a test that may break the endpoint (``damages_state``): it runs last, after everything else, and
  a breakage must be named after the one step that made it; nothing is gained there;
- not on a lagging endpoint, where the first pass (`conformance.runner.passes`) gathers side by side:
  the two do not combine; a memo pass only ever judges what the plain store of the memo holds, or
  gathers anew, one after another, as the plain pass would.

Tests with no ``hypothesis`` handle (the state machine) are called by pytest as always.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Any

import pytest
from hypothesis import HealthCheck

from conformance.judging import run_seed
from conformance.judging.memo_pass import Recording, recording, replayed, skips
from conformance.judging.verdicts import Judge
from conformance.runner.run_state import DAMAGES_STATE

__all__ = ["COUNTS", "call"]

_RECORDINGS = pytest.StashKey[dict[Hashable, Recording]]()
# Tests whose memo pass stood ("memo", a skip included) and tests Hypothesis ran ("hypothesis"): counts
# for the project's tests and measurements.
COUNTS = pytest.StashKey[Counter[str]]()


def call(item: pytest.Function, judge: Judge, arguments: dict[str, Any]) -> bool | None:
    """The memo pass when a sibling left a recording, else the plain pass run here and recorded: True;
    None for a test that makes no memo pass (pytest calls it)."""
    group = _group(item)
    if group is None:
        return None
    recordings = item.config.stash.setdefault(_RECORDINGS, {})
    counts = item.config.stash.setdefault(COUNTS, Counter())
    handle = item.obj.hypothesis
    recorded = recordings.get(group)
    if recorded is not None:
        stood = False
        try:
            stood = replayed(handle.inner_test, arguments, recorded, judge.record)
        except skips():
            stood = True  # the test is skipped, as Hypothesis would have skipped it
            raise
        finally:
            counts["memo"] += stood
        if stood:
            return True
    counts["hypothesis"] += 1
    try:
        with recording(handle, arguments) as new:
            item.obj(**arguments)
            new.finish()
    finally:
        _keep(recordings, group, new)
    return True


def _keep(recordings: dict[Hashable, Recording], group: Hashable, new: Recording) -> None:
    """Keep ``new`` for ``group`` unless the one kept tells more: a complete recording, or the first
    calls of more of them."""
    kept = recordings.get(group)
    if new.usable and (kept is None or (new.complete, len(new.calls)) >= (kept.complete, len(kept.calls))):
        recordings[group] = new


def _group(item: pytest.Function) -> Hashable | None:
    """The test function and its parameters but ``check``, for a test that may make a memo pass."""
    params: dict[str, Any] = item.callspec.params if hasattr(item, "callspec") else {}
    if "check" not in params or not _replayable(item):
        return None
    others = tuple(sorted(((name, value) for name, value in params.items() if name != "check"), key=str))
    try:
        hash(others)
    except TypeError:
        return None
    return (item.obj, others)


def _replayable(item: pytest.Function) -> bool:
    """Whether Hypothesis runs ``item`` as it runs its siblings (module docstring)."""
    test = item.obj
    settings = getattr(test, "_hypothesis_internal_use_settings", None)
    return (
        hasattr(getattr(test, "hypothesis", None), "inner_test")
        and settings is not None
        and run_seed.fixed()
        and not settings.derandomize
        and settings.deadline is None
        and HealthCheck.too_slow in settings.suppress_health_check
        and getattr(settings, "backend", "hypothesis") == "hypothesis"
        and getattr(test, "_hypothesis_internal_use_reproduce_failure", None) is None
        and getattr(test, "_hypothesis_internal_database_key", None) is None
        and getattr(item, "instance", None) is None
        and item.get_closest_marker(DAMAGES_STATE) is None
    )
