"""The results model of a conformance run and its renderers."""
