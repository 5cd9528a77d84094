"""The results model: what a conformance run found, independent of pytest and of any output format.

Every renderer (terminal, JSON, Markdown, HTML, JUnit) reads a `RunResult` and nothing else,
so a report can be re-rendered from a saved ``results.json`` without re-running the suite. The verdict
vocabulary here is the only one in the project.
"""

from __future__ import annotations

import enum
import json
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reports.leftovers import Leftover

__all__ = [
    "SCHEMA",
    "CheckResult",
    "Evidence",
    "Expectation",
    "Leftover",
    "ReadConsistency",
    "RunResult",
    "TargetInfo",
    "Verdict",
    "load_results",
    "write_atomically",
]

SCHEMA = "iam-conformance/results/1"


class Verdict(enum.StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"  # the endpoint breaks the model or the documentation
    DEVIATION = "DEVIATION"  # the endpoint differs from what real AWS was observed to do
    INFO = "INFO"  # behaviour recorded where the spec is silent or contradicts itself
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"  # the endpoint does not offer the operation
    ERROR = "ERROR"  # the suite could not judge (a crash, a broken connection): never a pass
    SKIP = "SKIP"  # not judged, with a reason

    @property
    def is_failure(self) -> bool:
        """Verdicts that make a run fail: the API is wrong, or we could not tell."""
        return self in (Verdict.FAIL, Verdict.ERROR)


class Evidence(enum.StrEnum):
    """What a check rests on (see docs/SPEC-NOTES.md): decides how a miss is reported."""

    MODEL = "model"
    DOCUMENTED = "documented"
    OBSERVED = "observed"
    NONE = "none"

    @property
    def miss_verdict(self) -> Verdict:
        if self in (Evidence.MODEL, Evidence.DOCUMENTED):
            return Verdict.FAIL
        if self is Evidence.OBSERVED:
            return Verdict.DEVIATION
        return Verdict.INFO


class Expectation(enum.StrEnum):
    """How a result compares with an expectations file (see `reports.expectations`); None: no file."""

    EXPECTED_FAILURE = "EXPECTED_FAILURE"  # listed, and ended with the listed verdict: not a failure
    UNEXPECTED_FAILURE = "UNEXPECTED_FAILURE"  # not PASS, INFO or SKIP, and not listed with this verdict
    UNEXPECTED_PASS = "UNEXPECTED_PASS"  # listed, but it passes now: the file wants updating


@dataclass(frozen=True)
class TargetInfo:
    name: str  # moto-server, moto, url, aws
    url: str | None
    region: str
    version: str | None = None  # the implementation's version when it can be found (moto's)
    account_id: str | None = None
    # What reports call the target: a product and its version ("LocalStack 2026.3.0"), from --label or
    # found by asking the endpoint; None in runs written before it existed.
    label: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One execution of one check. Text fields are already redacted: no seed or QR byte."""

    check: str
    operation: str
    clause: str
    evidence: Evidence
    verdict: Verdict
    case: str | None = None  # the sub-case the check ran on, e.g. the violated constraint's label
    title: str = ""
    message: str = ""
    expected: str | None = None
    observed: str | None = None
    counterexample: str | None = None  # Hypothesis's minimal failing inputs, inputs only
    reproduction: str | None = None  # a boto3 script replaying the calls that showed it
    notes: tuple[str, ...] = ()
    examples: int = 0
    duration_s: float = 0.0
    expectation: Expectation | None = None  # set when the run was given an expectations file
    expectation_reason: str | None = None  # the reason the expectations file gives for the listing

    @property
    def counts_as_failure(self) -> bool:
        """Does this result fail the run? With an expectations file, only what it does not expect does."""
        if self.expectation is not None:
            return self.expectation is Expectation.UNEXPECTED_FAILURE
        return self.verdict.is_failure

    def to_json(self) -> dict[str, Any]:
        # Its fields are scalars and tuples of strings: a shallow copy is what `asdict` gives, without
        # its deep copy (results.json is written again after each result: this is most of its cost).
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["evidence"] = str(self.evidence)
        data["verdict"] = str(self.verdict)
        data["notes"] = list(self.notes)
        data["expectation"] = str(self.expectation) if self.expectation else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        values = dict(data)
        values["evidence"] = Evidence(values["evidence"])
        values["verdict"] = Verdict(values["verdict"])
        values["notes"] = tuple(values.get("notes", ()))
        if values.get("expectation"):
            values["expectation"] = Expectation(values["expectation"])
        return cls(**values)


@dataclass(frozen=True)
class ReadConsistency:
    """Reads that had to be polled to reflect a write (IAM is eventually consistent), over a run."""

    patience_s: float  # how long one read could be polled (0: never, on local targets)
    reads_polled: int = 0
    reads_unsettled: int = 0  # still not as expected when the patience ran out
    longest_s: float = 0.0
    waited_s: float = 0.0  # the time all polled reads spent waiting, together (absent in older files)
    waits: int = 0  # the times the run stopped to wait, reads polled side by side waiting together


@dataclass(frozen=True)
class RunResult:
    target: TargetInfo
    suite_version: str
    model_version: str
    profile: str
    started: str  # ISO 8601, UTC
    finished: str
    api_calls: int
    results: tuple[CheckResult, ...] = field(default_factory=tuple)
    seed: int | None = None  # Hypothesis's seed: the same seed (and versions) draws the same inputs
    expectations: str | None = None  # the expectations file the results were judged against, if any
    consistency: ReadConsistency | None = None
    # False while the run is still going: results.json is rewritten after each result, so a run that
    # was killed leaves the results so far, marked incomplete.
    complete: bool = True
    notes: tuple[str, ...] = ()  # what the run itself met: a cleanup that failed, with the endpoint's answer
    # api_calls counts every request sent, these included: throttled requests sent again, and the
    # requests that checked the endpoint before the first test (absent in older files: 0).
    throttled_retries: int = 0
    preflight_calls: int = 0
    fault_retries: int = 0  # requests sent again after a fault on the way (a reset, a 5xx, a garbled answer)
    # What the run created and could not delete, with the endpoint's last answer (`reports.leftovers`).
    leftovers: tuple[Leftover, ...] = ()
    # The signals that cut the run short ("SIGINT", "SIGTERM, SIGINT"), None when it ran to its end.
    interrupted: str | None = None

    def counts(self) -> Counter[Verdict]:
        return Counter(result.verdict for result in self.results)

    @property
    def failed(self) -> bool:
        return any(result.counts_as_failure for result in self.results)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "target": asdict(self.target),
            "suite_version": self.suite_version,
            "model_version": self.model_version,
            "profile": self.profile,
            "started": self.started,
            "finished": self.finished,
            "api_calls": self.api_calls,
            "throttled_retries": self.throttled_retries,
            "preflight_calls": self.preflight_calls,
            "fault_retries": self.fault_retries,
            "seed": self.seed,
            "expectations": self.expectations,
            "consistency": asdict(self.consistency) if self.consistency else None,
            "complete": self.complete,
            "notes": list(self.notes),
            "interrupted": self.interrupted,
            "leftovers": [leftover.to_json() for leftover in self.leftovers],
            "counts": {str(verdict): self.counts().get(verdict, 0) for verdict in Verdict},
            "results": [result.to_json() for result in self.results],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not an {SCHEMA} document (schema: {data.get('schema')!r})")
        return cls(
            target=TargetInfo(**data["target"]),
            suite_version=data["suite_version"],
            model_version=data["model_version"],
            profile=data["profile"],
            started=data["started"],
            finished=data["finished"],
            api_calls=data["api_calls"],
            results=tuple(CheckResult.from_json(item) for item in data["results"]),
            seed=data.get("seed"),
            expectations=data.get("expectations"),
            consistency=ReadConsistency(**data["consistency"]) if data.get("consistency") else None,
            complete=bool(data.get("complete", True)),
            notes=tuple(data.get("notes", ())),
            throttled_retries=int(data.get("throttled_retries") or 0),
            preflight_calls=int(data.get("preflight_calls") or 0),
            fault_retries=int(data.get("fault_retries") or 0),
            leftovers=tuple(Leftover.from_json(item) for item in data.get("leftovers") or ()),
            interrupted=data.get("interrupted"),
        )


def load_results(path: Path) -> RunResult:
    return RunResult.from_json(json.loads(path.read_text(encoding="utf-8")))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` so that a reader (or a killed run) never sees a half-written file.

    ``durable``: also on disk before the rename (fsync), so that a crash of the machine leaves the old
    file or the new one. A killed process needs no fsync (the kernel keeps what was written): a file
    rewritten after every result, which the next one replaces anyway, goes without (`write_progress`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is shared like any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
