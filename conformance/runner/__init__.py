"""Running the suite: the pytest plugin, the ``iam-conformance`` command line, the run's configuration
and Hypothesis profiles. The top layer: it may use every other, and nothing imports it but the shells.
"""
