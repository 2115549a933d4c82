"""Marketplace simulation: the demo seed now, the simulator later. Sits on top of every context."""
