"""trustlive: an open-source platform for trust-driven live-stream commerce."""

__version__ = "0.1.0"
