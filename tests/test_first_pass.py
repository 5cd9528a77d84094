"""Observations gathered side by side on a lagging endpoint (`conformance.session.turns`,
`conformance.judging.first_pass`): the threads take turns, one at a time, giving way only while they
wait out the lag; their waits count as one; a first pass's verdict stands only when every example
passed, and otherwise the judge is left as it was for the plain pass."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from conformance.judging.first_pass import Declined, FirstPass
from conformance.judging.memo import ObservationMemo, overlappable
from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import Check
from conformance.judging.verdicts import ItemRecord, Judge
from conformance.session.settling import Consistency, settle
from conformance.session.turns import TurnNames, Turns, pause
from tests.toy_checks import judged_on_two


def test_threads_take_turns_and_give_way_only_while_they_wait() -> None:
    events: list[str] = []
    running: list[str] = []  # the steps running now: never two

    def step(name: str) -> None:
        running.append(name)
        assert running == [name]
        events.append(name)
        running.remove(name)

    def work(name: str) -> None:
        step(f"{name} writes")
        pause(0.2)
        step(f"{name} reads")

    with Turns() as turns:
        turns.start(lambda: work("a"))
        turns.start(lambda: work("b"))
        step("starter")
    assert events[:3] == ["a writes", "b writes", "starter"]  # each ran until its pause, in turn
    assert sorted(events[3:]) == ["a reads", "b reads"]  # after the starter joined them
    assert turns.errors == []


def test_what_a_thread_raises_is_kept_for_the_starter() -> None:
    def fails() -> None:
        raise ValueError("gathering failed")

    with Turns() as turns:
        turns.start(fails)
    assert [str(error) for error in turns.errors] == ["gathering failed"]


def test_reads_waiting_side_by_side_are_one_wait() -> None:
    consistency = Consistency(patience_s=5.0)

    def polled() -> None:
        flags = iter([False, False, True])
        settle(lambda: next(flags), bool, consistency)

    with Turns() as turns:
        for _ in range(3):
            turns.start(polled)
    assert (consistency.reads_polled, consistency.waits) == (3, 1)
    for _ in range(2):  # one after another: a wait each
        polled()
    assert (consistency.reads_polled, consistency.waits) == (5, 3)


def _check(outcome: Outcome) -> Check[Any]:
    return judged_on_two(outcome, "vmfa.test.side-by-side", "ListMFADevices")


gathered: list[int] = []


@overlappable
def _gather(suite: Any, value: int) -> int:
    gathered.append(value)
    pause(0.05)
    return value


def _first_pass(outcome: Outcome) -> tuple[bool, Judge, FirstPass]:
    gathered.clear()
    judge, side = Judge(ItemRecord(), ObservationMemo()), FirstPass()
    judge.side = side
    with side.turns:
        for value in (1, 2, 3):
            judge.gathered(_check(outcome), _gather, value)
    judge.side = None
    return side.judged(judge), judge, side


def test_a_first_pass_where_every_example_passes_is_the_result() -> None:
    passed, judge, side = _first_pass(Pass())
    assert passed and side.started == 3 and sorted(gathered) == [1, 2, 3]
    assert judge.record.examples == 3


def test_a_first_pass_with_a_miss_leaves_the_judge_as_it_was_for_the_plain_pass() -> None:
    passed, judge, _ = _first_pass(Miss("expected", "received"))
    assert not passed
    assert (judge.record.examples, judge.record.notes, judge.record.first_miss) == (0, [], None)
    assert not any(judge.memo.has(_gather, value) for value in (1, 2, 3))  # gathered anew, one by one


def test_a_name_held_by_one_gathering_is_waited_for_by_another() -> None:
    names, events = TurnNames(), []

    def observation(name: str, tag: str) -> None:
        names.hold(name)
        events.append(f"{tag} created {name}")
        pause(0.1)  # waiting out the lag, without the turn
        events.append(f"{tag} deleted {name}")
        names.release()

    with Turns() as turns:
        turns.start(lambda: observation("d", "a"))
        turns.start(lambda: observation("d", "b"))  # the same name: after a's observation
        turns.start(lambda: observation("e", "c"))  # another name: at once
    assert events.index("a deleted d") < events.index("b created d")
    assert events.index("c created e") < events.index("a deleted d")


def test_interrupted_the_threads_stop_waiting_and_run_to_their_ends() -> None:
    consistency, reads, ended = Consistency(patience_s=30.0), itertools.count(), []

    def never_shows() -> None:
        settle(lambda: next(reads) < 0, bool, consistency)  # never as expected
        ended.append("cleaned up")

    try:
        with Turns() as turns:
            turns.start(never_shows)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert turns.stop.is_set() and ended == ["cleaned up"]
    assert consistency.reads_unsettled == 1 and next(reads) <= 2  # not polled through its 30 s patience


def test_an_observation_gathered_side_by_side_is_judged_by_a_first_pass_only() -> None:
    passed, judge, _ = _first_pass(Pass())
    assert passed and sorted(gathered) == [1, 2, 3]
    assert judge.memo.once(_gather, 2, beside=True) == 2 and sorted(gathered) == [1, 2, 3]  # kept
    assert judge.observe(_gather, 2) == 2 and sorted(gathered) == [1, 2, 2, 3]  # a plain pass: anew
    assert judge.observe(_gather, 2) == 2 and len(gathered) == 4  # and that plain one is shared


def test_an_example_drawn_twice_is_gathered_once() -> None:
    gathered.clear()
    judge, side = Judge(ItemRecord(), ObservationMemo()), FirstPass()
    judge.side = side
    with side.turns:
        for value in (1, 1, 2):
            judge.gathered(_check(Pass()), _gather, value)
    judge.side = None
    assert sorted(gathered) == [1, 2] and side.judged(judge) and judge.record.examples == 3


def test_a_later_tests_examples_drawn_ahead_are_only_gathered_then_judged_by_its_own_first_pass() -> None:
    gathered.clear()
    memo = ObservationMemo(size=6)
    first, later = Judge(ItemRecord(), memo), Judge(ItemRecord(), memo)
    side = FirstPass()
    first.side = side
    with side.turns:
        first.gathered(_check(Pass()), _gather, 1)
        side.ahead = memo.size // 2  # as `conformance.runner.ahead` draws a later test's examples
        drawn_ahead = Judge(ItemRecord(), memo, side=side)
        with pytest.raises(Declined):  # no room left for a fourth: that test gathers it itself
            for value in (2, 3, 4, 5):
                drawn_ahead.gathered(_check(Miss("expected", "received")), _gather, value)
        side.ahead = None
    first.side = None
    assert side.judged(first) and first.record.examples == 1  # its own example only
    assert drawn_ahead.record.examples == 0 and sorted(gathered) == [1, 2, 3, 4]
    own = FirstPass()  # the later test's first pass: nothing to gather again
    later.side = own
    with own.turns:
        for value in (2, 3, 4):
            later.gathered(_check(Pass()), _gather, value)
    later.side = None
    assert own.started == 0 and own.judged(later) and later.record.examples == 3


def test_once_a_gathering_raised_no_other_example_is_started() -> None:
    gathered.clear()

    @overlappable
    def breaks(suite: Any, value: int) -> int:
        raise KeyboardInterrupt  # as `EndpointBroke` ends a gathering that broke the endpoint

    judge, side = Judge(ItemRecord(), ObservationMemo()), FirstPass()
    judge.side = side
    with side.turns:
        judge.gathered(_check(Pass()), breaks, 1)
        with pytest.raises(Declined):
            judge.gathered(_check(Pass()), _gather, 2)
    judge.side = None
    assert gathered == [] and side.started == 1 and len(side.turns.errors) == 1
    assert not side.judged(judge) and judge.record.examples == 0
