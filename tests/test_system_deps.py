"""libzbar0 (and, for the tests, chromium): installed when missing and allowed, else one line saying how."""

from __future__ import annotations

import pytest

from conformance.runner import system_deps


def test_present_library_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system_deps, "zbar_available", lambda: True)
    assert system_deps.main(["--install"]) == 0


def test_missing_library_without_permission_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(system_deps, "zbar_available", lambda: False)
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: None)
    assert system_deps.main(["--install"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [system_deps.MISSING_ZBAR_MESSAGE]
    assert "apt-get install libzbar0" in captured.err


def test_missing_library_is_installed_when_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    installed: list[tuple[list[str], list[str]]] = []
    state = {"present": False}

    def install(prefix: list[str], packages: list[str]) -> bool:
        installed.append((prefix, packages))
        state["present"] = True
        return True

    monkeypatch.setattr(system_deps, "zbar_available", lambda: state["present"])
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: [])
    monkeypatch.setattr(system_deps, "_install_with_apt", install)
    assert system_deps.main(["--install"]) == 0
    assert installed == [([], ["libzbar0"])]


def test_the_browser_is_checked_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system_deps, "zbar_available", lambda: True)
    monkeypatch.setattr(system_deps, "browser_available", lambda: False)
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: None)
    assert system_deps.main(["--install"]) == 0  # make report: no browser needed
    assert system_deps.main(["--install", "--with-browser"]) == 2  # make test


def test_missing_browser_and_library_are_installed_in_one_go(monkeypatch: pytest.MonkeyPatch) -> None:
    installed: list[list[str]] = []
    present = {"zbar": False, "browser": False}

    def install(prefix: list[str], packages: list[str]) -> bool:
        installed.append(packages)
        present.update(zbar=True, browser=True)
        return True

    monkeypatch.setattr(system_deps, "zbar_available", lambda: present["zbar"])
    monkeypatch.setattr(system_deps, "browser_available", lambda: present["browser"])
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: [])
    monkeypatch.setattr(system_deps, "_install_with_apt", install)
    assert system_deps.main(["--install", "--with-browser"]) == 0
    assert installed == [["libzbar0", "chromium", "chromium-driver"]]


def test_browser_that_cannot_be_installed_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(system_deps, "zbar_available", lambda: True)
    monkeypatch.setattr(system_deps, "browser_available", lambda: False)
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: [])
    monkeypatch.setattr(system_deps, "_install_with_apt", lambda prefix, packages: False)
    assert system_deps.main(["--install", "--with-browser"]) == 2
    assert capsys.readouterr().err.splitlines() == [system_deps.MISSING_BROWSER_MESSAGE]


def test_the_cli_refuses_to_run_without_the_library(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from conformance.runner import cli

    monkeypatch.setattr(cli, "zbar_available", lambda: False)
    assert cli.main(["run", "--profile", "quick"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
