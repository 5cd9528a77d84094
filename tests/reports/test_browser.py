"""report.html in a real browser: Debian's headless chromium, driven through chromedriver (WebDriver).

The static tests read the markup; this one proves the page works where it is used: it loads offline
over ``file://`` with no console error (a blocked style or script, a refused request, a script error
would all be one), the verdict colours apply, and a click on a cell shows its expected and observed.

The browser comes from the system packages (``make test`` installs them, see
`conformance.runner.system_deps`), never from a download: Selenium Manager is skipped by naming the driver.
Without them this test fails, with one line saying how to install them.
"""

from __future__ import annotations

import contextlib
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
from reports.write import write_matrix_reports
from tests.reports.recorded import MISSING_IN_SECOND, every_verdict, second_target

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
)


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
    row = f'tr[data-check="{check}"]' + (f'[data-case="{case}"]' if case else ":not([data-case])")
    return driver.find_element(By.CSS_SELECTOR, f'{row} td[data-target="{target}"]')


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
        assert _cell(browser, MISSING_IN_SECOND, 1).text == "—"

        observed = failed.find_element(By.XPATH, ".//dt[.='Observed']/following-sibling::dd[1]")
        assert not observed.is_displayed()
        failed.find_element(By.TAG_NAME, "summary").click()
        assert observed.is_displayed()
        assert observed.text == '2 symbols: <script>alert("pwned")</script> a | b & c'  # text, not markup
        expected = failed.find_element(By.XPATH, ".//dt[.='Expected']/following-sibling::dd[1]")
        assert expected.is_displayed() and expected.text == "exactly one QR symbol"

        assert _console(browser) == []


def test_the_buttons_open_everything_and_hide_what_passes(tmp_path: Path) -> None:
    write_matrix_reports([every_verdict()], tmp_path / "report", scrub)
    with _chromium(tmp_path) as browser:
        browser.get((tmp_path / "report" / "report.html").as_uri())
        details = browser.find_elements(By.CSS_SELECTOR, "#matrix details")
        assert details and not any(d.get_attribute("open") for d in details)
        browser.find_element(By.ID, "open-all").click()
        assert all(d.get_attribute("open") is not None for d in details)

        fine = browser.find_element(By.CSS_SELECTOR, 'tr[data-check="vmfa.create.serial.arn"]')
        failing = _cell(browser, "vmfa.create.invalid.rejected", 0, "path.length.max")
        assert fine.is_displayed() and failing.is_displayed()
        browser.find_element(By.ID, "only-problems").click()
        assert not fine.is_displayed() and failing.is_displayed()
        assert _console(browser) == []
