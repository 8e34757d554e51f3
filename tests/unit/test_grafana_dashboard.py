"""The Grafana dashboard only charts metrics the service exports (a renamed metric would
otherwise leave a panel silently empty)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from api.metrics import Metrics

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "loyalty-dashboard.json"
SUFFIXES = ("_total", "_bucket", "_count", "_sum")


def exported_names() -> set[str]:
    names: set[str] = set()
    for family in Metrics().registry.collect():
        names.add(family.name)
        names.update(family.name + suffix for suffix in SUFFIXES)
    return names


def test_every_panel_queries_exported_metrics() -> None:
    # given
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    # when
    used = {name for expr in exprs for name in re.findall(r"\bloyalty_[a-z_]+", expr)}
    # then
    assert len(dashboard["panels"]) == 10
    assert used - exported_names() == set()
    assert {
        "loyalty_points_total",
        "loyalty_outbox_backlog",
        "loyalty_outbox_oldest_due_age_seconds",
        "loyalty_scheduler_lag_seconds",
        "loyalty_webhook_delivery_failures_total",
        "loyalty_rate_limit_refusals_total",
        "loyalty_cache_lookups_total",
    } <= used
