"""The national benchmark (not installed; run from the repo root): a synthetic NL in the real input formats
(``python -m bench.generate``) and the harness (``python -m bench.run``). See bench/README.md."""
