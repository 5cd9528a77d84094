"""The subcommands on saved runs (``report``, ``compare``, ``expectations``), ``list``, and the expectations
options of ``run``, through ``conformance.runner.cli.main``: what each does, and every bad input as one
line, exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from conformance import __version__
from conformance.runner.cli import main
from conformance.scenarios import all_checks
from reports import results_json
from reports.expectations import load_expectations
from reports.expectations_writer import TODO_PREFIX
from reports.model import SCHEMA, RunResult, Verdict, write_atomically
from tests.reports.builders import make_result, make_run

_QR = "vmfa.create.qr.png"
_SEED = "vmfa.create.seed.base32"


def _call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse: --help and usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _save(path: Path, run: RunResult) -> str:
    write_atomically(path, results_json.render(run))
    return str(path)


@pytest.fixture
def old_and_new(tmp_path: Path) -> tuple[str, str]:
    old = make_run(make_result(_QR, Verdict.PASS), make_result(_SEED, Verdict.FAIL))
    new = make_run(make_result(_QR, Verdict.FAIL), make_result(_SEED, Verdict.FAIL))
    return _save(tmp_path / "old.json", old), _save(tmp_path / "new.json", new)


@pytest.mark.parametrize("command", ["run", "report", "compare", "expectations", "list"])
def test_every_subcommand_has_help_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _call([command, "--help"], capsys)
    assert code == 0
    assert f"iam-conformance {command}" in out.split("examples:", 1)[1]


def test_compare_exits_1_on_a_regression_and_0_without(
    old_and_new: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = old_and_new
    code, out, err = _call(["compare", old, new], capsys)
    assert (code, err) == (1, "")
    assert f"1 regressed:\n  {_QR}: PASS -> FAIL\n" in out
    code, out, _ = _call(["compare", new, new], capsys)
    assert code == 0 and out.rstrip().endswith("no regression")
    code, out, _ = _call(["compare", old, new, "--format", "markdown"], capsys)
    assert code == 1 and f"| `{_QR}` |  | PASS | FAIL |" in out
    code, out, _ = _call(["compare", old, new, "--format", "json"], capsys)
    document = json.loads(out)
    assert code == 1 and document["regressed"] is True
    assert document["regressions"] == [{"check": _QR, "case": None, "old": "PASS", "new": "FAIL"}]


def test_list_names_every_check_of_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    checks = {check.id: check for check in all_checks()}
    code, out, err = _call(["list"], capsys)
    assert (code, err) == (0, "")
    heading, *lines = out.splitlines()
    assert heading.split() == ["id", "evidence", "operation", "clause"]
    assert [line.split()[0] for line in lines] == sorted(checks)
    for line in lines:
        check = checks[line.split()[0]]
        assert line.split()[1] == str(check.evidence)
        assert f"  {check.operation} " in line
        assert line.endswith(f"  {check.clause}")
    code, out, _ = _call(["list", "--format", "json"], capsys)
    document = json.loads(out)
    assert code == 0 and document["suite_version"] == __version__
    assert document["checks"] == [
        {
            "id": check.id,
            "operation": check.operation,
            "evidence": str(check.evidence),
            "clause": check.clause,
            "title": check.title,
        }
        for check in sorted(checks.values(), key=lambda check: check.id)
    ]


def test_expectations_writes_a_file_from_a_saved_run_and_keeps_its_reasons(
    tmp_path: Path, old_and_new: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "deep" / "mine.toml"
    code, out, _ = _call(["expectations", old_and_new[1], "--out", str(out_file)], capsys)
    assert code == 0
    assert out == f"expectations written to {out_file}: entries 2, reasons still to write (TODO) 2\n"
    out_file.write_text(out_file.read_text().replace(f'"{TODO_PREFIX}', '"a written reason #', 1))
    code, out, _ = _call(["expectations", old_and_new[1], "--out", str(out_file)], capsys)
    assert code == 0 and "entries 2, reasons still to write (TODO) 1" in out
    entries = load_expectations(out_file).entries
    assert [(e.check, e.verdict) for e in entries] == [(_QR, Verdict.FAIL), (_SEED, Verdict.FAIL)]
    assert entries[0].reason.startswith("a written reason #")


def test_expectations_leave_out_checks_the_suite_no_longer_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = _save(
        tmp_path / "r.json", make_run(make_result("vmfa.gone", Verdict.FAIL), make_result(_QR, Verdict.FAIL))
    )
    code, out, _ = _call(["expectations", saved, "--out", str(tmp_path / "e.toml")], capsys)
    assert code == 0 and "entries 1," in out and "left out, no longer checks of this suite: vmfa.gone" in out
    assert [e.check for e in load_expectations(tmp_path / "e.toml").entries] == [_QR]


def test_report_hands_every_run_to_the_matrix_writer(
    tmp_path: Path,
    old_and_new: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[list[RunResult], Path]] = []

    def record(runs: Sequence[RunResult], directory: Path, scrub: Callable[[str], str]) -> None:
        calls.append((list(runs), directory))

    monkeypatch.setattr("reports.write.write_matrix_reports", record)
    code, out, _ = _call(["report", *old_and_new, "--out", str(tmp_path / "matrix")], capsys)
    assert code == 0 and out == f"report of 2 run(s) written to {tmp_path / 'matrix'}/\n"
    [(runs, directory)] = calls
    assert [run.results[0].verdict for run in runs] == [Verdict.PASS, Verdict.FAIL]
    assert directory == tmp_path / "matrix"


def _write(name: str, content: str | bytes) -> Callable[[Path], str]:
    def make(directory: Path) -> str:
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return str(path)

    return make


def _results(mutate: Callable[[dict[str, object]], object]) -> Callable[[Path], str]:
    document = make_run(make_result(_QR, Verdict.FAIL)).to_json()
    mutate(document)
    return _write("results.json", json.dumps(document))


_GOOD_RUN = _results(lambda document: None)
_ENTRY = '[[expected]]\ncheck = "{check}"\nverdict = "FAIL"\nreason = "r"\n'
# Each bad input: a file made in tmp_path (its path replaces {} in the arguments; a good run is there as
# good.json), and what the one line says.
_BAD_INPUTS: dict[str, tuple[Callable[[Path], str], list[str], str]] = {
    "missing file": (lambda d: str(d / "nope.json"), ["compare", "{}", "{}"], "nope.json: no such file"),
    "a directory": (lambda d: str(d), ["compare", "{}", "{}"], "cannot read it (Is a directory)"),
    "not UTF-8": (_write("r.json", b"\xff\xfe{"), ["compare", "{}", "{}"], "r.json: not a UTF-8 text file"),
    "not JSON": (
        _write("r.json", "{oops"),
        ["compare", "{}", "{}"],
        "r.json: not JSON (Expecting property name",
    ),
    "a JSON list": (_write("r.json", "[]"), ["compare", "{}", "{}"], f"not an {SCHEMA} document"),
    "another schema": (
        _results(lambda d: d.update(schema="x/1")),
        ["compare", "{}", "{}"],
        f"not an {SCHEMA}",
    ),
    "no target": (
        _results(lambda d: d.pop("target")),
        ["compare", "{}", "{}"],
        "malformed iam-conformance/results/1 document (no 'target')",
    ),
    "bad verdict": (
        _results(lambda d: d["results"][0].update(verdict="MEH")),  # type: ignore[index]
        ["compare", "{}", "{}"],
        "'MEH' is not a valid Verdict",
    ),
    "one bad run of several": (_write("r.json", "{"), ["report", "{}", "--out", "x"], "r.json: not JSON"),
    "report out is a file": (_GOOD_RUN, ["report", "{}", "--out", "{}"], "results.json: cannot write there"),
    "expectations from a bad run": (
        _write("r.json", ""),
        ["expectations", "{}", "--out", "e.toml"],
        "not JSON",
    ),
    "expectations out is malformed": (
        _write("e.toml", "[[expected"),
        ["expectations", "good.json", "--out", "{}"],
        "e.toml: not valid TOML: ",
    ),
    "run: expectations missing": (
        lambda d: str(d / "no.toml"),
        ["run", "--expectations", "{}"],
        "no.toml: no such expectations file",
    ),
    "run: stale check id": (
        _write("e.toml", _ENTRY.format(check="vmfa.gone")),
        ["run", "--expectations", "{}"],
        "e.toml:1: no check 'vmfa.gone'",
    ),
    "run: unknown verdict": (
        _write("e.toml", _ENTRY.format(check=_QR).replace("FAIL", "BAD")),
        ["run", "--expectations", "{}"],
        "e.toml:1: verdict 'BAD' cannot be expected",
    ),
    "run: rewriting a broken file": (
        _write("e.toml", _ENTRY.format(check=_QR) * 2),
        ["run", "--write-expectations", "{}"],
        "listed twice (first at",
    ),
    "compare one run": (_GOOD_RUN, ["compare", "{}"], "the following arguments are required: NEW.json"),
    "compare format": (_GOOD_RUN, ["compare", "{}", "{}", "--format", "html"], "invalid choice: 'html'"),
    "list format": (_GOOD_RUN, ["list", "--format", "csv"], "invalid choice: 'csv'"),
    "report without --out": (_GOOD_RUN, ["report", "{}"], "the following arguments are required: --out"),
    "unknown command": (_GOOD_RUN, ["publish", "{}"], "invalid choice: 'publish'"),
}


@pytest.mark.parametrize(("make", "argv", "says"), _BAD_INPUTS.values(), ids=_BAD_INPUTS.keys())
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    make: Callable[[Path], str],
    argv: list[str],
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(_GOOD_RUN(tmp_path)).rename(tmp_path / "good.json")  # a good run beside the bad input
    path = make(tmp_path)
    code, out, err = _call([arg.replace("{}", path) for arg in argv], capsys)
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("iam-conformance") and says in lines[0], lines[0]
    assert "Traceback" not in out + err


def test_the_plugin_refuses_a_bad_file_in_one_line_before_any_test(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", e=_ENTRY.format(check="vmfa.gone"))
    pytester.makepyfile(test_never="def test_never():\n    raise AssertionError('ran')\n")
    result = pytester.runpytest_subprocess("-p", "conformance.runner.plugin", "--iam-expectations", "e.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line.strip()] == [
        "ERROR: e.toml:1: no check 'vmfa.gone' in this suite (renamed or removed?): update the file"
    ]
    assert "ran" not in result.stdout.str()
