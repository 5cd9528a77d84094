"""The order in which ``--workers`` hands tests to the worker processes: the quiet tail last, alone.

pytest-xdist's own schedulers send any test to any worker at any time. Two kinds of conformance test
must not run beside others, and are held back here until every other test has *finished*, then run
one after another, in collection order, on one worker while the others have stopped:

- ``damages_state``: a request the endpoint should refuse may break it (LocalStack 2026.3.0 answers
  every listing with a 500 after accepting DeleteUser of a user holding a device). Beside other
  tests, that breakage would turn their results into findings that are not theirs, and each worker's
  health watch would blame its own step;
- ``exclusive``: the test pages through every device of the account at small page sizes; another
  worker creating or deleting devices meanwhile shifts the pages of an endpoint whose Marker is a
  position (moto's), which is not what the check is about.

The rest is handed out a group at a time, as a worker runs low (it keeps the test it runs and the
next one: an xdist worker starts a test only once it knows the one after it), so that a slow test
never holds a queue of others back. A group is the tests of one scenario that differ only by their
check: they draw the same examples, and the first to gather an observation shares it with the others
(`conformance.judging.memo`) in that one process, as in a serial run. Which tests are held, and the
groups, are read from the file each worker writes after its collection
(`conformance.runner.workers.note_collection`): the controller collects nothing itself. The first
worker to have collected starts at once; the others join as they finish collecting (each collects
every test, which takes seconds of a loaded machine's time, and they do not finish together).

This implements xdist's documented scheduler protocol (``pytest_xdist_make_scheduler``); it is not a
process pool of its own: xdist starts, feeds and stops the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Layout", "TailLastScheduling"]

_QUEUED = 2  # the test a worker runs, and the next one
Layout = tuple[set[int], list[int]]  # the tail's indices; each index's group (an empty list: no groups)


class TailLastScheduling:
    """xdist's ``Scheduling`` protocol. ``layout(node, collection)`` gives the indices of the tail's tests
    and each test's group."""

    def __init__(self, numnodes: int, layout: Callable[[Any, Sequence[str]], Layout], log: Any) -> None:
        self.numnodes = numnodes
        self._layout = layout
        self.log = log
        self.node2collection: dict[Any, list[str]] = {}
        self.node2pending: dict[Any, list[int]] = {}
        self.collection: list[str] | None = None
        self.free: list[int] = []  # not yet sent, any worker may run them
        self.tail: list[int] = []  # not yet sent, run alone after the others
        self.held: set[int] = set()
        self.groups: list[int] = []
        self.tail_node: Any = None

    @property
    def nodes(self) -> list[Any]:
        return list(self.node2pending)

    @property
    def collection_is_completed(self) -> bool:
        """Once one worker has collected: it starts, and each other joins as it finishes collecting."""
        return bool(self.node2collection)

    @property
    def tests_finished(self) -> bool:
        if self.collection is None or self.free or self.tail:
            return False
        return all(len(pending) < _QUEUED for pending in self.node2pending.values())

    @property
    def has_pending(self) -> bool:
        return bool(self.free or self.tail or any(self.node2pending.values()))

    def add_node(self, node: Any) -> None:
        self.node2pending[node] = []

    def add_node_collection(self, node: Any, collection: Sequence[str]) -> None:
        known = self.collection or next(iter(self.node2collection.values()), None)
        if known is not None and list(collection) != known:
            self.log(f"{node.gateway.id} collected other tests; it is given none")
            if not node.shutting_down:
                node.shutdown()
            return
        self.node2collection[node] = list(collection)

    def schedule(self) -> None:
        if self.collection is None:
            first_node, first = next(iter(self.node2collection.items()))
            self.collection = first
            self.held, self.groups = self._layout(first_node, first)
            self.free = [index for index in range(len(first)) if index not in self.held]
            self.tail = [index for index in range(len(first)) if index in self.held]
        self._dispatch()

    def mark_test_complete(self, node: Any, item_index: int, duration: float = 0) -> None:
        self.node2pending[node].remove(item_index)
        self._dispatch()

    def mark_test_pending(self, item: str) -> None:
        assert self.collection is not None
        index = self.collection.index(item)
        (self.tail if index in self.held else self.free).insert(0, index)
        self._dispatch()

    def remove_pending_tests_from_node(self, node: Any, indices: Sequence[int]) -> None:
        raise NotImplementedError("no work stealing")

    def remove_node(self, node: Any) -> str | None:
        """A worker ended: at shutdown (nothing pending), or crashed (its first pending test is the one
        it crashed on; the others are handed out again)."""
        pending = self.node2pending.pop(node)
        self.node2collection.pop(node, None)
        if node is self.tail_node:
            self.tail_node = None
        crashed = None
        if pending:
            assert self.collection is not None
            crashed = self.collection[pending.pop(0)]
            self.free[:0] = [index for index in pending if index not in self.held]
            self.tail[:0] = [index for index in pending if index in self.held]
        self._dispatch()
        return crashed

    def _dispatch(self) -> None:
        if self.collection is None:
            return
        for node, pending in list(self.node2pending.items()):
            if node.shutting_down or node not in self.node2collection:  # stopping, or still collecting
                continue
            while self.free and len(pending) < _QUEUED:
                group = self.groups[self.free[0]] if self.groups else None
                batch = [
                    i
                    for i in self.free
                    if i == self.free[0] or (group is not None and self.groups[i] == group)
                ]
                self.free = [index for index in self.free if index not in batch]
                self._send(node, batch)
            if self.free:
                continue
            elif not self.tail:
                node.shutdown()
            else:  # one worker waits for the tail; the others stop
                if self.tail_node not in self.node2pending:
                    self.tail_node = node
                if node is not self.tail_node:
                    node.shutdown()
        others_busy = any(
            pending for node, pending in self.node2pending.items() if node is not self.tail_node
        )
        if not self.free and self.tail and self.tail_node is not None and not others_busy:
            tail, self.tail = self.tail, []
            self._send(self.tail_node, tail)
            self.tail_node.shutdown()

    def _send(self, node: Any, indices: list[int]) -> None:
        if not indices:
            return
        self.node2pending[node].extend(indices)
        node.send_runtest_some(indices)
