"""The matrix as a comparison: SKIPs fold under the failure they name, failing rows apart from quiet ones,
per-operation counts, the interop share and each implementation's "only here" count."""

from __future__ import annotations

import dataclasses
from collections import Counter

from reports.matrix import Row, build_matrix
from reports.model import CheckResult, Verdict
from reports.triage import fails_somewhere, named_cause, triage
from tests.reports.builders import make_result, make_run
from tests.reports.recorded import samples

V = Verdict


def _skip(check: str, because: str, case: str | None = None) -> CheckResult:
    return dataclasses.replace(make_result(check, V.SKIP, case), message=because)


def test_a_skip_names_its_cause_by_check_id() -> None:
    known = {"vmfa.create.qr.png", "vmfa.tags.tag-adds", "vmfa.create.qr.label"}
    said = {
        "QRCodePNG is not a loadable PNG (vmfa.create.qr.png)": "vmfa.create.qr.png",
        "depends on TagMFADevice, which the endpoint does not implement (see vmfa.tags.tag-adds)": (
            "vmfa.tags.tag-adds"
        ),
        "the image is not a PNG at all": None,
        "see e.g. vmfa.gone.away (no such check)": None,
        "its own id vmfa.create.qr.label is not a cause": None,
    }
    for message, cause in said.items():
        skip = dataclasses.replace(make_result("vmfa.create.qr.label", V.SKIP), message=message)
        assert named_cause(skip, known) == cause, message
    failed = dataclasses.replace(make_result("vmfa.create.qr.label", V.FAIL), message="(vmfa.create.qr.png)")
    assert named_cause(failed, known) is None  # only a SKIP is folded


def test_skips_fold_under_the_same_case_of_their_root_cause() -> None:
    run = make_run(
        make_result("c.rejected", V.FAIL, "k1"),
        make_result("c.rejected", V.FAIL, "k2"),
        _skip("c.status", "accepted (c.rejected)", "k1"),
        _skip("c.status", "accepted (c.rejected)", "k2"),
        _skip("c.message", "no status (c.status)", "k2"),  # a chain, to its root
        _skip("c.loop-a", "(c.loop-b)"),  # a cycle folds nothing
        _skip("c.loop-b", "(c.loop-a)"),
        make_result("c.fine", V.PASS),
    )
    found = triage(build_matrix([run]))
    rows = {row.name: row for row in found.matrix.rows}
    assert [d.name for d in found.dependents(rows["c.rejected [k1]"])] == ["c.status [k1]"]
    assert [d.name for d in found.dependents(rows["c.rejected [k2]"])] == ["c.message [k2]", "c.status [k2]"]
    assert found.cause(rows["c.message [k2]"]) is rows["c.rejected [k2]"]
    assert found.cause(rows["c.loop-a"]) is None and found.folded == 3
    [section] = found.sections
    assert [row.name for row in section.failing] == ["c.rejected [k1]", "c.rejected [k2]"]
    assert [row.name for row in section.quiet] == ["c.fine", "c.loop-a", "c.loop-b"]
    assert section.counts[0] == Counter({V.FAIL: 2, V.SKIP: 5, V.PASS: 1}) + Counter(dict.fromkeys(V, 0))


def test_a_row_folds_only_where_every_target_skipped_it() -> None:
    skipped = make_run(make_result("c.cause", V.FAIL), _skip("c.after", "(c.cause)"))
    judged = make_run(make_result("c.cause", V.PASS), make_result("c.after", V.FAIL))
    found = triage(build_matrix([skipped, judged]))
    after = next(row for row in found.matrix.rows if row.check == "c.after")
    assert found.cause(after) is None and fails_somewhere(after)
    cause = next(row for row in found.matrix.rows if row.check == "c.cause")
    skip = after.cells[0]
    assert skip is not None and found.follows_from(skip) is cause


def test_interop_and_only_here_compare_implementations() -> None:
    rows = [
        ("c.everywhere", V.PASS, V.PASS, V.PASS),
        ("c.first-only", V.FAIL, V.PASS, V.PASS),
        ("c.third-only", V.PASS, V.PASS, V.ERROR),
        ("c.two-fail", V.FAIL, V.DEVIATION, V.PASS),
        ("c.silent", V.INFO, V.INFO, V.INFO),  # no right answer: neither side of interop
        ("c.skipped", V.SKIP, V.SKIP, V.SKIP),
        ("c.skipped-once", V.PASS, V.SKIP, V.PASS),  # not passing on all
    ]
    runs = [make_run(*(make_result(check, verdicts[i]) for check, *verdicts in rows)) for i in range(3)]
    found = triage(build_matrix(runs))
    assert found.only_here == (1, 0, 1)
    alone = {row.check: found.only_at(row) for row in found.matrix.rows if found.only_at(row) is not None}
    assert alone == {"c.first-only": 0, "c.third-only": 2}
    assert (found.interop.passing, found.interop.judged) == (1, 5)
    assert found.interop.format() == "20 %" and found.sections[0].interop == found.interop
    assert triage(build_matrix(runs[:1])).only_here == (0,)  # nothing to compare with


def test_the_recorded_runs_fold_their_skips_and_agree_with_their_counts() -> None:
    moto, ministack = samples()
    for runs in ([moto], [ministack], [moto, ministack]):
        found = triage(build_matrix(runs))
        for index, run in enumerate(runs):
            by_operation = Counter((r.operation, r.verdict) for r in run.results)
            for section in found.sections:
                counts = section.counts[index]
                assert {v: counts[v] for v in V} == {v: by_operation[(section.operation, v)] for v in V}
        shown: list[Row] = [row for s in found.sections for row in (*s.failing, *s.quiet)]
        folded = [d for row in found.matrix.rows for d in found.dependents(row)]
        assert len(shown) + len(folded) == len(found.matrix.rows) == 169
        assert all(cell is None or cell.verdict is V.SKIP for row in folded for cell in row.cells)
    alone = triage(build_matrix([moto]))
    assert alone.folded == moto.counts()[V.SKIP] == 101  # every SKIP of moto follows from a failure
    qr = next(row for row in alone.matrix.rows if row.check == "vmfa.create.qr.png")
    assert len(alone.dependents(qr)) == 7
    compared = triage(build_matrix([moto, ministack]))
    assert compared.only_here == (2, 12)
    assert (compared.interop.passing, compared.interop.judged) == (7, 70)
