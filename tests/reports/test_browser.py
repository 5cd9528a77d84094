"""report.html in a real browser: Debian's headless chromium, driven through chromedriver (WebDriver).

The static tests read the markup; this one proves the page works where it is used: it loads offline
over ``file://`` with no console error (a blocked style or script, a refused request, a script error
would all be one), the verdict colours apply, a click on a cell shows its expected and observed, the
quiet rows and the SKIPs that follow from a failure open on a click. On the two recorded runs (moto
5.2.5 and MiniStack 1.5.33, alone and as a matrix) it takes screenshots of the page as it opens
(``overview-*.png`` in the test's temporary directory) and checks that what the overview shows, as
rendered, are the figures of their ``results.json``, counted here from the JSON itself.

The browser comes from the system packages (``make test`` installs them, see
`conformance.runner.system_deps`), never from a download: Selenium Manager is skipped by naming the driver.
Without them this test fails, with one line saying how to install them.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from conformance.runner import system_deps
from conformance.session.secrets import scrub
from reports.write import write_matrix_reports, write_run_reports
from tests.reports.recorded import MISSING_IN_SECOND, every_verdict, samples, second_target

_OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--hide-scrollbars",
)
_JUDGED = ("PASS", "FAIL", "DEVIATION", "NOT_IMPLEMENTED", "ERROR")
_ATTENTION = ("FAIL", "DEVIATION", "NOT_IMPLEMENTED", "ERROR")


@pytest.fixture(autouse=True)
def _offline_selenium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SE_OFFLINE", "1")  # belt and braces: Selenium Manager must never download


@contextlib.contextmanager
def _chromium(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """Headless chromium with a fresh profile; a missing browser fails the test (not its setup)."""
    if not system_deps.browser_available():
        pytest.fail(system_deps.MISSING_BROWSER_MESSAGE, pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(system_deps.CHROMIUM)
    for flag in (*_OFFLINE_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(system_deps.CHROMEDRIVER), log_output=str(tmp_path / "driver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _console(driver: webdriver.Chrome) -> list[str]:
    """What the page wrote to the console since the last call: an error, a refused request, a warning."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [f"{entry['level']}: {entry['message']}" for entry in entries]


def _cell(driver: webdriver.Chrome, check: str, target: int, case: str | None = None) -> WebElement:
    row = f'tr.result[data-check="{check}"]' + (f'[data-case="{case}"]' if case else ":not([data-case])")
    return driver.find_element(By.CSS_SELECTOR, f'{row} td.cell[data-target="{target}"]')


def test_the_report_works_offline_in_chromium(tmp_path: Path) -> None:
    first = every_verdict()
    write_matrix_reports([first, second_target(first)], tmp_path / "report", scrub)
    with _chromium(tmp_path) as browser:
        browser.get((tmp_path / "report" / "report.html").as_uri())
        assert browser.title.startswith("IAM virtual MFA conformance")

        failed = _cell(browser, "vmfa.create.qr.single-symbol", 0)
        assert failed.get_attribute("data-verdict") == "FAIL"
        assert "v-fail" in (failed.get_attribute("class") or "").split()
        assert failed.text == "FAIL (unexpected)"  # closed: only the summary shows
        assert failed.value_of_css_property("background-color") == "rgba(255, 235, 233, 1)"
        passed = _cell(browser, "vmfa.create.qr.single-symbol", 1)
        assert passed.text == "PASS"
        assert passed.value_of_css_property("background-color") == "rgba(218, 251, 225, 1)"
        missing = _cell(browser, MISSING_IN_SECOND, 1)
        assert not missing.is_displayed()  # a quiet row: PASS here, not run there
        missing.find_element(By.XPATH, "ancestor::details[1]/summary").click()
        assert missing.is_displayed() and missing.text == "—"

        observed = failed.find_element(By.XPATH, ".//dt[.='Observed']/following-sibling::dd[1]")
        assert not observed.is_displayed()
        failed.find_element(By.TAG_NAME, "summary").click()
        assert observed.is_displayed()
        assert observed.text == '2 symbols: <script>alert("pwned")</script> a | b & c'  # text, not markup
        expected = failed.find_element(By.XPATH, ".//dt[.='Expected']/following-sibling::dd[1]")
        assert expected.is_displayed() and expected.text == "exactly one QR symbol"

        assert _console(browser) == []


def test_quiet_rows_and_what_follows_a_failure_open_on_a_click(tmp_path: Path) -> None:
    write_matrix_reports(samples()[:1], tmp_path / "report", scrub)
    with _chromium(tmp_path) as browser:
        browser.get((tmp_path / "report" / "report.html").as_uri())
        details = browser.find_elements(By.CSS_SELECTOR, "#results details")
        assert details and not any(d.get_attribute("open") for d in details)

        fine = browser.find_element(By.CSS_SELECTOR, 'tr[data-check="vmfa.create.serial.arn"]')
        failing = _cell(browser, "vmfa.create.invalid.rejected", 0, "path.length.min")
        assert failing.is_displayed() and not fine.is_displayed()
        follows = browser.find_element(
            By.CSS_SELECTOR, 'li[data-check="vmfa.create.invalid.client-fault"][data-case="path.length.min"]'
        )
        assert not follows.is_displayed()
        holder = follows.find_element(By.XPATH, "ancestor::tr[1]")
        assert holder.get_attribute("data-check") == "vmfa.create.invalid.rejected"
        holder.find_element(By.CSS_SELECTOR, "details.dependents > summary").click()
        assert follows.is_displayed() and "SKIP" in follows.text

        browser.find_element(By.ID, "open-all").click()
        assert all(d.get_attribute("open") is not None for d in details)
        assert fine.is_displayed()
        browser.find_element(By.ID, "close-all").click()
        assert not fine.is_displayed()
        assert _console(browser) == []


def _documents(paths: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in paths]


def _score(counts: Counter[str]) -> str:
    judged = sum(counts[verdict] for verdict in _JUDGED)
    tenths = counts["PASS"] * 1000 // judged
    return f"{tenths // 10}.{tenths % 10} %"


_OVERVIEW = """
const read = (node, selector) => Array.from(node.querySelectorAll(selector));
return {
  targets: read(document, "table.targets tbody tr").map(tr => ({
    counts: Object.fromEntries(read(tr, "td[data-verdict]").map(td => [td.dataset.verdict, +td.textContent])),
    score: tr.querySelector(".score").textContent,
    onlyHere: tr.querySelector(".only-here") ? +tr.querySelector(".only-here").textContent : null,
  })),
  operations: read(document, "#by-operation tbody tr").map(tr => ({
    operation: tr.dataset.operation,
    interop: tr.querySelector(".interop") ? [+tr.querySelector(".interop").dataset.passing,
                                             +tr.querySelector(".interop").dataset.judged] : null,
    bars: read(tr, "td.tally").map(td => Object.fromEntries(
      read(td, "rect[data-verdict]").map(r => [r.dataset.verdict, +r.dataset.count]))),
    figures: read(tr, "td.tally .figure").map(span => span.textContent),
  })),
  attention: read(document, "#attention tbody tr[data-check]").map(tr => tr.dataset.check),
  overviewTop: document.getElementById("overview").getBoundingClientRect().top,
  overviewBottom: document.getElementById("overview").getBoundingClientRect().bottom,
  resultsTop: document.getElementById("results").getBoundingClientRect().top,
};
"""


def _check_overview(shown: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    """What the page shows against the figures of the results.json documents, counted here."""
    results = [document["results"] for document in documents]
    for target, document, items in zip(shown["targets"], documents, results, strict=True):
        counts = Counter(item["verdict"] for item in items)
        assert target["counts"] == document["counts"] == {v: counts[v] for v in document["counts"]}
        assert target["score"] == _score(counts)
    operations = sorted({item["operation"] for items in results for item in items})
    assert [line["operation"] for line in shown["operations"]] == operations
    verdicts: dict[tuple[str, str | None], list[str | None]] = {}
    for index, items in enumerate(results):
        for item in items:
            verdicts.setdefault((item["check"], item["case"]), [None] * len(results))[index] = item["verdict"]
    for line in shown["operations"]:
        for index, items in enumerate(results):
            counts = Counter(item["verdict"] for item in items if item["operation"] == line["operation"])
            assert line["bars"][index] == {verdict: counts[verdict] for verdict in _JUDGED}
            assert line["figures"][index] == f"{counts['PASS']} / {sum(counts[v] for v in _JUDGED)} pass"
        if len(results) > 1:
            rows = [
                found
                for key, found in verdicts.items()
                if any(
                    item["operation"] == line["operation"] and (item["check"], item["case"]) == key
                    for items in results
                    for item in items
                )
            ]
            judged = [row for row in rows if any(verdict in _JUDGED for verdict in row)]
            passing = [row for row in judged if all(verdict == "PASS" for verdict in row)]
            assert line["interop"] == [len(passing), len(judged)]
    if len(results) > 1:
        only_here = [
            sum(
                1
                for row in verdicts.values()
                if row[index] in _ATTENTION and all(v == "PASS" for i, v in enumerate(row) if i != index)
            )
            for index in range(len(results))
        ]
        assert [target["onlyHere"] for target in shown["targets"]] == only_here
    failing = {item["check"] for items in results for item in items if item["verdict"] in _ATTENTION}
    assert sorted(shown["attention"]) == sorted(failing)
    assert 0 <= shown["overviewTop"] < 150 < shown["overviewBottom"] <= shown["resultsTop"]


def test_the_overview_opens_the_page_with_the_figures_of_results_json(tmp_path: Path) -> None:
    """One target (its run's own report) and the matrix of two: screenshots, and every figure checked."""
    moto, ministack = samples()
    write_run_reports(moto, tmp_path / "moto", scrub)
    write_run_reports(ministack, tmp_path / "ministack", scrub)
    write_matrix_reports([moto, ministack], tmp_path / "matrix", scrub)
    pages = {
        "one-target": (tmp_path / "moto", [tmp_path / "moto" / "results.json"]),
        "matrix": (tmp_path / "matrix", [tmp_path / name / "results.json" for name in ("moto", "ministack")]),
    }
    with _chromium(tmp_path) as browser:
        for name, (directory, documents) in pages.items():
            browser.get((directory / "report.html").as_uri())
            browser.save_screenshot(str(tmp_path / f"overview-{name}.png"))
            _check_overview(browser.execute_script(_OVERVIEW), _documents(documents))
            assert _console(browser) == []
    assert all((tmp_path / f"overview-{name}.png").stat().st_size > 10_000 for name in pages)
