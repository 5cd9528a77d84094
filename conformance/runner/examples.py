"""Explicit examples: the boundary requests every run judges, whatever Hypothesis draws besides.

A quick run draws a handful of requests per check and may miss the one character or length a broken
endpoint rejects; `strategies.edge_cases` lists those boundaries, and these decorators add each one
as a Hypothesis ``@example``, run first, in every profile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from hypothesis import example

from strategies.edge_cases import EdgeCase, create_request_edge_cases

__all__ = ["with_edge_cases", "with_examples"]

F = TypeVar("F", bound=Callable[..., None])


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
