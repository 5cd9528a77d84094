"""Expectations files: every kind of bad file is refused in one line, each kind of result is judged as
documented, and a written file reads back as it was (the shipped moto file included)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import results_json, terminal
from reports.expectations import (
    EXPECTABLE,
    Entry,
    Expectations,
    ExpectationsError,
    apply_expectations,
    load_expectations,
    parse_expectations,
    unjudged_entries,
)
from reports.expectations_writer import (
    TODO_PREFIX,
    expectations_from_run,
    render_expectations,
    write_expectations,
)
from reports.model import Expectation, Verdict, load_results, write_atomically
from tests.reports.builders import make_result, make_run

_GOOD = """\
implementation = "moto"
version = "5.2.5"

[[expected]]
check = "vmfa.create.qr.png"
verdict = "FAIL"
reason = "QRCodePNG is random bytes"

[[expected]]
check = "vmfa.create.invalid.rejected"
case = "path.length.min"
verdict = "FAIL"
reason = "an empty path becomes '/'"
"""

_ENTRY = '[[expected]]\ncheck = "vmfa.create.qr.png"\nverdict = "FAIL"\nreason = "r"\n'


def test_a_good_file_reads_into_entries() -> None:
    expectations = parse_expectations(
        _GOOD, "moto.toml", {"vmfa.create.qr.png", "vmfa.create.invalid.rejected"}
    )
    assert expectations == Expectations(
        source="moto.toml",
        entries=(
            Entry("vmfa.create.qr.png", Verdict.FAIL, "QRCodePNG is random bytes"),
            Entry(
                "vmfa.create.invalid.rejected", Verdict.FAIL, "an empty path becomes '/'", "path.length.min"
            ),
        ),
        implementation="moto",
        version="5.2.5",
    )


def test_an_empty_file_expects_nothing() -> None:
    assert parse_expectations("", "none.toml").entries == ()


# Each bad file, the reason it is bad, and what the one-line error must say (file:line where it can).
_BAD_FILES = {
    "not TOML": ('[[expected]\ncheck = "x"\n', "f.toml: not valid TOML: ", "line 1"),
    "misspelt table": ('[[expect]]\ncheck = "x"\n', "f.toml: unknown key 'expect'", "allowed:"),
    "expected not a list": ('expected = "x"\n', "f.toml: 'expected' must be a list", "[[expected]]"),
    "implementation not a string": (
        "implementation = 5\n",
        "f.toml: 'implementation' must be a string",
        "int",
    ),
    "misspelt key": (_ENTRY.replace("reason", "reson"), "f.toml:1: unknown key 'reson'", "allowed:"),
    "no check": (_ENTRY.replace('check = "vmfa.create.qr.png"\n', ""), "f.toml:1: 'check' is missing", ""),
    "check not a string": (
        _ENTRY.replace('"vmfa.create.qr.png"', "3"),
        "f.toml:1: 'check' must be a string",
        "",
    ),
    "no reason": (_ENTRY.replace('reason = "r"\n', ""), "f.toml:1: 'reason' is missing", ""),
    "blank reason": (_ENTRY.replace('"r"', '"  "'), "f.toml:1: 'reason' is empty", "say why"),
    "no verdict": (_ENTRY.replace('verdict = "FAIL"\n', ""), "f.toml:1: 'verdict' is missing", ""),
    "unknown verdict": (
        _ENTRY.replace('"FAIL"', '"FALE"'),
        "f.toml:1: verdict 'FALE' cannot be expected",
        "ERROR",
    ),
    "a pass expected": (
        _ENTRY.replace('"FAIL"', '"PASS"'),
        "f.toml:1: verdict 'PASS' cannot be expected",
        "",
    ),
    "a skip expected": (
        _ENTRY.replace('"FAIL"', '"SKIP"'),
        "f.toml:1: verdict 'SKIP' cannot be expected",
        "",
    ),
    "empty case": (_ENTRY + 'case = ""\n', "f.toml:1: 'case' is empty", "leave it out"),
    "duplicate": (
        "\n" + _ENTRY + "\n" + _ENTRY,
        "f.toml:7: vmfa.create.qr.png is listed twice",
        "(first at f.toml:2)",
    ),
    "stale check id": (
        _ENTRY.replace("vmfa.create.qr.png", "vmfa.gone"),
        "f.toml:1: no check 'vmfa.gone'",
        "update",
    ),
}


@pytest.mark.parametrize(("text", "starts", "says"), _BAD_FILES.values(), ids=_BAD_FILES.keys())
def test_a_bad_file_is_one_line_naming_file_and_line(text: str, starts: str, says: str) -> None:
    with pytest.raises(ExpectationsError) as raised:
        parse_expectations(text, "f.toml", {"vmfa.create.qr.png"})
    message = str(raised.value)
    assert message.startswith(starts), message
    assert says in message
    assert "\n" not in message


def test_without_the_registry_a_stale_id_is_read() -> None:
    """What a file being rewritten is read with: its reasons are wanted, not its judgement."""
    text = _ENTRY.replace("vmfa.create.qr.png", "vmfa.gone")
    assert parse_expectations(text, "f.toml").entries[0].check == "vmfa.gone"


def test_entries_written_inline_are_named_by_number() -> None:
    text = 'expected = [{check = "a", verdict = "FAIL", reason = "r"}, {check = "a", verdict = "ERROR"}]\n'
    with pytest.raises(ExpectationsError, match=r"^f.toml: entry 2: 'reason' is missing$"):
        parse_expectations(text, "f.toml")


def test_unreadable_files_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(b"# caf\xe9\n")
    for name, says in [
        ("missing.toml", "no such expectations file"),
        ("latin1.toml", "not a UTF-8 text file"),
    ]:
        with pytest.raises(ExpectationsError, match=f"^{tmp_path / name}: {says}$"):
            load_expectations(tmp_path / name)
    with pytest.raises(ExpectationsError, match="cannot read it"):
        load_expectations(tmp_path)


# One result of each kind, and the file that lists some of them.
_RESULTS = {
    "listed, same verdict": make_result("c.fail", Verdict.FAIL),
    "listed with a case": make_result("c.cased", Verdict.DEVIATION, case="a"),
    "not listed": make_result("c.new-fail", Verdict.FAIL),
    "not listed, deviation": make_result("c.new-deviation", Verdict.DEVIATION),
    "not listed, other case": make_result("c.cased", Verdict.DEVIATION, case="b"),
    "not listed, no case": make_result("c.uncased", Verdict.NOT_IMPLEMENTED, case="x"),
    "listed, other verdict": make_result("c.now-error", Verdict.ERROR),
    "listed, passes": make_result("c.fixed", Verdict.PASS),
    "listed, info": make_result("c.info", Verdict.INFO),
    "listed, skipped": make_result("c.skipped", Verdict.SKIP),
    "not listed, passes": make_result("c.pass", Verdict.PASS),
}
_FILE = Expectations(
    "exp.toml",
    (
        Entry("c.fail", Verdict.FAIL, "known"),
        Entry("c.cased", Verdict.DEVIATION, "case a only", "a"),
        Entry("c.uncased", Verdict.NOT_IMPLEMENTED, "no case"),
        Entry("c.now-error", Verdict.FAIL, "was a fail"),
        Entry("c.fixed", Verdict.FAIL, "was broken"),
        Entry("c.info", Verdict.DEVIATION, "was a deviation"),
        Entry("c.skipped", Verdict.FAIL, "depends on c.fail"),
        Entry("c.filtered", Verdict.FAIL, "not in this run"),
    ),
)
_JUDGED = {
    "listed, same verdict": (Expectation.EXPECTED_FAILURE, "known"),
    "listed with a case": (Expectation.EXPECTED_FAILURE, "case a only"),
    "not listed": (Expectation.UNEXPECTED_FAILURE, None),
    "not listed, deviation": (Expectation.UNEXPECTED_FAILURE, None),
    "not listed, other case": (Expectation.UNEXPECTED_FAILURE, None),
    "not listed, no case": (Expectation.UNEXPECTED_FAILURE, None),
    "listed, other verdict": (Expectation.UNEXPECTED_FAILURE, "listed as FAIL, not ERROR: was a fail"),
    "listed, passes": (Expectation.UNEXPECTED_PASS, "was broken"),
    "listed, info": (Expectation.UNEXPECTED_PASS, "was a deviation"),
    "listed, skipped": (None, None),
    "not listed, passes": (None, None),
}


def test_each_result_is_judged_as_documented() -> None:
    run = apply_expectations(make_run(*_RESULTS.values()), _FILE)
    judged = {
        name: (r.expectation, r.expectation_reason) for name, r in zip(_RESULTS, run.results, strict=True)
    }
    assert judged == _JUDGED
    assert run.expectations == "exp.toml"
    assert [r.verdict for r in run.results] == [r.verdict for r in _RESULTS.values()]  # verdicts untouched


@pytest.mark.parametrize(
    ("kinds", "failed"),
    [
        (["listed, same verdict", "listed with a case", "listed, passes", "listed, skipped"], False),
        (["listed, same verdict", "not listed, deviation"], True),
        (["listed, same verdict", "listed, other verdict"], True),
    ],
)
def test_only_unexpected_failures_fail_the_run(kinds: list[str], failed: bool) -> None:
    run = make_run(*(_RESULTS[kind] for kind in kinds))
    assert apply_expectations(run, _FILE).failed is failed


def test_without_a_file_fail_and_error_fail_the_run_as_before() -> None:
    run = make_run(_RESULTS["listed, same verdict"])
    assert run.failed and run.results[0].expectation is None


def test_listed_entries_no_result_judged_are_reported() -> None:
    run = make_run(*_RESULTS.values())
    unjudged = {(item.entry.check, item.why) for item in unjudged_entries(run, _FILE)}
    assert unjudged == {("c.skipped", "skipped"), ("c.filtered", "not run"), ("c.uncased", "not run")}


def test_judged_runs_round_trip_through_json(tmp_path: Path) -> None:
    run = apply_expectations(make_run(*_RESULTS.values()), _FILE)
    write_atomically(tmp_path / "results.json", results_json.render(run))
    assert load_results(tmp_path / "results.json") == run


def test_the_terminal_counts_expected_failures_and_lists_the_rest() -> None:
    run = apply_expectations(make_run(*_RESULTS.values()), _FILE)
    text = terminal.render(run, _FILE)
    assert "expected failures 2 (counted, not listed), unexpected failures 5, unexpected passes 2" in text
    assert "FAIL c.new-fail: " in text and "DEVIATION c.cased [b]: " in text
    assert "ERROR c.now-error: " in text and "(listed: listed as FAIL, not ERROR: was a fail)" in text
    assert "PASS c.fixed (listed: was broken)" in text and "INFO c.info (listed: was a deviation)" in text
    assert "hint: remove these from exp.toml" in text
    assert "c.skipped: skipped" in text and "c.filtered: not run" in text
    assert "c.fail" not in text  # expected failures are counted, not listed
    assert text.rstrip().endswith("--seed 20261122 --expectations exp.toml")


def test_many_entries_not_run_are_counted_not_listed() -> None:
    entries = tuple(Entry(f"c.{index}", Verdict.FAIL, "r") for index in range(8))
    run = apply_expectations(make_run(make_result("c.0", Verdict.FAIL)), Expectations("e.toml", entries))
    text = terminal.render(run, Expectations("e.toml", entries))
    assert "7 entries not run (filtered out with -k" in text
    assert "c.5" not in text


def test_a_file_written_from_a_run_lists_its_failures_sorted() -> None:
    results = [
        make_result("c.b", Verdict.FAIL, observed="HTTP 200: the device was created\nmore"),
        make_result("c.a", Verdict.NOT_IMPLEMENTED, case="z"),
        make_result("c.a", Verdict.ERROR, case="y"),
        make_result("c.a", Verdict.DEVIATION),
        make_result("c.pass", Verdict.PASS),
        make_result("c.info", Verdict.INFO),
        make_result("c.skip", Verdict.SKIP),
    ]
    written = expectations_from_run(make_run(*results), "out.toml")
    assert [(e.check, e.case, e.verdict) for e in written.entries] == [
        ("c.a", None, Verdict.DEVIATION),
        ("c.a", "y", Verdict.ERROR),
        ("c.a", "z", Verdict.NOT_IMPLEMENTED),
        ("c.b", None, Verdict.FAIL),
    ]
    assert written.entries[3].reason == f"{TODO_PREFIX} (received: HTTP 200: the device was created)"
    assert written.entries[1].reason == f"{TODO_PREFIX} (received: c.a (ERROR): the rule of c.a)"
    assert (written.implementation, written.version) == ("moto-server", "5.2.5")
    random.Random(0).shuffle(results)
    assert render_expectations(expectations_from_run(make_run(*results), "out.toml")) == render_expectations(
        written
    )


def test_rewriting_keeps_reasons_where_the_verdict_is_unchanged() -> None:
    previous = Expectations(
        "moto.toml",
        (
            Entry("c.same", Verdict.FAIL, "kept"),
            Entry("c.moved", Verdict.FAIL, "stale"),
            Entry("c.gone", Verdict.FAIL, "x"),
        ),
        implementation="moto",
        version="5.2.4",
    )
    judged = apply_expectations(
        make_run(make_result("c.judged", Verdict.FAIL)),
        Expectations("e", (Entry("c.judged", Verdict.FAIL, "from the run's file"),)),
    )
    run = make_run(
        make_result("c.same", Verdict.FAIL), make_result("c.moved", Verdict.ERROR), *judged.results
    )
    written = expectations_from_run(run, "moto.toml", previous)
    reasons = {entry.check: entry.reason for entry in written.entries}
    assert reasons["c.same"] == "kept" and reasons["c.judged"] == "from the run's file"
    assert reasons["c.moved"].startswith(TODO_PREFIX) and "c.gone" not in reasons
    assert (written.implementation, written.version) == ("moto", "5.2.5")


def test_write_then_read_gives_the_same_file(tmp_path: Path) -> None:
    expectations = Expectations(
        str(tmp_path / "e.toml"),
        (
            Entry(
                "c.a", Verdict.FAIL, 'quotes " and \\ backslash, # not a comment', "case ]] with [[expected]]"
            ),
            Entry("c.b", Verdict.NOT_IMPLEMENTED, "ünïcode, a tab\tand a line\nbreak"),
        ),
        implementation="moto",
    )
    write_expectations(tmp_path / "e.toml", expectations)
    assert load_expectations(tmp_path / "e.toml") == expectations


_TEXT = st.text(st.characters(codec="utf-8"), min_size=1).map(str.strip).filter(bool)


@given(
    entries=st.lists(
        st.builds(
            Entry, check=_TEXT, verdict=st.sampled_from(EXPECTABLE), reason=_TEXT, case=st.none() | _TEXT
        ),
        unique_by=lambda entry: entry.key,
        max_size=5,
    ),
    implementation=st.none() | st.text(),
)
def test_any_file_round_trips(entries: list[Entry], implementation: str | None) -> None:
    expectations = Expectations("f.toml", tuple(entries), implementation=implementation)
    assert parse_expectations(render_expectations(expectations), "f.toml") == expectations


def test_an_entry_may_link_the_implementations_tracker_and_rewriting_keeps_it() -> None:
    text = (
        '[[expected]]\ncheck = "c.x"\nverdict = "FAIL"\nreason = "why"\n'
        'url = "https://github.com/example/emulator/issues/1"\n'
    )
    [entry] = parse_expectations(text, "e.toml").entries
    assert entry.url == "https://github.com/example/emulator/issues/1"
    rewritten = expectations_from_run(
        make_run(make_result("c.x", Verdict.FAIL)), "e.toml", parse_expectations(text, "e.toml")
    )
    assert rewritten.entries[0].url == entry.url
    assert parse_expectations(render_expectations(rewritten), "e.toml").entries == rewritten.entries
    with pytest.raises(ExpectationsError, match="is not a web address"):
        parse_expectations(text.replace("https://", "ftp://"), "e.toml")
