"""``python -m tests.reference [--mutant NAME] [--latency-ms MS] ...``: serve the reference endpoint.

It serves until interrupted; the noise switches (latency, throttling, read lag) combine with any mutant.

Prints the URL on one line (and nothing else, ever: no request log, no secrets), so a script can read
it and point a client or the conformance suite at it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from .mutants import MUTANTS
from .noise import Noise
from .server import ReferenceEndpoint


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.reference", description=__doc__.splitlines()[0])
    parser.add_argument("--mutant", choices=sorted(MUTANTS), help="break exactly one rule (see MUTANTS)")
    parser.add_argument("--account-id", default="123456789012", help="the account the endpoint serves")
    noise = parser.add_argument_group("switches", "conformant noise: every rule still holds")
    noise.add_argument("--latency-ms", type=float, default=0.0, help="delay every answer by MS milliseconds")
    noise.add_argument(
        "--throttle-rate", type=float, default=0.0, help="answer this share of requests 400 Throttling"
    )
    noise.add_argument(
        "--read-lag", type=float, default=0.0, metavar="SECONDS", help="reads see the state SECONDS ago"
    )
    noise.add_argument("--noise-seed", type=int, default=0, help="decides which requests are throttled")
    return parser


def _noise(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Noise:
    try:
        return Noise(args.latency_ms, args.throttle_rate, args.read_lag, args.noise_seed)
    except ValueError as error:
        parser.error(str(error))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    noise = _noise(parser, args)
    stop = threading.Event()
    # Both signals end the wait explicitly: a background job may have inherited an ignored SIGINT.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with ReferenceEndpoint(mutant=args.mutant, account_id=args.account_id, noise=noise) as endpoint:
        print(endpoint.url, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
