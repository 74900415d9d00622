"""Paths shared by the sequencing tests."""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
CHARTS = os.path.join(HERE, "charts")
BROKEN = os.path.join(HERE, "broken")


def applied(srv, resource: str = "deployments", verbs: tuple[str, ...] = ("create", "patch", "update")) -> list[str]:
    """Names of the objects of ``resource`` written by clients, in the order the server took them."""
    out = []
    for e in srv.api.audit.writes():
        if e.resource == resource and e.verb in verbs and not e.subresource and e.name not in out:
            out.append(e.name)
    return out


def deleted(srv, resource: str = "deployments") -> list[str]:
    """Names of the objects of ``resource`` deleted by clients, in order."""
    return [e.name for e in srv.api.audit.writes() if e.resource == resource and e.verb == "delete"]
