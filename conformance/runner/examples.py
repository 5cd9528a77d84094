"""Explicit examples: the boundary requests every run judges, whatever Hypothesis draws besides.

A quick run draws a handful of requests per check and may miss the one character or length a broken
endpoint rejects; `strategies.edge_cases` lists those boundaries, and these decorators add each one
as a Hypothesis ``@example``, run first, in every profile.

Tests of one label that draw their input inside (``st.data()``) take its boundaries as
``boundary=case`` (`with_boundaries`); `boundary_or_drawn` then judges the case, else draws. Explicit
examples belong to a test function, and are shared by every parametrization of it: such a test is
therefore one function per label (`per_label`), which holds its own label's boundaries alone. One
function for all labels ran every label's boundaries in each label's test, to skip all but
its own: thousands of examples a run, each printed by Hypothesis before it was skipped, a quarter of a
quick run's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from typing import Any, TypeVar

from hypothesis import example
from hypothesis import strategies as st

from conformance.session.economy import shares_probes
from strategies.edge_cases import EdgeCase, create_request_edge_cases
from strategies.names import name_constraint

__all__ = [
    "boundary_or_drawn",
    "edge_case_twin",
    "per_label",
    "with_boundaries",
    "with_edge_cases",
    "with_examples",
]

F = TypeVar("F", bound=Callable[..., None])
T = TypeVar("T")


def with_examples(cases: Sequence[EdgeCase]) -> Callable[[F], F]:
    """A decorator adding one ``@example(params=...)`` per case, run in the table's order."""

    def decorate(test: F) -> F:
        for case in reversed(cases):  # the decorator applied last runs first
            test = example(params=case.params)(test)
        return test

    return decorate


def with_edge_cases(test: F) -> F:
    """``test`` with every valid-request edge case of `strategies.edge_cases` as an example."""
    return with_examples(create_request_edge_cases())(test)


def with_boundaries(cases: Sequence[Any], **fixed: Any) -> Callable[[F], F]:
    """A decorator adding ``@example(data=None, boundary=case, **fixed)`` for each of one label's
    boundary cases, in order (``fixed``: the test's other drawn arguments, the same in every one)."""

    def decorate(test: F) -> F:
        for case in reversed(cases):
            test = example(data=None, boundary=case, **fixed)(test)
        return test

    return decorate


def per_label(
    name: str,
    labels: Iterable[Any],
    build: Callable[[Any], Callable[..., None]],
    namespace: MutableMapping[str, Any],
) -> None:
    """Put ``build(label)``, the test of one label, into the test module's ``namespace`` for each label,
    named ``name`` and the label (``test_x_name_pattern_char``), in the order of ``labels``. ``build``
    parametrizes the test with its one label, so that a result's case is the label as before."""
    for label in labels:
        namespace[f"{name}_{re.sub(r'[^0-9A-Za-z]+', '_', str(label)).strip('_')}"] = build(label)


def boundary_or_drawn(
    boundary: T | None, data: st.DataObject | None, strategy: st.SearchStrategy[T], name: str
) -> T:
    """The boundary case, if this example is one, else a value drawn from ``strategy`` (named ``name``
    in Hypothesis's notes)."""
    if boundary is None:
        assert data is not None, "an example without a boundary draws its input"
        return data.draw(strategy, label=name)
    return boundary


def edge_case_twin(params: dict[str, Any]) -> dict[str, Any]:
    """With the ``aws`` profile, a drawn create request that is a name at the model's shortest length and
    nothing else (Hypothesis's simplest draw, the first it sends) is the shortest-name edge case again,
    but for the character: the edge case's request is judged instead, and the observation memo answers
    it without a call. Any other request is judged as drawn."""
    shortest = name_constraint().min_length
    if not shares_probes() or set(params) != {"VirtualMFADeviceName"}:
        return params
    if len(str(params["VirtualMFADeviceName"])) != shortest:
        return params
    twins = [
        case.params
        for case in create_request_edge_cases()
        if set(case.params) == {"VirtualMFADeviceName"}
        and len(str(case.params["VirtualMFADeviceName"])) == shortest
    ]
    return dict(twins[0]) if twins else params
