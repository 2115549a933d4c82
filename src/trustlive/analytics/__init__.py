"""Analytics: the figures sellers and operators read (GMV, repurchase, fans who come back …).

It only reads, through the other contexts' facades; nothing depends on it.
"""

from trustlive.analytics.domain import Window
from trustlive.analytics.service import OperatorDashboard, SellerDashboard

__all__ = ["OperatorDashboard", "SellerDashboard", "Window"]
