"""``junit.xml``: the results as test cases, for the CI systems that draw test reports from JUnit XML.

One ``<testcase>`` per result: ``classname`` is the operation, ``name`` the check id with ``[case]``
when there is one, ``time`` its duration. The outcome follows what fails a run
(`CheckResult.counts_as_failure`), so that the CI's red or green agrees with the exit code:

| result | outcome |
| --- | --- |
| FAIL | ``<failure>`` |
| ERROR | ``<error>`` |
| SKIP, NOT_IMPLEMENTED | ``<skipped>`` |
| PASS, DEVIATION, INFO | passed; DEVIATION and INFO carry their text in ``<system-out>`` |
| EXPECTED_FAILURE (an expectations file) | ``<skipped>`` with the file's reason, as pytest's xfail |
| UNEXPECTED_FAILURE | ``<error>`` for an ERROR, else ``<failure>`` (a DEVIATION too: it fails the run) |
| UNEXPECTED_PASS | passed, with the property ``expectation=UNEXPECTED_PASS`` |

Every testcase has the properties ``verdict``, ``clause``, ``evidence`` (and ``expectation``).
How the run ended adds test cases of class ``iam-conformance``: ``run.interrupted`` (``<error>``) when
a signal cut it short, ``run.leftovers`` (``<failure>``, one line per resource) when it left something
on the endpoint; the suite's properties say ``interrupted`` and the number of ``leftovers``.
Text goes through `reports.text.printable`, which spells out every character XML 1.0 forbids (a
control character becomes ``\\x1b``), so the file always parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from reports.leftovers import interrupted_line, leftovers_line
from reports.matrix import target_label
from reports.model import CheckResult, Expectation, RunResult, Verdict
from reports.text import clip, detail_fields, printable

__all__ = ["render"]

_MESSAGE_LIMIT = 500  # characters of the message attribute; the element's text has everything
_OUTCOMES = {
    Verdict.FAIL: "failure",
    Verdict.ERROR: "error",
    Verdict.SKIP: "skipped",
    Verdict.NOT_IMPLEMENTED: "skipped",
}


def render(run: RunResult) -> str:
    suite = ET.Element("testsuite", name=_clean(f"iam-conformance: {target_label(run.target)}"))
    suite.append(_run_properties(run))
    outcomes: Counter[str] = Counter()
    for result in run.results:
        outcome = _outcome(result)
        outcomes[outcome or "passed"] += 1
        suite.append(_testcase(result, outcome))
    ending = _ending_cases(run)
    for outcome, case in ending:
        outcomes[outcome] += 1
        suite.append(case)
    totals = {
        "tests": str(len(run.results) + len(ending)),
        "failures": str(outcomes["failure"]),
        "errors": str(outcomes["error"]),
        "skipped": str(outcomes["skipped"]),
        "time": f"{sum(result.duration_s for result in run.results):.3f}",
    }
    suite.attrib.update(totals, timestamp=_clean(run.started))
    root = ET.Element("testsuites", {"name": "iam-conformance", **totals})
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _outcome(result: CheckResult) -> str | None:
    """``failure``, ``error``, ``skipped``, or None for a passed testcase."""
    if result.expectation is Expectation.EXPECTED_FAILURE:
        return "skipped"
    if result.expectation is Expectation.UNEXPECTED_FAILURE:
        return "error" if result.verdict is Verdict.ERROR else "failure"
    return _OUTCOMES.get(result.verdict)


def _run_properties(run: RunResult) -> ET.Element:
    values = {
        "target.name": run.target.name,
        "target.url": run.target.url,
        "target.region": run.target.region,
        "target.version": run.target.version,
        "suite_version": run.suite_version,
        "model_version": run.model_version,
        "profile": run.profile,
        "seed": None if run.seed is None else str(run.seed),
        "api_calls": str(run.api_calls),
        "expectations": run.expectations,
        "finished": run.finished,
        "interrupted": run.interrupted,
        "leftovers": str(len(run.leftovers)),
    }
    return _properties({name: value for name, value in values.items() if value is not None})


def _ending_cases(run: RunResult) -> list[tuple[str, ET.Element]]:
    """How the run ended, as test cases a CI shows red: ``run.interrupted`` (an ``<error>``: the results
    are not final) and ``run.leftovers`` (a ``<failure>`` listing each resource left on the endpoint)."""
    cases = []
    if run.interrupted:
        line = interrupted_line(run.interrupted, run.complete)
        cases.append(("error", _run_case("run.interrupted", "error", "INTERRUPTED", line, line)))
    if run.leftovers:
        text = "\n".join(leftover.describe() for leftover in run.leftovers)
        line = leftovers_line(run.leftovers)
        cases.append(("failure", _run_case("run.leftovers", "failure", "LEFT_BEHIND", line, text)))
    return cases


def _run_case(name: str, outcome: str, kind: str, message: str, text: str) -> ET.Element:
    case = ET.Element("testcase", classname="iam-conformance", name=name, time="0.000")
    element = ET.SubElement(case, outcome, message=_clean(clip(message, _MESSAGE_LIMIT)))
    element.set("type", kind)
    element.text = _clean(text)
    return case


def _testcase(result: CheckResult, outcome: str | None) -> ET.Element:
    name = result.check + (f" [{result.case}]" if result.case is not None else "")
    case = ET.Element(
        "testcase", classname=_clean(result.operation), name=_clean(name), time=f"{result.duration_s:.3f}"
    )
    values = {"verdict": str(result.verdict), "clause": result.clause, "evidence": str(result.evidence)}
    if result.expectation is not None:
        values["expectation"] = str(result.expectation)
    case.append(_properties(values))
    text = _clean("\n\n".join(f"{label}:\n{value}" for label, value in detail_fields(result)))
    if outcome is not None:
        element = ET.SubElement(case, outcome, message=_clean(clip(_message(result), _MESSAGE_LIMIT)))
        element.set("type", str(result.verdict))
        element.text = text or None
    elif text:
        ET.SubElement(case, "system-out").text = text
    return case


def _message(result: CheckResult) -> str:
    """One line: the verdict, the expectation's reason for an expected failure, and the message."""
    first = (result.message or result.title).strip().split("\n", 1)[0]
    if result.expectation is Expectation.EXPECTED_FAILURE:
        reason = result.expectation_reason or "listed in the expectations file"
        return f"expected failure ({result.verdict}): {reason}"
    return f"{result.verdict}: {first}" if first else str(result.verdict)


def _properties(values: dict[str, str]) -> ET.Element:
    element = ET.Element("properties")
    for name, value in values.items():
        ET.SubElement(element, "property", name=name, value=_clean(value))
    return element


def _clean(text: str) -> str:
    return printable(text)
