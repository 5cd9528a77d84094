"""``python -m tests.benchmark_noise``: what noise costs a quick run. A measurement, not a test.

Issue 11 asks that a quick run against the reference endpoint throttling 5% of requests, with reads 2 s
behind writes and ``--patience 5``, cost at most 3x the quiet run. Wall times on a shared machine drift
with its load, so the runs are paired: each round runs every variant one after another (the order
reversed every other round), and the ratio is taken within a round. Each line gives the wall time, the
suite's CPU time and the endpoint's (together, about what a quiet run takes on an idle machine: the
two take turns), the requests sent, how many reads waited for the lag and how long, and the load average
before and after. Variants: ``quiet`` and ``noisy`` (serial), ``noisy-w2`` (``--workers 2``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.reference import Noise, ReferenceEndpoint
from tests.suite_runner import run_command

THROTTLE_RATE, LAG_S, PATIENCE_S, NOISE_SEED = 0.05, 2.0, 5.0, 20261122
VARIANTS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "quiet": (False, ()),
    "noisy": (True, ()),
    "noisy-w2": (True, ("--workers", "2")),
    "quiet-w2": (False, ("--workers", "2")),
}


def measure(variant: str, report_dir: Path, seed: int) -> dict[str, Any]:
    """One quick run of ``variant`` against a reference endpoint of its own."""
    noisy, extra = VARIANTS[variant]
    noise = Noise(throttle_rate=THROTTLE_RATE, read_lag_s=LAG_S, seed=NOISE_SEED) if noisy else Noise()
    with ReferenceEndpoint(noise=noise) as endpoint:
        patience = ("--patience", f"{PATIENCE_S:g}") if noisy else ()
        args = ("--seed", str(seed), *extra, *patience)
        command = run_command(report_dir, *args, url=endpoint.url, profile="quick")
        load = os.getloadavg()[0]
        served = resource.getrusage(resource.RUSAGE_SELF)  # the endpoint's threads run in this process
        before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        ended = subprocess.run(command, capture_output=True, text=True, check=False)
        wall, after = time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
        serving = resource.getrusage(resource.RUSAGE_SELF)
    document = json.loads((report_dir / "results.json").read_text())
    verdicts: dict[str, int] = {}
    for result in document["results"]:
        verdicts[result["verdict"]] = verdicts.get(result["verdict"], 0) + 1
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    endpoint_cpu = serving.ru_utime + serving.ru_stime - served.ru_utime - served.ru_stime
    consistency = document.get("consistency") or {}
    return {
        "variant": variant,
        "exit": ended.returncode,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "endpoint_cpu_s": round(endpoint_cpu, 1),
        "api_calls": document.get("api_calls"),
        "throttled_retries": document.get("throttled_retries"),
        "reads_polled": consistency.get("reads_polled", 0),
        "waits": consistency.get("waits", 0),
        "waited_s": consistency.get("waited_s", 0.0),
        "verdicts": verdicts,
        "load": [round(load, 1), round(os.getloadavg()[0], 1)],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmark_noise", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of paired runs (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="the suite's seed (default 1)")
    parser.add_argument(
        "--variants",
        default="quiet,noisy",
        help=f"comma-separated, of {', '.join(VARIANTS)} (default quiet,noisy)",
    )
    args = parser.parse_args(argv)
    variants = [name for name in args.variants.split(",") if name]
    unknown = [name for name in variants if name not in VARIANTS]
    if unknown or "quiet" not in variants or args.rounds < 1:
        parser.error(f"variants: one of {', '.join(VARIANTS)}, quiet among them; rounds: 1 or more")
    with tempfile.TemporaryDirectory(prefix="iam-noise-") as scratch:
        for round_number in range(args.rounds):
            order = variants if round_number % 2 == 0 else variants[::-1]
            walls: dict[str, float] = {}
            for variant in order:
                line = measure(variant, Path(scratch) / f"{round_number}-{variant}", args.seed)
                walls[variant] = line["wall_s"]
                print(json.dumps({"round": round_number, **line}), flush=True)
            ratios = {
                name: round(wall / walls["quiet"], 2) for name, wall in walls.items() if name != "quiet"
            }
            print(json.dumps({"round": round_number, "ratio_to_quiet": ratios}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
