"""``python -m tests.reference [--mutant NAME]``: serve the reference endpoint until interrupted.

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
from .server import ReferenceEndpoint


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.reference", description=__doc__.splitlines()[0])
    parser.add_argument("--mutant", choices=sorted(MUTANTS), help="break exactly one rule (see MUTANTS)")
    parser.add_argument("--account-id", default="123456789012", help="the account the endpoint serves")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()
    # Both signals end the wait explicitly: a background job may have inherited an ignored SIGINT.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with ReferenceEndpoint(mutant=args.mutant, account_id=args.account_id) as endpoint:
        print(endpoint.url, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
