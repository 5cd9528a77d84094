"""The benchmark's timeline of a ``--workers`` run (`tests.worker_timeline`): read back as it was written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.worker_timeline import summary


def test_the_timeline_says_where_a_run_spent_its_time(tmp_path: Path) -> None:
    phases = [  # (test, worker, start, stop): setup, call and teardown of each test
        ("a.py::test_one", "gw0", 110.0, 110.5),
        ("a.py::test_one", "gw0", 110.5, 114.0),
        ("a.py::test_one", "gw0", 114.0, 114.1),
        ("a.py::test_two", "gw1", 110.2, 111.0),
        ("a.py::test_last", "gw1", 114.2, 130.0),
    ]
    path = tmp_path / "timeline.jsonl"
    path.write_text(
        "".join(
            json.dumps(dict(zip(("id", "worker", "start", "stop"), p, strict=True))) + "\n" for p in phases
        )
    )
    lines = summary(path, started=100.0, ended=133.0, longest=1, tail=2)
    assert lines[0] == "  start-up 10.0 s, tests 20.0 s, end 3.0 s"
    assert lines[1] == "  gw0: 1 tests, busy 4.1 s, last one ended at 4.1 s"
    assert lines[2] == "  gw1: 2 tests, busy 16.6 s, last one ended at 20.0 s"
    assert lines[4].split() == ["15.8", "s", "gw1", "4.2-", "20.0", "test_last"]
    assert [line.split()[-1] for line in lines[-2:]] == ["test_one", "test_last"]
