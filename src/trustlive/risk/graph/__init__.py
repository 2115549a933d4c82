"""Graph detectors of the risk context: brushing by rule and by dense blocks, gangs by shared
identifiers. Pure: plain dataclasses in, verdicts out, `now` passed in; no database."""

from __future__ import annotations

from trustlive.risk.graph.brushing import BrushingPeriod, Order, detect_brushing
from trustlive.risk.graph.dense import DenseBlock, find_dense_blocks
from trustlive.risk.graph.gangs import Gang, GangFindings, Sighting, find_gangs
from trustlive.risk.graph.policy import GraphPolicy, load_policy

__all__ = [
    "BrushingPeriod",
    "DenseBlock",
    "Gang",
    "GangFindings",
    "GraphPolicy",
    "Order",
    "Sighting",
    "detect_brushing",
    "find_dense_blocks",
    "find_gangs",
    "load_policy",
]
