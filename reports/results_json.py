"""``results.json``: the machine-readable record of a run (schema ``iam-conformance/results/1``)."""

from __future__ import annotations

import json

from reports.model import RunResult

__all__ = ["render"]


def render(run: RunResult) -> str:
    return json.dumps(run.to_json(), indent=2, ensure_ascii=False) + "\n"
