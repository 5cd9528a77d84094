"""The matrix merges runs by (check, case), labels targets uniquely, and keeps every result."""

from __future__ import annotations

import dataclasses
from collections import Counter

from reports.matrix import build_matrix
from reports.model import Verdict
from reports.score import conformance_score, format_score
from tests.reports.recorded import MISSING_IN_SECOND, ONLY_IN_SECOND, every_verdict, second_target


def test_a_single_run_is_a_matrix_of_one_column() -> None:
    run = every_verdict()
    matrix = build_matrix([run])
    assert [column.label for column in matrix.columns] == ["moto-server 5.2.5"]
    assert len(matrix.rows) == len(run.results)
    assert sorted(id(row.cells[0]) for row in matrix.rows) == sorted(id(result) for result in run.results)


def test_rows_are_grouped_by_operation_then_clause() -> None:
    matrix = build_matrix([every_verdict()])
    order = [(row.operation, row.clause, row.check, row.case or "") for row in matrix.rows]
    assert order == sorted(order)
    grouped = [(operation, clause) for operation, clauses in matrix.by_operation() for clause, _ in clauses]
    assert grouped == sorted({(row.operation, row.clause) for row in matrix.rows})
    assert sum(len(rows) for _, clauses in matrix.by_operation() for _, rows in clauses) == len(matrix.rows)


def test_runs_are_merged_by_check_and_case_with_missing_cells() -> None:
    first = every_verdict()
    matrix = build_matrix([first, second_target(first), first])
    assert [column.label for column in matrix.columns] == [
        "moto-server 5.2.5",
        "url",
        "moto-server 5.2.5 #2",
    ]
    keys = {(result.check, result.case) for result in first.results} | {(ONLY_IN_SECOND, None)}
    assert {(row.check, row.case) for row in matrix.rows} == keys
    rows = {row.check: row for row in matrix.rows if row.case is None}
    assert rows[MISSING_IN_SECOND].cells[1] is None
    assert rows[MISSING_IN_SECOND].cells[0] is rows[MISSING_IN_SECOND].cells[2] is not None
    assert [cell is None for cell in rows[ONLY_IN_SECOND].cells] == [True, False, True]
    cases = [row for row in matrix.rows if row.check == "vmfa.create.invalid.rejected"]
    assert all(cell is not None and cell.case == row.case for row in cases for cell in row.cells)


def test_a_column_reads_as_a_product_never_as_a_url() -> None:
    run = every_verdict()
    labelled = dataclasses.replace(run, target=dataclasses.replace(run.target, label="moto 5.2.5 (server)"))
    unversioned = dataclasses.replace(run, target=dataclasses.replace(run.target, version=None))
    matrix = build_matrix([labelled, run, unversioned, unversioned])
    assert [column.label for column in matrix.columns] == [
        "moto 5.2.5 (server)",
        "moto-server 5.2.5",
        "moto-server",
        "moto-server #2",
    ]
    assert not any("127.0.0.1" in column.label for column in matrix.columns)


def test_the_same_check_and_case_twice_in_a_run_is_two_rows() -> None:
    run = every_verdict()
    twice = dataclasses.replace(run, results=(*run.results, run.results[0]))
    matrix = build_matrix([twice])
    rows = [row for row in matrix.rows if row.check == run.results[0].check and row.case is None]
    assert [row.repeat for row in rows] == [0, 1]
    assert rows[1].name == f"{run.results[0].check} #2"
    assert len(matrix.rows) == len(twice.results)


def test_score_is_pass_over_judged_results() -> None:
    counts = every_verdict().counts()
    judged = sum(counts[v] for v in (Verdict.PASS, Verdict.FAIL, Verdict.DEVIATION, Verdict.ERROR))
    judged += counts[Verdict.NOT_IMPLEMENTED]
    assert conformance_score(counts) == counts[Verdict.PASS] / judged == 0.4
    assert format_score(counts) == "40.0 %"
    # INFO and SKIP are on neither side of the fraction.
    assert format_score(counts + Counter({Verdict.INFO: 50, Verdict.SKIP: 7})) == "40.0 %"


def test_score_is_rounded_down_and_absent_without_judged_results() -> None:
    assert format_score({Verdict.PASS: 9999, Verdict.FAIL: 1}) == "99.9 %"
    assert format_score({Verdict.PASS: 3}) == "100.0 %"
    assert format_score({Verdict.PASS: 1, Verdict.ERROR: 2}) == "33.3 %"
    assert conformance_score({Verdict.INFO: 2, Verdict.SKIP: 1}) is None
    assert format_score({}) == "—"
