"""Recorded runs for the renderer tests: one stored as a file, the others derived from it in code.

``data/every_verdict.json`` is a run against moto with every verdict, cases, an expectation of each
kind, and the texts a renderer must survive: ``<script>``, ``|``, ``&``, non-ASCII, backticks, control
characters and a 20,000-character message.

``data/moto-5.2.5.json`` and ``data/ministack-1.5.33.json`` are two whole runs of this suite (profile
``default``, seed 20261122) against moto's server 5.2.5 and MiniStack 1.5.33, each started by its
emulator recipe and reached as ``--target url``, as written (scrubbed: no seed, no QR byte). They are
what a real report is made of: 169 results each, most SKIPs following from a failure.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reports.model import CheckResult, Evidence, RunResult, TargetInfo, Verdict, load_results

__all__ = [
    "EVERY_VERDICT",
    "MISSING_IN_SECOND",
    "ONLY_IN_SECOND",
    "SAMPLES",
    "STILL_NOT_IMPLEMENTED",
    "every_verdict",
    "many_failures",
    "sample",
    "samples",
    "second_target",
]

EVERY_VERDICT = Path(__file__).parent / "data" / "every_verdict.json"
# The recorded runs, by file, with the label each product would be given (`--label`): the runs themselves
# are of ``--target url`` and could not tell the version.
SAMPLES = {
    Path(__file__).parent / "data" / "moto-5.2.5.json": "moto 5.2.5",
    Path(__file__).parent / "data" / "ministack-1.5.33.json": "MiniStack 1.5.33",
}

ONLY_IN_SECOND = "vmfa.list.no-secrets"  # a check the second target ran and the first did not
MISSING_IN_SECOND = "vmfa.create.qr.png"  # a check the first target ran and the second did not
STILL_NOT_IMPLEMENTED = "vmfa.tags.tag-adds"


def every_verdict() -> RunResult:
    return load_results(EVERY_VERDICT)


def sample(path: Path) -> RunResult:
    """A recorded run, its target labelled as a product."""
    run = load_results(path)
    return dataclasses.replace(run, target=dataclasses.replace(run.target, label=SAMPLES[path]))


def samples() -> list[RunResult]:
    """moto 5.2.5 and MiniStack 1.5.33, in that order: the matrix of two real implementations."""
    return [sample(path) for path in SAMPLES]


def second_target(run: RunResult) -> RunResult:
    """Another endpoint: everything passes but one check it lacks; one row each run lacks."""
    results = [
        result if result.check == STILL_NOT_IMPLEMENTED else _passed(result)
        for result in run.results
        if result.check != MISSING_IN_SECOND
    ]
    results.append(
        CheckResult(
            check=ONLY_IN_SECOND,
            operation="ListVirtualMFADevices",
            clause="ListVirtualMFADevices: VirtualMFADevices (no seed, no QR code)",
            evidence=Evidence.DOCUMENTED,
            verdict=Verdict.PASS,
            title="no list entry carries the seed or the QR image",
        )
    )
    target = TargetInfo("url", "http://127.0.0.1:4566", "us-east-1", None, "000000000000")
    return dataclasses.replace(run, target=target, results=tuple(results), expectations=None)


def _passed(result: CheckResult) -> CheckResult:
    return dataclasses.replace(
        result,
        verdict=Verdict.PASS,
        message="",
        expected=None,
        observed=None,
        counterexample=None,
        expectation=None,
        expectation_reason=None,
    )


def many_failures(count: int) -> RunResult:
    """A run of ``count`` FAILs over five operations and twenty clauses, each with some text."""
    results = tuple(
        CheckResult(
            check=f"vmfa.op{index % 5}.check{index % 20}",
            operation=f"Operation{index % 5}",
            clause=f"Operation{index % 5}: clause {index % 20}",
            evidence=Evidence.MODEL,
            verdict=Verdict.FAIL,
            case=f"case-{index}",
            title="a check that fails",
            message=f"failure number {index}: " + "the endpoint answered something else. " * 8,
            expected="a ValidationError with HTTP 400 | 4xx",
            observed="HTTP 200 <ok/> & an entity created",
            reproduction="boto3.client('iam').create_virtual_mfa_device(VirtualMFADeviceName='x')",
        )
        for index in range(count)
    )
    return dataclasses.replace(every_verdict(), results=results, expectations=None)
