"""Shared by the lifecycle tests (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os

CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "charts", "app")


def configmap(srv, name: str, namespace: str = "default"):
    """The ConfigMap ``name`` as the fake API server stores it, or None."""
    return next((o for o in srv.store.objects("ConfigMap", namespace) if o["metadata"]["name"] == name), None)
