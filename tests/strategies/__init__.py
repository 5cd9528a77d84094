"""Self-tests of ``strategies``: every generated value judged by an independent validator."""
