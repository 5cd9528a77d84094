"""The lists check's first pass on a lagging endpoint (`conformance.scenarios.lifecycle.closing`): each
sequence's closing comparison waits out the lag while the next sequence runs; the pass stands only when
every comparison kept passes, and otherwise leaves the judge as it was for the plain run."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from conformance.judging.memo import ObservationMemo
from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import Check
from conformance.judging.verdicts import ItemRecord, Judge
from conformance.scenarios.lifecycle import closing
from conformance.session.settling import Consistency, settle
from conformance.session.turns import Turns
from tests.toy_checks import judged_on_two


def _check(outcome: Outcome) -> Check[Any]:
    return judged_on_two(outcome, "vmfa.test.closing", "ListVirtualMFADevices")


def _sequences(outcome: Outcome, consistency: Consistency, order: list[str]) -> Callable[..., None]:
    """Three sequences, as `run_machine` runs them: steps on the test's thread, then the closing
    comparison (a read that shows the state on its second try) started on the turns."""

    def run(kept: Judge, turns: Turns) -> None:
        for sequence in (1, 2, 3):
            order.append(f"steps {sequence}")

            def close(sequence: int = sequence) -> None:
                reads = itertools.count()
                settle(lambda: next(reads) > 0, bool, consistency)
                order.append(f"closed {sequence}")
                kept(_check(outcome), sequence)

            turns.start(close)

    return run


def test_the_closing_comparisons_wait_side_by_side_and_a_pass_where_all_agree_is_the_result() -> None:
    consistency, order = Consistency(patience_s=5.0), list[str]()
    judge = Judge(ItemRecord(), ObservationMemo())
    assert closing.first_pass(judge, _sequences(Pass(), consistency, order))
    assert order[:3] == ["steps 1", "steps 2", "steps 3"]  # each sequence ran while the one before waited
    assert sorted(order[3:]) == ["closed 1", "closed 2", "closed 3"]
    assert (consistency.reads_polled, consistency.waits) == (3, 1)
    assert judge.record.examples == 3


def test_a_comparison_that_disagrees_leaves_the_judge_as_it_was_for_the_plain_run() -> None:
    judge = Judge(ItemRecord(), ObservationMemo())
    assert not closing.first_pass(judge, _sequences(Miss("agrees", "differs"), Consistency(5.0), []))
    assert (judge.record.examples, judge.record.notes, judge.record.first_miss) == (0, [], None)


def test_a_sequence_that_went_wrong_leaves_it_to_the_plain_run_and_an_interrupt_goes_on() -> None:
    judge = Judge(ItemRecord(), ObservationMemo())

    def fails(kept: Judge, turns: Turns) -> None:
        raise AssertionError("a view refused")

    def interrupted(kept: Judge, turns: Turns) -> None:
        raise KeyboardInterrupt

    assert not closing.first_pass(judge, fails)
    with pytest.raises(KeyboardInterrupt):
        closing.first_pass(judge, interrupted)
