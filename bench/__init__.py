"""Benchmarks and load runs: scripts that print figures (see the README's performance section)."""
