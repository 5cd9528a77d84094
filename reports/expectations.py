"""Expectations files: what one implementation is known to fail, kept outside the tests.

Like the expectation metadata of web-platform-tests and test262, a file per implementation
(``expectations/moto.toml``) lists the results it is known to get wrong, each with the verdict it ends
with and the reason. A run judged against it fails only on what the file does not expect, so a mock
server's CI goes red on a regression and stays green on its known gaps; an entry that passes now is
reported, so the file shrinks as the implementation improves. Tests never name an implementation.

The format (TOML, read with the standard library)::

    implementation = "moto"            # optional notes on what the file describes
    version = "5.2.5"

    [[expected]]
    check = "vmfa.create.invalid.rejected"
    case = "path.length.min"           # optional: omitted means the result without a case
    verdict = "FAIL"                   # FAIL, ERROR, DEVIATION or NOT_IMPLEMENTED
    reason = "an empty path becomes the default '/'"

A result is identified by its check and case. A malformed file, an unknown key or verdict, a missing
reason, a duplicate entry, or a check id the suite no longer has is an `ExpectationsError`: one line
that names the file and the entry's line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from reports.model import CheckResult, Expectation, RunResult, Verdict
from reports.text_files import UnreadableFile, read_text

__all__ = [
    "EXPECTABLE",
    "Entry",
    "Expectations",
    "ExpectationsError",
    "Unjudged",
    "apply_expectations",
    "judge_result",
    "load_expectations",
    "parse_expectations",
    "unjudged_entries",
]

# The verdicts an entry may expect: those that are not a pass (PASS, INFO) and not "not judged" (SKIP).
EXPECTABLE = (Verdict.FAIL, Verdict.ERROR, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED)

_FILE_KEYS = frozenset({"implementation", "version", "expected"})
_ENTRY_KEYS = frozenset({"check", "case", "verdict", "reason", "url"})
_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*expected[ \t]*\]\]", re.MULTILINE)

Key = tuple[str, str | None]


class ExpectationsError(ValueError):
    """A bad expectations file: one line naming the file and, where it can, the line."""


@dataclass(frozen=True)
class Entry:
    """One listed result: ``check`` (and ``case``) is known to end ``verdict``, because ``reason``."""

    check: str
    verdict: Verdict
    reason: str
    case: str | None = None
    url: str | None = None  # the implementation's tracker entry (an issue, a pull request), where one exists

    @property
    def key(self) -> Key:
        return (self.check, self.case)


@dataclass(frozen=True)
class Expectations:
    source: str  # the file, as the user named it: recorded in the run it judges
    entries: tuple[Entry, ...] = ()
    implementation: str | None = None
    version: str | None = None

    def by_key(self) -> dict[Key, Entry]:
        return {entry.key: entry for entry in self.entries}


class Unjudged(NamedTuple):
    """A listed entry that no result of the run judged: ``why`` is "not run" or "skipped"."""

    entry: Entry
    why: str


def load_expectations(path: Path, known_checks: Collection[str] | None = None) -> Expectations:
    """Read and validate a file; ``known_checks`` (the registry's ids) refuses entries for stale ids."""
    try:
        text = read_text(path, "expectations file")
    except UnreadableFile as error:
        raise ExpectationsError(str(error)) from None
    return parse_expectations(text, str(path), known_checks)


def parse_expectations(text: str, source: str, known_checks: Collection[str] | None = None) -> Expectations:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ExpectationsError(f"{source}: not valid TOML: {error}") from None
    _refuse_unknown_keys(document, _FILE_KEYS, source)
    raw = document.get("expected", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ExpectationsError(f"{source}: 'expected' must be a list of [[expected]] tables")
    places = _entry_places(text, source, len(raw))
    entries: dict[Key, tuple[Entry, str]] = {}
    for item, where in zip(raw, places, strict=True):
        entry = _entry(item, where, known_checks)
        if entry.key in entries:
            first = entries[entry.key][1]
            raise ExpectationsError(f"{where}: {_describe(entry.key)} is listed twice (first at {first})")
        entries[entry.key] = (entry, where)
    return Expectations(
        source=source,
        entries=tuple(entry for entry, _ in entries.values()),
        implementation=_optional_string(document, "implementation", source),
        version=_optional_string(document, "version", source),
    )


def _entry_places(text: str, source: str, count: int) -> list[str]:
    """``file:line`` of each ``[[expected]]`` header; ``file: entry N`` when written another way."""
    lines = [text.count("\n", 0, match.start()) + 1 for match in _ENTRY_HEADER.finditer(text)]
    if len(lines) == count:
        return [f"{source}:{line}" for line in lines]
    return [f"{source}: entry {index}" for index in range(1, count + 1)]


def _entry(item: Mapping[str, Any], where: str, known_checks: Collection[str] | None) -> Entry:
    _refuse_unknown_keys(item, _ENTRY_KEYS, where)
    check = _required_string(item, "check", where)
    case = _optional_string(item, "case", where)
    if case == "":
        raise ExpectationsError(f"{where}: 'case' is empty (leave it out for a result without a case)")
    verdict_text = _required_string(item, "verdict", where)
    if verdict_text not in {str(verdict) for verdict in EXPECTABLE}:
        choices = ", ".join(EXPECTABLE)
        raise ExpectationsError(f"{where}: verdict {verdict_text!r} cannot be expected (one of {choices})")
    reason = _required_string(item, "reason", where).strip()
    if not reason:
        raise ExpectationsError(f"{where}: 'reason' is empty: say why {check} is expected to end so")
    if known_checks is not None and check not in known_checks:
        raise ExpectationsError(
            f"{where}: no check {check!r} in this suite (renamed or removed?): update the file"
        )
    url = _optional_string(item, "url", where)
    if url is not None and not url.startswith(("https://", "http://")):
        raise ExpectationsError(f"{where}: 'url' {url!r} is not a web address")
    return Entry(check=check, verdict=Verdict(verdict_text), reason=reason, case=case, url=url)


def _refuse_unknown_keys(table: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ExpectationsError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})"
        )


def _required_string(table: Mapping[str, Any], key: str, where: str) -> str:
    value = _optional_string(table, key, where)
    if value is None:
        raise ExpectationsError(f"{where}: {key!r} is missing")
    return value


def _optional_string(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ExpectationsError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
    return value


def _describe(key: Key) -> str:
    check, case = key
    return f"{check} [{case}]" if case is not None else check


def apply_expectations(run: RunResult, expectations: Expectations) -> RunResult:
    """Judge every result of ``run`` against the file; the run records which file that was.

    - listed with the verdict it ended with: EXPECTED_FAILURE (does not fail the run);
    - FAIL, ERROR, DEVIATION or NOT_IMPLEMENTED and not listed with that verdict: UNEXPECTED_FAILURE
      (fails the run; when listed with another verdict, the reason says which);
    - listed, but PASS or INFO now: UNEXPECTED_PASS (reported; the file wants updating);
    - SKIP, or PASS and INFO not listed: no expectation (SKIP is not judged; see `unjudged_entries`).
    """
    listed = expectations.by_key()
    results = tuple(_judged(result, listed.get((result.check, result.case))) for result in run.results)
    return replace(run, results=results, expectations=expectations.source)


def judge_result(result: CheckResult, expectations: Expectations) -> CheckResult:
    """One result judged as `apply_expectations` judges it: as soon as it is known, while the run goes."""
    return _judged(result, expectations.by_key().get((result.check, result.case)))


def _judged(result: CheckResult, entry: Entry | None) -> CheckResult:
    if result.verdict is Verdict.SKIP or (entry is None and result.verdict not in EXPECTABLE):
        return replace(result, expectation=None, expectation_reason=None)
    if entry is None:
        return replace(result, expectation=Expectation.UNEXPECTED_FAILURE, expectation_reason=None)
    if result.verdict not in EXPECTABLE:
        return replace(result, expectation=Expectation.UNEXPECTED_PASS, expectation_reason=entry.reason)
    if result.verdict is entry.verdict:
        return replace(result, expectation=Expectation.EXPECTED_FAILURE, expectation_reason=entry.reason)
    return replace(
        result,
        expectation=Expectation.UNEXPECTED_FAILURE,
        expectation_reason=f"listed as {entry.verdict}, not {result.verdict}: {entry.reason}",
    )


def unjudged_entries(run: RunResult, expectations: Expectations) -> tuple[Unjudged, ...]:
    """Entries no result judged: none ran (filtered with ``-k``, or a stale case) or all were skipped."""
    verdicts: dict[Key, set[Verdict]] = {}
    for result in run.results:
        verdicts.setdefault((result.check, result.case), set()).add(result.verdict)
    found = []
    for entry in expectations.entries:
        seen = verdicts.get(entry.key)
        if seen is None:
            found.append(Unjudged(entry, "not run"))
        elif seen == {Verdict.SKIP}:
            found.append(Unjudged(entry, "skipped"))
    return tuple(found)
