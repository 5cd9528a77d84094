"""The compatibility comparison: every implementation, one suite, one matrix (``make compat``).

Each recipe is installed (once per version), started on loopback behind the network guard, run against
with the same fixed seed and profile, labelled with its product and version, and stopped. Then the
comparison is written into one folder:

- ``<name>/``: that implementation's run (results.json, report.md, report.html, junit.xml), its
  upstream-ready ``findings.md`` and ``guard.txt`` (what its network guard refused);
- ``report.md`` and ``report.html``: the matrix of all of them;
- ``SUMMARY.md``: the short table (implementation, score, verdicts, run time, biggest gaps, passes per
  operation).

A recipe that cannot be satisfied here (no Python 3.13 for LocalStack, say) is one line, and the
others still run.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from conformance.emulators.logs import summarise_refusals
from conformance.emulators.process import started
from conformance.emulators.recipes import Recipe, RecipeError
from conformance.session.secrets import scrub
from reports import compat, findings
from reports.model import RunResult, load_results
from reports.write import write_matrix_reports

__all__ = ["SEED", "compare"]

SEED = 20261122  # fixed: a rerun draws the same inputs, so gives the same verdicts
Say = Callable[[str], None]


def _run_one(
    recipe: Recipe,
    out: Path,
    suite_args: Sequence[str],
    command_for: Callable[[str, Sequence[str]], list[str]],
    cache_dir: Path | None,
    say: Say,
) -> tuple[RunResult, float] | None:
    folder = out / recipe.name
    with started(recipe, cache_dir=cache_dir, run_dir=out / ".logs" / recipe.name) as running:
        label = f"{running.product} {running.version}"
        say(f"{label} at {running.url}: running the suite")
        args = [*suite_args, "--label", label, "--report-dir", str(folder)]
        begun = time.monotonic()
        code = subprocess.run(command_for(running.url, args), check=False).returncode
        took = time.monotonic() - begun
        refusals = running.refusals()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guard.txt").write_text(
        summarise_refusals(refusals) + "\n" + "".join(f"{r}\n" for r in refusals)
    )
    if not (folder / "results.json").is_file():
        say(f"{label}: the suite wrote no results (exit {code})")
        return None
    run = load_results(folder / "results.json")
    (folder / "findings.md").write_text(scrub(findings.render(run)))
    say(f"{label}: exit {code} after {took:.0f} s; {summarise_refusals(refusals)}")
    return run, took


def compare(
    recipes: Sequence[Recipe],
    out: Path,
    suite_args: Sequence[str],
    command_for: Callable[[str, Sequence[str]], list[str]],
    cache_dir: Path | None,
    say: Say,
) -> int:
    """Run the suite against each recipe and write the comparison into ``out``; 0 if any run was
    written, 2 if none could be."""
    runs: list[RunResult] = []
    took: list[float | None] = []
    for recipe in recipes:
        try:
            done = _run_one(recipe, out, suite_args, command_for, cache_dir, say)
        except RecipeError as error:
            say(f"{recipe.product} {recipe.version}: not run: {error}")
            continue
        if done is not None:
            runs.append(done[0])
            took.append(done[1])
    if not runs:
        say("no implementation could be run: nothing written")
        return 2
    write_matrix_reports(runs, out, scrub)
    (out / "SUMMARY.md").write_text(
        "# IAM virtual MFA conformance: implementations compared\n\n"
        f"Suite {runs[0].suite_version}, model {runs[0].model_version}, profile {runs[0].profile}, "
        f"seed {runs[0].seed}. Regenerate with `make compat`.\n\n" + compat.render(runs, took)
    )
    say(f"comparison written to {out}/ ({len(runs)} of {len(recipes)} implementations)")
    return 0
