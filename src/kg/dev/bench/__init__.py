"""Benchmarks: a synthetic corpus (`corpus`) and the suite behind `kg bench run` (`suite`)."""
