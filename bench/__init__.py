"""Benchmarks that print tables; run with `python -m bench.<name>`."""
