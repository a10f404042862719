"""Benchmarks: each script prints JSON with its figures and a baseline measured in the same run."""
