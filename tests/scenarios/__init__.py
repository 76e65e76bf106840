"""Scenario suites that cross the wings: crash safety, fault storms, hostile input, the benchmark smoke run."""
