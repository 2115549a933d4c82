"""Shared kernel: what every context needs and nothing that belongs to one of them."""
