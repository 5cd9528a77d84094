"""The terminal of a run: through the command (the suite's display) and through plain pytest.

One small conformance module, a check per verdict, against moto in-process (no server), run three ways:
plain pytest with an expectations file (expected failures are pytest's xfail), pytest with the suite's
display as the command loads it (off a terminal: plain lines, no pytest letters, FAILURES block or
counts, the summary last, its last line agreeing with the exit code), and the same on a pseudo-terminal
(a status line rewritten in place, colour unless ``NO_COLOR``).
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.toy_checks import toy_module

# Registered in a conftest, so that the checks exist when the expectations file is read (at configure).
_CONFTEST = """
from conformance.judging.outcomes import Info, Miss, Pass, Skip, Unsupported
from conformance.judging.registry import check
from reports.model import Evidence


def _register(id, evidence, outcome, operation="Op"):
    return check(id=id, operation=operation, scenario="t", clause="clause " + id, evidence=evidence)(outcome)


CHECKS = [
    _register("t.pass", Evidence.MODEL, lambda n: Pass()),
    _register("t.listed-pass", Evidence.MODEL, lambda n: Pass()),
    _register("t.fail", Evidence.MODEL, lambda n: Miss("small", "big \\x1b[31m") if n > 3 else Pass()),
    _register("t.deviation", Evidence.OBSERVED, lambda n: Miss("as AWS", "otherwise"), "Other"),
    _register("t.info", Evidence.NONE, lambda n: Miss("either", "or")),
    _register("t.skip", Evidence.MODEL, lambda n: Skip("depends on t.fail")),
    _register("t.error", Evidence.MODEL, lambda n: 1 / 0),
    _register("t.not-implemented", Evidence.MODEL, lambda n: Unsupported("Gone", "HTTP 501"), "Gone"),
]
"""
_MODULE = toy_module("from conftest import CHECKS\n", test_verdicts="CHECKS")
# FAIL, DEVIATION and ERROR expected; a pass listed; NOT_IMPLEMENTED not listed: the one unexpected failure.
_EXPECTATIONS = """
[[expected]]
check = "t.fail"
verdict = "FAIL"
reason = "known"

[[expected]]
check = "t.deviation"
verdict = "DEVIATION"
reason = "known"

[[expected]]
check = "t.error"
verdict = "ERROR"
reason = "known"

[[expected]]
check = "t.listed-pass"
verdict = "FAIL"
reason = "thought broken"
"""
_ARGS: tuple[str, ...] = ("-p", "conformance.runner.plugin", "--iam-target", "moto", "--iam-profile")
_ARGS += ("quick", "-p", "no:cacheprovider", "-p", "no:xdist", "--hypothesis-seed=1")
_PYTEST_COUNTS = re.compile(r"\d+ (passed|failed|skipped|xfailed|xpassed)")
_LAST_LINE = "score 33.3 % · exit 1: 1 unexpected failure (not listed in exp.toml with that verdict)"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(_CONFTEST)
    pytester.makepyfile(test_conformance_display=_MODULE)
    (pytester.path / "exp.toml").write_text(_EXPECTATIONS)
    return pytester


def test_the_display_has_pytest_build_no_traceback_that_nothing_would_show(pytester: pytest.Pytester) -> None:
    """Without -v the display shows no traceback: pytest is told to build none (its style "no"), also in a
    pytest-xdist worker, which parses the same arguments; -v and plain pytest keep the style asked for."""
    display = ("-p", "conformance.runner.progress", "--tb=long")
    assert pytester.parseconfigure(*_ARGS, *display).option.tbstyle == "no"
    assert pytester.parseconfigure(*_ARGS, *display, "-v").option.tbstyle == "long"
    assert pytester.parseconfigure(*_ARGS, "--tb=long").option.tbstyle == "long"


@pytest.mark.slow
def test_plain_pytest_shows_expected_failures_as_xfail(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(*_ARGS, "--iam-expectations", "exp.toml", "--iam-report-dir", "out")
    # FAIL, DEVIATION and ERROR listed: xfail; the listed pass: xpass; the unlisted NOT_IMPLEMENTED fails.
    result.assert_outcomes(passed=2, failed=1, skipped=1, xfailed=3, xpassed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "IAM conformance summary" in result.stdout.str()


@pytest.mark.slow
def test_the_command_s_display_off_a_terminal(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        *_ARGS,
        "-p",
        "conformance.runner.progress",
        "--iam-expectations",
        "exp.toml",
        "--iam-report-dir",
        "out",
    )
    text = result.stdout.str()
    lines = [line for line in text.splitlines() if line.strip()]
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert lines[-1] == _LAST_LINE  # the summary is last, and its last line explains the exit code
    assert lines[0] == "iam-conformance: 8 checks against moto (profile quick, seed 1)"
    assert lines[1:4] == [
        "[0/8] Op · 0 unexpected, 0 expected",
        "[3/8] Other · 0 unexpected, 1 expected",
        "[4/8] Op · 0 unexpected, 2 expected",
    ]
    assert re.search(r"^\[8/8\] 8 checks run in [0-9.]+ s · 1 unexpected, 3 expected$", text, re.MULTILINE)
    # Plain lines: no status line rewritten in place, no colour, no endpoint text acting on the terminal.
    assert "\r" not in text and "\x1b" not in text
    assert "FAILURES" not in text and not _PYTEST_COUNTS.search(text), text
    assert "  verdicts: 2 PASS, 1 FAIL, 1 DEVIATION, 1 INFO, 1 NOT_IMPLEMENTED, 1 ERROR, 1 SKIP" in lines
    assert "  needs attention (not expected by exp.toml), by operation:" in lines
    assert (
        "      NOT_IMPLEMENTED t.not-implemented: not implemented by the endpoint: Gone (HTTP 501)" in lines
    )
    assert "    PASS t.listed-pass (listed: thought broken)" in lines
    assert "  report: out/ (report.html, report.md, results.json, junit.xml)" in lines


@pytest.mark.slow
def test_verbose_keeps_pytest_s_details_above_the_summary(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(*_ARGS, "-p", "conformance.runner.progress", "-v")
    text = result.stdout.str()
    assert "[3/8] FAIL t.fail" in text and "[7/8] ERROR t.error" in text  # a line per check
    assert text.index("FAILURES") < text.index("IAM conformance summary")  # tracebacks, then the summary
    assert "      FAIL t.fail: big \\x1b[31m" in text  # each result listed, the endpoint's text made visible
    last = [line for line in text.splitlines() if line.strip()][-1]
    assert last == "score 33.3 % · exit 1: 1 FAIL, 1 ERROR (FAIL and ERROR fail a run)"
    assert not _PYTEST_COUNTS.search(text)


def _on_a_terminal(directory: Path, environment: dict[str, str]) -> tuple[int, str]:
    """Run the module with the display on a pseudo-terminal of 100 columns: exit code and screen bytes."""
    command = [sys.executable, "-m", "pytest", *_ARGS, "-p", "conformance.runner.progress"]
    main, secondary = pty.openpty()
    ours = ("NO_COLOR", "PY_COLORS", "FORCE_COLOR", "PYTEST_ADDOPTS", "COLUMNS", "LINES")
    env = {name: value for name, value in os.environ.items() if name not in ours}
    env.update(COLUMNS="100", LINES="40", **environment)
    process = subprocess.Popen(
        command, cwd=directory, stdin=secondary, stdout=secondary, stderr=secondary, env=env
    )
    os.close(secondary)
    output = bytearray()
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 1)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    return code, output.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_the_command_s_display_on_a_terminal(project: pytest.Pytester, no_color: bool) -> None:
    code, screen = _on_a_terminal(project.path, {"NO_COLOR": "1"} if no_color else {})
    assert code == pytest.ExitCode.TESTS_FAILED, screen[-3000:]
    assert "\r[3/8] Op · t.fail" in screen  # the status line, rewritten in place
    colours = re.findall(r"\x1b\[[0-9;]*m", screen)
    assert (colours == []) is no_color, screen[-2000:]
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in screen.replace("\r\n", "\n").split("\n")]
    shown = [line for line in lines if line.strip()]
    assert shown[-1] == "score 33.3 % · exit 1: 1 FAIL, 1 ERROR (FAIL and ERROR fail a run)"
    assert "FAILURES" not in screen and not _PYTEST_COUNTS.search(screen)
