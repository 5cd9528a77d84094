"""``results.json``: the machine-readable record of a run (schema ``iam-conformance/results/1``)."""

from __future__ import annotations

import json

from reports.model import RunResult

__all__ = ["render"]


def render(run: RunResult, *, compact: bool = False) -> str:
    """The run as JSON, indented for a reader; ``compact``: on one line, which Python's JSON encoder
    writes several times faster (the ``results.json`` rewritten after each result of a running run)."""
    indent = None if compact else 2
    return json.dumps(run.to_json(), indent=indent, ensure_ascii=False) + "\n"
