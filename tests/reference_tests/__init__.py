"""Self-tests of the reference endpoint (``tests/reference``) and of each of its mutants."""
