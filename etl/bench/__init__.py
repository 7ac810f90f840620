"""The national benchmark: a synthetic NL in the real input formats (``generate``) and the harness (``run``)."""
