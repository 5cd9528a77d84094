"""``strategies.characters``: a pool's one-character strategy, built from its ranges, is the one
``st.characters(categories=(), include_characters=pool)`` builds, so a seed draws the same inputs.

The fast construction uses Hypothesis internals; these tests are what would notice a Hypothesis whose
internals moved under it (it then falls back to the public call, and the comparison still holds).
"""

from __future__ import annotations

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from hypothesis.strategies._internal.lazy import unwrap_strategies

from strategies.alphabets import CharPool, members, outsiders
from strategies.characters import pool_characters, public_characters
from strategies.names import name_constraint
from strategies.paths import path_shape


def _pools() -> list[CharPool]:
    name_pattern = name_constraint().require_pattern()
    return [
        path_shape().interior,  # under a hundred characters
        members(name_pattern),
        outsiders(name_pattern),  # some 145,000 characters in a few hundred ranges
    ]


@pytest.mark.parametrize("pool", _pools(), ids=repr)
def test_same_strategy_as_the_public_call(pool: CharPool) -> None:
    fast, public = pool_characters(pool, pool.members.ranges), public_characters(pool)
    fast_inner, public_inner = unwrap_strategies(fast), unwrap_strategies(public)  # type: ignore[no-untyped-call]
    assert fast_inner.intervals.intervals == public_inner.intervals.intervals
    assert repr(fast_inner) == repr(public_inner)
    assert fast.label == public.label
    assert fast.has_reusable_values == public.has_reusable_values
    assert pool.characters is pool.characters  # built once per pool


def _drawn(characters: st.SearchStrategy[str]) -> list[tuple[list[str], str]]:
    drawn: list[tuple[list[str], str]] = []

    # Drawn directly, inside other strategies, and as text's alphabet: every way the suite uses it.
    @seed(20261122)
    @settings(max_examples=60, database=None)
    @given(st.lists(st.one_of(st.just("x"), characters), max_size=4), st.text(characters, max_size=4))
    def collect(chars: list[str], text: str) -> None:
        drawn.append((chars, text))

    collect()
    return drawn


def test_a_seed_draws_the_same_characters() -> None:
    pool = outsiders(name_constraint().require_pattern())
    drawn = _drawn(pool_characters(pool, pool.members.ranges))
    assert drawn == _drawn(public_characters(pool))
    assert {char for chars, text in drawn for char in [*chars, *text]} - {"x"} <= set(pool)
