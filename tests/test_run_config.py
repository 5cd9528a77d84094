"""One builder (`conformance.runner.config.config_from_options`) makes the `RunConfig` of the command's
``run`` and ``sweep`` and of the plugin, from options named as its fields: the same options give the same
configuration, and an option that stopped matching its field's name would be caught here, not by a run
that silently took the default."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conformance.runner.cli import _parser
from conformance.runner.config import RunConfig, config_from_options

# Every field but what a --workers worker is given by its controller (no option sets it).
_FIELDS = {field.name for field in dataclasses.fields(RunConfig)} - {"checked_identity"}
_OPTIONS = [
    "--target", "url", "--endpoint-url", "http://127.0.0.1:4566", "--region", "eu-west-1",
    "--profile", "quick", "--report-dir", "out", "--patience", "2.5", "--label", "Some Emulator 1.0",
    "--aws-account", "123456789012", "--aws-account", "210987654321", "--allow-root-path",
    "--show-account", "--max-calls", "40",
]  # fmt: skip
_EXPECTED = RunConfig(
    target="url",
    endpoint_url="http://127.0.0.1:4566",
    region="eu-west-1",
    profile="quick",
    report_dir=Path("out"),
    patience=2.5,
    label="Some Emulator 1.0",
    aws_accounts=("123456789012", "210987654321"),
    allow_root_path=True,
    show_account=True,
    max_calls=40,
)


def test_every_field_is_an_option_of_the_run_command() -> None:
    args = _parser().parse_args(["run"])
    assert set(vars(args)) >= _FIELDS
    assert config_from_options(_parser().parse_args(["run", *_OPTIONS])) == _EXPECTED


def test_the_plugin_takes_the_same_options_into_the_same_config(pytester: pytest.Pytester) -> None:
    plugin_options = [f"--iam-{arg[2:]}" if arg.startswith("--") else arg for arg in _OPTIONS]
    config = pytester.parseconfig("-p", "conformance.runner.plugin", *plugin_options)
    assert {name.removeprefix("iam_") for name in vars(config.option) if name.startswith("iam_")} >= _FIELDS
    assert config_from_options(config.option, prefix="iam_") == _EXPECTED
    default = pytester.parseconfig("-p", "conformance.runner.plugin")
    assert config_from_options(default.option, prefix="iam_") == RunConfig()  # no report without a folder


def test_the_sweep_keeps_the_defaults_of_what_it_has_no_option_for() -> None:
    args = _parser().parse_args(
        ["sweep", "--target", "url", "--endpoint-url", "http://127.0.0.1:4566", "--show-account"]
    )
    config = config_from_options(args)
    assert config == RunConfig(target="url", endpoint_url="http://127.0.0.1:4566", show_account=True)
    assert config.profile == "default" and config.report_dir is None and config.max_calls is None
