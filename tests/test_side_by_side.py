"""Reads of an unchanged state sent side by side (`conformance.session.side_by_side`): each in a thread of
its own, the results in the order given, the first failure in that order raised once every read ended;
one after another where the order of requests matters. The session's shared counters stay exact when
threads send at once. Against an endpoint, the lists check's views read so still catch an entry dropped
at a Marker: `tests/test_lifecycle_sequences.py` (a fake endpoint, read side by side) and the mutants
of `tests/test_conformance_against_reference.py`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import pytest

from conformance.session.clients import CallCounter, StatusRecorder
from conformance.session.side_by_side import side_by_side
from conformance.session.suite import SuiteSession

_PATIENCE_S = 30  # how long a read waits for the others to be running too (never reached when they are)


def _meeting(count: int) -> tuple[threading.Barrier, list[int]]:
    return threading.Barrier(count, timeout=_PATIENCE_S), []


def test_reads_run_at_once_and_come_back_in_the_order_given() -> None:
    barrier, _ = _meeting(3)

    def read(value: str) -> Callable[[], str]:
        def run() -> str:
            barrier.wait()  # passes only when all three are running at the same time
            return value

        return run

    assert side_by_side([read("Any"), read("Assigned"), read("Unassigned")]) == [
        "Any",
        "Assigned",
        "Unassigned",
    ]


class _Stop(KeyboardInterrupt):
    """As `EndpointBroke` is: not an Exception, and still handed back to the caller."""


def test_the_first_failure_in_the_given_order_is_raised_once_every_read_ended() -> None:
    barrier, _ = _meeting(3)
    ended: list[str] = []

    def first() -> str:
        barrier.wait()
        ended.append("first")
        return "listed"

    def second() -> str:
        barrier.wait()
        ended.append("second")
        raise _Stop("the second view")

    def third() -> str:  # fails at once, before the second: still not the one raised
        barrier.wait()
        ended.append("third")
        raise ValueError("the third view")

    with pytest.raises(_Stop, match="the second view"):
        side_by_side([first, second, third])
    assert sorted(ended) == ["first", "second", "third"]


def test_an_interrupt_that_ends_the_test_at_once_wins_over_an_earlier_failure() -> None:
    def refused() -> str:
        raise ValueError("a refused page")

    def broke() -> str:
        raise _Stop("the endpoint broke")

    with pytest.raises(_Stop, match="the endpoint broke"):
        side_by_side([refused, broke])


def test_one_after_another_in_this_thread_when_told() -> None:
    seen: list[tuple[str, int]] = []

    def read(value: str) -> Callable[[], str]:
        def run() -> str:
            seen.append((value, threading.get_ident()))
            return value

        return run

    assert side_by_side([read("a"), read("b")], together=False) == ["a", "b"]
    assert seen == [("a", threading.get_ident()), ("b", threading.get_ident())]


def _threads_used(max_calls: int | None, logs: list[Any], target: str) -> set[int]:
    session = SimpleNamespace(max_calls=max_calls, _logs=logs, endpoint=SimpleNamespace(target=target))
    idents: set[int] = set()
    reads = [lambda: idents.add(threading.get_ident()) for _ in range(3)]
    SuiteSession.side_by_side(cast(SuiteSession, session), reads)
    return idents


def test_the_session_reads_side_by_side_only_where_the_order_of_requests_does_not_matter() -> None:
    here = {threading.get_ident()}
    assert here.isdisjoint(_threads_used(None, [], "url"))  # a remote endpoint: threads
    assert _threads_used(100, [], "url") == here  # a call budget stops at one particular call
    assert _threads_used(None, [[]], "url") == here  # a recording block replays its calls in order
    assert _threads_used(None, [], "moto") == here  # in process: no wait to share


def test_the_call_counter_counts_every_request_sent_from_threads_at_once() -> None:
    counter = CallCounter()
    per_thread, threads = 2_000, 8
    barrier = threading.Barrier(threads, timeout=_PATIENCE_S)

    def send() -> None:
        barrier.wait()
        for _ in range(per_thread):
            counter.increment()
            counter.sent()

    running = [threading.Thread(target=send) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert counter.calls == counter.requests == per_thread * threads


def test_each_thread_reads_the_status_of_its_own_last_answer() -> None:
    status = StatusRecorder()
    status.record({"status_code": 200, "headers": {}, "body": b""})
    seen: list[tuple[int, str]] = []

    def other() -> None:
        status.record({"status_code": 500, "headers": {}, "body": b"<html>oops</html>"})
        seen.append((status.last, status.kind))

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [(500, "an HTML page")]
    assert (status.last, status.kind) == (200, "")
