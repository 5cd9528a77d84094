"""The results of a ``--workers`` run in the order a serial run has them, and judged as it judges them.

The workers' results arrive in the order they end. A serial run has them in collection order, and the
first test that meets an operation the endpoint lacks reports it NOT_IMPLEMENTED, every later one is a
SKIP naming that one (`conformance.judging.verdicts`). Each worker did that for its own tests; here the
first in collection order becomes the one that reports it, as in a serial run with the same seed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from conformance.judging.damage import result_label
from conformance.judging.verdicts import NOT_IMPLEMENTED_PREFIX
from reports.model import CheckResult, Verdict

__all__ = ["in_order"]


def in_order(results: Sequence[CheckResult], indices: Sequence[int]) -> list[CheckResult]:
    """The merged results in collection order (a serial run's), the first result to meet a missing
    operation reporting it NOT_IMPLEMENTED, each later one a SKIP naming that one, as a serial run has
    them; the workers each met it first in their own order."""
    ordered = [result for _, _, result in sorted(zip(indices, range(len(results)), results, strict=True))]
    first: dict[str, CheckResult] = {}
    for position, result in enumerate(ordered):
        operation = _missing_operation(result)
        if operation is None:
            continue
        reporter = first.get(operation)
        if reporter is None:
            if result.verdict is not Verdict.NOT_IMPLEMENTED:  # met first by one whose worker knew already
                found = next(
                    (
                        r
                        for r in ordered
                        if r.verdict is Verdict.NOT_IMPLEMENTED and _missing_operation(r) == operation
                    ),
                    None,
                )
                if found is not None:
                    result = dataclasses.replace(
                        result, verdict=Verdict.NOT_IMPLEMENTED, message=found.message
                    )
            first[operation] = result
        else:
            label = result_label(reporter.check, reporter.case)
            reason = f"depends on {operation}, which the endpoint does not implement (see {label})"
            result = dataclasses.replace(result, verdict=Verdict.SKIP, message=reason)
        ordered[position] = result
    return ordered


_DEPENDS = re.compile(r"depends on (?P<operation>\S+), which the endpoint does not implement \(see ")


def _missing_operation(result: CheckResult) -> str | None:
    if result.verdict is Verdict.NOT_IMPLEMENTED and result.message.startswith(NOT_IMPLEMENTED_PREFIX):
        return result.message.removeprefix(NOT_IMPLEMENTED_PREFIX).split(" ", 1)[0]
    if result.verdict is Verdict.SKIP:
        matched = _DEPENDS.match(result.message)
        return matched["operation"] if matched else None
    return None
