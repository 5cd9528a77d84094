"""Comparing two runs: each kind of change lands in its group, and only a regression fails."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest

from reports.compare import (
    COMPARISON_SCHEMA,
    RANK,
    Change,
    Comparison,
    compare,
    render_json,
    render_markdown,
    render_text,
)
from reports.model import TargetInfo, Verdict
from tests.reports.builders import make_result, make_run

V = Verdict
# (check, case, old verdict, new verdict): None where the run has no such result.
_CHANGES = [
    ("c.broke", None, V.PASS, V.FAIL),
    ("c.crashes", "k", V.FAIL, V.ERROR),
    ("c.info-now-deviation", None, V.INFO, V.DEVIATION),
    ("c.fixed", None, V.FAIL, V.PASS),
    ("c.better", "k", V.NOT_IMPLEMENTED, V.DEVIATION),
    ("c.silent", None, V.PASS, V.INFO),
    ("c.now-judged", None, V.SKIP, V.FAIL),
    ("c.not-judged", None, V.FAIL, V.SKIP),
    ("c.same-pass", None, V.PASS, V.PASS),
    ("c.same-fail", "k", V.FAIL, V.FAIL),
    ("c.same-skip", None, V.SKIP, V.SKIP),
    ("c.added", "k", None, V.FAIL),
    ("c.dropped", None, V.PASS, None),
]


Row = tuple[str, str | None, Verdict]


def _runs() -> tuple[list[Row], list[Row]]:
    old = [(check, case, before) for check, case, before, _ in _CHANGES if before is not None]
    new = [(check, case, after) for check, case, _, after in _CHANGES if after is not None]
    return old, new


def _compare_rows(old_rows: list[Row], new_rows: list[Row]) -> Comparison:
    old = make_run(*(make_result(check, verdict, case) for check, case, verdict in old_rows))
    new = make_run(*(make_result(check, verdict, case) for check, case, verdict in reversed(new_rows)))
    return compare(old, new)


def _names(changes: tuple[Change, ...]) -> list[str]:
    return [change.check for change in changes]


def test_every_kind_of_change_lands_in_its_group() -> None:
    comparison = _compare_rows(*_runs())
    assert _names(comparison.regressions) == ["c.broke", "c.crashes", "c.info-now-deviation"]
    assert _names(comparison.fixes) == ["c.better", "c.fixed"]
    assert _names(comparison.other_changes) == ["c.not-judged", "c.now-judged", "c.silent"]
    assert comparison.new_results == (Change("c.added", "k", None, V.FAIL),)
    assert comparison.removed_results == (Change("c.dropped", None, V.PASS, None),)
    assert comparison.unchanged == ((V.PASS, 1), (V.FAIL, 1), (V.SKIP, 1))
    assert comparison.regressed
    assert comparison.notes == ()


def test_without_a_regression_nothing_fails() -> None:
    old, new = _runs()
    keep = {"c.fixed", "c.silent", "c.now-judged", "c.added", "c.dropped", "c.same-fail"}
    comparison = _compare_rows([r for r in old if r[0] in keep], [r for r in new if r[0] in keep])
    assert not comparison.regressed
    assert render_text(comparison).rstrip().endswith("no regression")


def test_the_order_is_total_over_judged_verdicts_and_skip_is_not_ranked() -> None:
    order = [V.PASS, V.INFO, V.DEVIATION, V.NOT_IMPLEMENTED, V.FAIL, V.ERROR]
    assert all(RANK[a] < RANK[b] for a, b in pairwise(order))
    assert set(RANK) == set(Verdict) - {V.SKIP}


@pytest.mark.parametrize(
    ("change", "note"),
    [
        (
            {"target": TargetInfo("url", "http://127.0.0.1:4566", "us-east-1")},
            "different targets: moto-server 5.2.5",
        ),
        ({"model_version": "iam from botocore 2.0"}, "different service models"),
        ({"suite_version": "0.2.0"}, "different suite versions"),
        ({"profile": "thorough"}, "different profiles"),
    ],
)
def test_runs_that_differ_in_what_they_ran_against_say_so(change: dict[str, Any], note: str) -> None:
    old = make_run(make_result("c.a", V.PASS))
    comparison = compare(old, replace(old, **change))
    assert len(comparison.notes) == 1 and note in comparison.notes[0]
    assert f"note: {comparison.notes[0]}" in render_text(comparison)


def test_another_port_of_the_embedded_server_is_the_same_target() -> None:
    old = make_run(make_result("c.a", V.PASS))
    new = replace(old, target=replace(old.target, url="http://127.0.0.1:2"))
    assert compare(old, new).notes == ()


def test_the_text_lists_each_group() -> None:
    text = render_text(_compare_rows(*_runs()))
    assert "3 regressed:\n  c.broke: PASS -> FAIL\n  c.crashes [k]: FAIL -> ERROR\n" in text
    assert "1 new:\n  c.added [k]: FAIL\n" in text and "1 removed:\n  c.dropped: was PASS\n" in text
    assert "unchanged: 1 PASS, 1 FAIL, 1 SKIP" in text
    assert text.rstrip().endswith("REGRESSED: 3 result(s) got worse")


def test_the_markdown_is_a_table_per_group() -> None:
    text = render_markdown(_compare_rows(*_runs()))
    assert "### 3 regressed\n\n| check | case | old | new |\n| --- | --- | --- | --- |\n" in text
    assert "| `c.crashes` | k | FAIL | ERROR |" in text
    assert "| `c.added` | k | — | FAIL |" in text
    assert text.rstrip().endswith("**REGRESSED: 3 result(s) got worse**")


def test_a_result_held_twice_counts_with_its_worse_verdict() -> None:
    old = make_run(make_result("c.a", V.PASS))
    new = make_run(make_result("c.a", V.FAIL), make_result("c.a", V.PASS), make_result("c.a", V.SKIP))
    assert compare(old, new).regressions == (Change("c.a", None, V.PASS, V.FAIL),)


def test_the_json_holds_every_group_for_a_machine() -> None:
    comparison = _compare_rows(*_runs())
    document = json.loads(render_json(comparison))
    assert document["schema"] == COMPARISON_SCHEMA and document["regressed"] is True
    assert document["regressions"][1] == {"check": "c.crashes", "case": "k", "old": "FAIL", "new": "ERROR"}
    assert [c["check"] for c in document["fixes"]] == ["c.better", "c.fixed"]
    assert document["new_results"] == [{"check": "c.added", "case": "k", "old": None, "new": "FAIL"}]
    assert document["removed_results"] == [{"check": "c.dropped", "case": None, "old": "PASS", "new": None}]
    assert [c["check"] for c in document["other_changes"]] == ["c.not-judged", "c.now-judged", "c.silent"]
    assert document["unchanged"] == {"PASS": 1, "FAIL": 1, "SKIP": 1}
    assert document["notes"] == [] and document["old_run"] == comparison.old_run
