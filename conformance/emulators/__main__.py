"""``python -m conformance.emulators``: see `conformance.emulators.cli`."""

import sys

from conformance.emulators.cli import main

sys.exit(main())
