"""Funnels from event logs, aggregate exports and per-entity tables, computed in DuckDB."""

from assistant.funnels.compute import compute_funnel, who_drops
from assistant.funnels.models import Breakdown, FunnelResult, FunnelStep, FunnelWarning, PropertyOdds

__all__ = [
    "Breakdown",
    "FunnelResult",
    "FunnelStep",
    "FunnelWarning",
    "PropertyOdds",
    "compute_funnel",
    "who_drops",
]
