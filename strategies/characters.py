"""One character of a set of code-point ranges: ``st.characters(categories=(), include_characters=...)``,
built from the ranges the pool already holds.

Why: Hypothesis takes ``include_characters`` as characters. Given a pool of 150,000 of them (what a
model pattern rejects, say), it checks each, joins them into a string, sorts it and merges 150,000
one-character intervals back into the few hundred ranges the pool started from: about 0.1 s a pool,
a second of every run's processor time, for a result the pool can state at once. Here the same
strategy is built from the ranges: a lazy strategy around Hypothesis's one-character strategy, as
``st.characters`` returns, with the same intervals, label and draws (only its own repr is shorter).

That strategy class is Hypothesis's own, not public API: when it is not where it was (another
Hypothesis version), the public call is made instead, which is slower and draws the same.
``tests/strategies/test_characters.py`` compares both.
"""

from __future__ import annotations

from collections.abc import Collection

from hypothesis import strategies as st

__all__ = ["pool_characters"]

Ranges = tuple[tuple[int, int], ...]

try:  # Hypothesis internals: see the module's docstring
    from hypothesis.internal.intervalsets import IntervalSet
    from hypothesis.strategies._internal.lazy import LazyStrategy
    from hypothesis.strategies._internal.strings import OneCharStringStrategy
except ImportError:  # pragma: no cover - another Hypothesis: the public call below
    LazyStrategy = None  # type: ignore[assignment,misc]


def public_characters(chars: Collection[str]) -> st.SearchStrategy[str]:
    """What Hypothesis's public API builds for these characters (the slow way)."""
    return st.characters(categories=(), include_characters=chars)


def pool_characters(chars: Collection[str], ranges: Ranges) -> st.SearchStrategy[str]:
    """One character of ``chars``, whose code points are ``ranges`` (sorted, disjoint, non-adjacent)."""
    if LazyStrategy is None or not ranges:
        return public_characters(chars)
    arguments = f"categories=(), include_characters={chars!r}"

    def build() -> st.SearchStrategy[str]:
        return OneCharStringStrategy(IntervalSet(ranges), force_repr=f"characters({arguments})")

    lazy = LazyStrategy(build, (), {}, force_repr=f"characters({arguments})")
    lazy.force_has_reusable_values = True  # type: ignore[attr-defined]  # as st.characters is declared
    return lazy
