"""Whether the run's Hypothesis seed is fixed: the one fact the memo pass and the lists check's kept
observations both stand on.

Hypothesis's pytest plugin fixes it for every test when pytest is given ``--hypothesis-seed`` (the
command always gives one): it sets ``hypothesis.core.global_force_seed``, read here rather than the
pytest option, since it is what Hypothesis itself reads. With it, two tests that differ only by what
they judge draw the same examples, each from that seed (without it, each draws from a seed of its own);
and Hypothesis keeps no example database for a test (``StateForActualGivenExecution.run_engine`` gives
the engine no database key when the seed is forced), so no test first replays examples saved by an
earlier run, which its sibling would not meet.
"""

from __future__ import annotations

import hypothesis.core

__all__ = ["fixed"]


def fixed() -> bool:
    """Whether Hypothesis runs every test of this process from the run's one seed, with no example
    database (module docstring)."""
    return hypothesis.core.global_force_seed is not None
