"""junit.xml: one testcase per result, outcomes that agree with the run's exit status, always parseable."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from reports import junit
from reports.model import Expectation, RunResult, Verdict
from tests.reports.recorded import every_verdict

_OUTCOMES = ("failure", "error", "skipped")


def _parse(run: RunResult) -> ET.Element:
    return ET.fromstring(junit.render(run))


def _outcome(case: ET.Element) -> str:
    found = [child.tag for child in case if child.tag in _OUTCOMES]
    assert len(found) <= 1
    return found[0] if found else "passed"


def _properties(case: ET.Element) -> dict[str, str]:
    return {p.attrib["name"]: p.attrib["value"] for p in case.iterfind("properties/property")}


def test_one_testcase_per_result_named_by_operation_check_and_case() -> None:
    run = every_verdict()
    cases = _parse(run).findall("testsuite/testcase")
    assert len(cases) == len(run.results)
    for case, result in zip(cases, run.results, strict=True):
        name = result.check + (f" [{result.case}]" if result.case is not None else "")
        assert (case.attrib["classname"], case.attrib["name"]) == (result.operation, name)
        assert float(case.attrib["time"]) == round(result.duration_s, 3)
        assert _properties(case)["verdict"] == str(result.verdict)
        assert _properties(case)["clause"] == result.clause


def test_outcomes_follow_what_fails_the_run() -> None:
    run = every_verdict()
    root = _parse(run)
    cases = root.findall("testsuite/testcase")
    outcomes = [_outcome(case) for case in cases]
    failing = [o for o in outcomes if o in ("failure", "error")]
    assert len(failing) == sum(result.counts_as_failure for result in run.results) > 0
    for element in (root, root.find("testsuite")):
        assert element is not None
        assert [int(element.attrib[f"{o}s" if o != "skipped" else o]) for o in _OUTCOMES] == [
            outcomes.count(o) for o in _OUTCOMES
        ]
        assert int(element.attrib["tests"]) == len(run.results)
    by_expectation = {r.expectation: (c, r) for c, r in zip(cases, run.results, strict=True) if r.expectation}
    expected_case, expected = by_expectation[Expectation.EXPECTED_FAILURE]
    skipped = expected_case.find("skipped")
    assert skipped is not None and expected.expectation_reason is not None
    assert expected.expectation_reason in skipped.attrib["message"]
    unexpected_pass, _ = by_expectation[Expectation.UNEXPECTED_PASS]
    assert _outcome(unexpected_pass) == "passed"
    assert _properties(unexpected_pass)["expectation"] == "UNEXPECTED_PASS"


def test_without_expectations_the_verdict_decides() -> None:
    run = every_verdict()
    plain = dataclasses.replace(
        run,
        expectations=None,
        results=tuple(dataclasses.replace(r, expectation=None, expectation_reason=None) for r in run.results),
    )
    cases = _parse(plain).findall("testsuite/testcase")
    seen = {(result.verdict, _outcome(case)) for case, result in zip(cases, plain.results, strict=True)}
    assert seen == {
        (Verdict.PASS, "passed"),
        (Verdict.FAIL, "failure"),
        (Verdict.ERROR, "error"),
        (Verdict.SKIP, "skipped"),
        (Verdict.NOT_IMPLEMENTED, "skipped"),
        (Verdict.DEVIATION, "passed"),
        (Verdict.INFO, "passed"),
    }
    for case, result in zip(cases, plain.results, strict=True):
        if result.verdict in (Verdict.DEVIATION, Verdict.INFO):
            out = case.find("system-out")
            assert out is not None and out.text is not None and result.message in out.text


def test_control_characters_and_markup_survive_as_text() -> None:
    run = every_verdict()
    text = junit.render(run)
    root = ET.fromstring(text)  # would raise on a character XML 1.0 forbids
    error = root.find("testsuite/testcase/error")
    assert error is not None and error.text is not None
    assert error.text.startswith(
        "Message:\nConnectionError: \\x1b[31mboom\\x1b[0m\\x00\\x07\\x0b\\x7f then \\ufffe|"
    )
    assert len(error.attrib["message"]) < 600 < len(error.text)
    failure = next(f for f in root.iterfind("testsuite/testcase/failure") if "pwned" in (f.text or ""))
    assert 'Observed:\n2 symbols: <script>alert("pwned")</script> a | b & c' in (failure.text or "")


def test_run_properties_say_what_ran() -> None:
    run = every_verdict()
    suite = _parse(run).find("testsuite")
    assert suite is not None
    properties = _properties(suite)
    assert properties["target.url"] == run.target.url and properties["seed"] == str(run.seed)
    assert properties["expectations"] == run.expectations
    assert suite.attrib["timestamp"] == run.started
