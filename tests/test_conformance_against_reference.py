"""Rule 3, end to end: the whole suite, run as a user runs it, passes every check on the reference
endpoint, and on each mutant reports exactly the matching check as failing.

A mutant breaks one rule; the checks that depend on the broken one may be SKIP (not judged), but no
other check may FAIL or ERROR.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from conformance.checks.registry import all_checks
from tests.reference import MUTANTS, ReferenceEndpoint
from tests.reference.artifacts import Issued
from tests.suite_runner import SuiteRun, run_suite

# mutant -> the one check that must FAIL on it
CAUGHT_BY = {
    "qr-not-png": "vmfa.create.qr.png",
    "qr-wrong-secret": "vmfa.create.qr.secret-matches-seed",
    "qr-two-symbols": "vmfa.create.qr.single-symbol",
    "qr-hotp": "vmfa.create.qr.otpauth-totp",
    "serial-drops-path": "vmfa.create.serial.arn",
    "seed-invalid-char": "vmfa.create.seed.base32",
    "seed-10-bytes": "vmfa.create.seed.min-128-bits",
    "name-plus-rejected": "vmfa.create.valid-request-accepted",
}


def _run_against(tmp_path: Path, mutant: str | None) -> SuiteRun:
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        args = ("--target", "url", "--endpoint-url", endpoint.url, "--profile", "quick")
        run = run_suite(tmp_path / "report", *args)
        assert endpoint.app.context.store.devices == {}, "the run left devices behind"
        assert endpoint.app.internal_errors == []
        _assert_no_secret_in(run, endpoint.app.context.issued)
    return run


def _assert_no_secret_in(run: SuiteRun, issued: Sequence[Issued]) -> None:
    """Every seed and QR image the endpoint handed out, in every spelling, is absent from the output."""
    assert issued, "the run created no device"
    texts = [run.stdout, run.stderr]
    texts += [path.read_text(errors="replace") for path in run.report_dir.rglob("*") if path.is_file()]
    output = "\n".join(texts)
    for item in issued:
        seed = item.seed_text.encode()
        spellings = {item.seed_text, item.secret, base64.b64encode(seed).decode(), item.qr_png.hex()[:64]}
        spellings.add(base64.b64encode(item.qr_png).decode()[16:80])  # past the common PNG header
        assert not any(spelling in output for spelling in spellings)


@pytest.fixture(scope="module")
def conformant_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteRun]:
    yield _run_against(tmp_path_factory.mktemp("reference"), None)


def test_every_check_passes_on_the_reference_endpoint(conformant_run: SuiteRun) -> None:
    assert conformant_run.returncode == 0, conformant_run.stdout + conformant_run.stderr
    assert conformant_run.verdicts == {check.id: "PASS" for check in all_checks()}


def test_the_report_records_target_model_and_examples(conformant_run: SuiteRun) -> None:
    document = conformant_run.document
    assert document["schema"] == "iam-conformance/results/1"
    assert document["target"]["name"] == "url"
    assert document["target"]["account_id"] == "123456789012"
    assert "from botocore " in document["model_version"]
    assert document["api_calls"] > 0
    assert all(item["examples"] > 0 for item in document["results"])


def test_every_check_is_proven_by_a_mutant() -> None:
    assert set(CAUGHT_BY.values()) == {check.id for check in all_checks()}
    assert set(CAUGHT_BY) <= set(MUTANTS)


@pytest.mark.parametrize(("mutant", "check"), sorted(CAUGHT_BY.items()))
def test_the_mutant_is_caught_by_exactly_its_check(tmp_path: Path, mutant: str, check: str) -> None:
    run = _run_against(tmp_path, mutant)
    assert run.returncode == 1, run.stdout + run.stderr
    failing = {name for name, verdict in run.verdicts.items() if verdict in ("FAIL", "ERROR")}
    assert failing == {check}, run.verdicts
    result = run.result(check)
    assert result["expected"] and result["observed"]
    assert (result["counterexample"] or "").startswith("params=")
    assert (result["reproduction"] or "").startswith("boto3.client('iam'")
