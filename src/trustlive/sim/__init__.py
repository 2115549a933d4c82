"""Marketplace simulation: the demo seed, and the simulator (`trustlive simulate`) on top of every
context: traits → world → behaviour → driver, run by run.py, with the ground truth in truth.py."""
