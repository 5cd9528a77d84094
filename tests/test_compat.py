"""The compatibility comparison's plumbing, offline: a fake emulator stands in for each implementation
and a fake suite writes a recorded run, so that what `make compat` writes (the matrix, SUMMARY.md, each
implementation's findings.md and guard.txt) and how it names the columns are shown without installing
any emulator. A recipe that cannot run here is one line, and the others still run.

Also: a URL target is named after the product that answers there (`identify`), never after its port.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from conformance.emulators import compat
from conformance.emulators.identify import identify
from conformance.emulators.recipes import RecipeError
from reports import compat as summary
from reports import findings
from reports.model import Verdict, load_results
from tests.reports.recorded import EVERY_VERDICT, every_verdict
from tests.test_emulator_recipes import FAKE_EMULATOR, _fake

_FAKE_SUITE = """
import json, sys
args = sys.argv[1:]
out = args[args.index("--report-dir") + 1]
label = args[args.index("--label") + 1]
document = json.load(open(sys.argv[0].replace("fake_suite.py", "recorded.json")))
document["target"]["label"] = label
import os
os.makedirs(out, exist_ok=True)
json.dump(document, open(os.path.join(out, "results.json"), "w"))
"""


@pytest.fixture
def fakes(tmp_path: Path) -> tuple[Path, Path]:
    emulator = tmp_path / "fake_emulator.py"
    emulator.write_text(FAKE_EMULATOR)
    suite = tmp_path / "fake_suite.py"
    suite.write_text(_FAKE_SUITE)
    (tmp_path / "recorded.json").write_text(EVERY_VERDICT.read_text())
    return emulator, suite


def test_compat_runs_each_implementation_and_writes_the_comparison(
    fakes: tuple[Path, Path], tmp_path: Path
) -> None:
    emulator, suite = fakes
    said: list[str] = []

    def unsatisfiable() -> Path:
        raise RecipeError("needs Python 9.9: not found")

    recipes = [
        _fake(emulator, name="alpha", product="Alpha"),
        _fake(emulator, name="missing", product="Missing", python=unsatisfiable),
        _fake(emulator, name="beta", product="Beta"),
    ]

    def command_for(url: str, args: Sequence[str]) -> list[str]:
        return [sys.executable, str(suite), "--endpoint-url", url, *args]

    out = tmp_path / "compat"
    code = compat.compare(recipes, out, ["--profile", "quick"], command_for, None, said.append)

    assert code == 0
    assert any(line == "Missing 1.0.0: not run: needs Python 9.9: not found" for line in said)
    for name in ("alpha", "beta"):
        run = load_results(out / name / "results.json")
        assert run.target.label == f"{name.capitalize()} 9.9.9-fake"  # the version the endpoint told
        assert (out / name / "findings.md").read_text().startswith(f"# {run.target.label}: findings")
        assert (out / name / "guard.txt").read_text().splitlines()[0].startswith("the guard")
    assert not (out / "missing").exists()
    assert {path.name for path in out.iterdir()} >= {"report.md", "report.html", "SUMMARY.md"}
    text = (out / "SUMMARY.md").read_text()
    assert "| Alpha 9.9.9-fake |" in text and "| Beta 9.9.9-fake |" in text
    matrix = (out / "report.md").read_text()
    assert "Alpha 9.9.9-fake" in matrix and "url http://" not in matrix  # columns name products, not ports


def test_compat_with_nothing_runnable_writes_nothing(fakes: tuple[Path, Path], tmp_path: Path) -> None:
    emulator, _ = fakes

    def unsatisfiable() -> Path:
        raise RecipeError("no interpreter")

    said: list[str] = []
    recipe = _fake(emulator, python=unsatisfiable)
    code = compat.compare([recipe], tmp_path / "compat", [], lambda url, args: [], None, said.append)
    assert code == 2 and said[-1] == "no implementation could be run: nothing written"
    assert not (tmp_path / "compat").exists()


def test_the_summary_and_the_findings_read_from_the_runs() -> None:
    run = every_verdict()
    text = summary.render([run], [12.3])
    counts = run.counts()
    row = next(line for line in text.splitlines() if line.startswith("| ") and "12 s" in line)
    assert f"| {counts[Verdict.PASS]} | {counts[Verdict.FAIL]} |" in row
    failing = [r for r in run.results if r.verdict in (Verdict.FAIL, Verdict.DEVIATION, Verdict.ERROR)]
    written = findings.render(run)
    assert all(f"`{result.check}`" in written for result in failing)
    assert "Reproduction:" in written


class _Product(BaseHTTPRequestHandler):
    answers: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.answers.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def product() -> Iterator[tuple[str, dict[str, bytes]]]:
    answers: dict[str, bytes] = {}
    handler = type("Handler", (_Product,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", answers
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_named_after_the_product_that_answers(product: tuple[str, dict[str, bytes]]) -> None:
    url, answers = product
    assert identify(url) is None
    answers["/moto-api/"] = b"<html><title>Moto</title></html>"
    assert identify(url) == "moto"
    answers["/_localstack/health"] = json.dumps({"version": "2026.3.0", "edition": "community"}).encode()
    assert identify(url) == "LocalStack 2026.3.0"
    # MiniStack answers LocalStack's health path too: its own is asked first.
    answers["/_ministack/health"] = json.dumps({"version": "1.5.33", "edition": "light"}).encode()
    assert identify(url) == "MiniStack 1.5.33"
