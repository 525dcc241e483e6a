"""Benchmarks, each figure a ratio to a ceiling measured in the same run (`python -m bench`)."""
