"""libzbar0: installed when missing and allowed, else one line saying how."""

from __future__ import annotations

import pytest

from conformance import system_deps


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
    installed: list[list[str]] = []
    state = {"present": False}

    def install(prefix: list[str]) -> bool:
        installed.append(prefix)
        state["present"] = True
        return True

    monkeypatch.setattr(system_deps, "zbar_available", lambda: state["present"])
    monkeypatch.setattr(system_deps, "_apt_prefix", lambda: [])
    monkeypatch.setattr(system_deps, "_install_with_apt", install)
    assert system_deps.main(["--install"]) == 0
    assert installed == [[]]


def test_the_cli_refuses_to_run_without_the_library(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from conformance import cli

    monkeypatch.setattr(cli, "zbar_available", lambda: False)
    assert cli.main(["run", "--profile", "quick"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
